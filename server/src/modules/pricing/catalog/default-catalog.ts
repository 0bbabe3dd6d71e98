import defaultCatalogFile from './default-price-catalog.json';
import type { PriceEntry } from './price-entry';
import { parseWardenCatalog } from './warden-format';

/**
 * Warden's own list prices, shipped with the server. Imported as JSON so tsc copies the file next to the compiled
 * code. Every row carries its own effectiveFrom, so the fallback date below is never used; a row Warden cannot read
 * is a bug in the shipped data and fails loudly rather than leaving a model unpriced.
 */
export function loadDefaultCatalog(): PriceEntry[] {
  const { entries, skipped } = parseWardenCatalog(defaultCatalogFile, new Date(0), 'warden-default');
  if (skipped.length > 0) {
    throw new Error(`default price catalog has unreadable rows: ${skipped.map((row) => `${row.key}: ${row.reason}`).join('; ')}`);
  }
  return entries;
}

export const DEFAULT_CATALOG_AS_OF: string = defaultCatalogFile.asOf;

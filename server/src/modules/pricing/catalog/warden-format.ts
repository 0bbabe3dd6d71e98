import { CatalogFormatError, isJsonObject } from './catalog-format-error';
import { DecimalColumnError } from '../../../engine/money/decimal-column';
import { DecimalFormatError } from '../../../engine/money/exact-decimal';
import { compileModelPattern, PricePatternError } from './model-pattern';
import { checkPriceColumn } from './price-column';
import type { ParsedCatalog, PriceEntry, PriceSource, SkippedCatalogEntry } from './price-entry';
import { normalizeProviderName } from './provider-name';

export const WARDEN_CATALOG_FORMAT = 'warden-price-catalog';
export const WARDEN_CATALOG_VERSION = 1;

/**
 * Reads Warden's own catalog format: `{format: 'warden-price-catalog', version: 1, prices: [...]}` with prices as
 * decimal strings in USD per million tokens, the form Warden stores, so nothing is converted on the way in.
 * A row without effectiveFrom takes the one given here.
 */
export function parseWardenCatalog(json: unknown, effectiveFrom: Date, source: PriceSource = 'manual'): ParsedCatalog {
  if (!isJsonObject(json) || json.format !== WARDEN_CATALOG_FORMAT) {
    throw new CatalogFormatError(`not a Warden price catalog: expected an object with format "${WARDEN_CATALOG_FORMAT}"`);
  }
  if (json.version !== WARDEN_CATALOG_VERSION) {
    throw new CatalogFormatError(
      `unsupported Warden price catalog version ${JSON.stringify(json.version)}: this server reads version ${WARDEN_CATALOG_VERSION}`,
    );
  }
  if (!Array.isArray(json.prices)) throw new CatalogFormatError('Warden price catalog: "prices" must be an array');
  const entries: PriceEntry[] = [];
  const skipped: SkippedCatalogEntry[] = [];
  json.prices.forEach((row: unknown, index) => {
    const key = isJsonObject(row) && typeof row.modelPattern === 'string' ? row.modelPattern : `#${index}`;
    const outcome = parseRow(row, effectiveFrom, source);
    if (typeof outcome === 'string') skipped.push({ key, reason: outcome });
    else entries.push(outcome);
  });
  return { entries, skipped };
}

function parseRow(row: unknown, effectiveFrom: Date, source: PriceSource): PriceEntry | string {
  if (!isJsonObject(row)) return 'not an object';
  if (typeof row.modelPattern !== 'string' || row.modelPattern === '') return 'modelPattern must be a non-empty string';
  if (row.provider !== undefined && typeof row.provider !== 'string') return 'provider must be a string';
  const rowEffectiveFrom = row.effectiveFrom === undefined ? effectiveFrom : new Date(String(row.effectiveFrom));
  if (Number.isNaN(rowEffectiveFrom.getTime())) return `effectiveFrom ${JSON.stringify(row.effectiveFrom)} is not a date`;
  try {
    compileModelPattern(row.modelPattern);
    return {
      modelPattern: row.modelPattern,
      provider: normalizeProviderName(row.provider),
      inputPerMillionUsd: priceText(row.inputPerMillionUsd, 'inputPerMillionUsd'),
      outputPerMillionUsd: priceText(row.outputPerMillionUsd, 'outputPerMillionUsd'),
      cachedInputPerMillionUsd:
        row.cachedInputPerMillionUsd === undefined || row.cachedInputPerMillionUsd === null
          ? null
          : priceText(row.cachedInputPerMillionUsd, 'cachedInputPerMillionUsd'),
      effectiveFrom: rowEffectiveFrom,
      source,
    };
  } catch (error) {
    if (error instanceof PricePatternError || error instanceof DecimalFormatError) return error.message;
    throw error;
  }
}

/**
 * Decimal strings are the format; a plain JSON number is accepted as a convenience (read through its digits).
 * Checked against the column like a price typed in the console: more than nine decimals, too large or negative is
 * refused, never rounded.
 */
function priceText(value: unknown, field: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new DecimalFormatError(`${field} must be a decimal string`);
  }
  try {
    return checkPriceColumn(String(value));
  } catch (error) {
    if (error instanceof DecimalColumnError) throw new DecimalFormatError(`${field}: ${error.message}`);
    throw error;
  }
}

/** A price catalog file that is none of the formats Warden reads, or is broken as a whole (not one bad entry). */
export class CatalogFormatError extends Error {
  override readonly name = 'CatalogFormatError';
  readonly code = 'PRICE_CATALOG_FORMAT_INVALID';
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

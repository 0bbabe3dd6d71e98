// A catalog price as the GraphQL `Price` type returns it: one version of an entry (pattern + provider). Rates are
// exact decimal strings (the Decimal scalar), never floats.
export interface PriceRecord {
  id: string;
  modelPattern: string;
  matchKind: 'EXACT' | 'PATTERN';
  provider: string;
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  cachedInputPerMillionUsd: string | null;
  effectiveFrom: string;
  currency: string;
  source: string;
}

/** The catalog's rate columns keep nine decimals; the server refuses more rather than rounding. */
export const PRICE_DECIMAL_PLACES = 9;

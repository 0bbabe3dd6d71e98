// A catalog price as the GraphQL `Price` type returns it.
export interface PriceRecord {
  id: string;
  modelPattern: string;
  provider: string;
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
  cachedInputPerMillionUsd: number | null;
  effectiveFrom: string;
  currency: string;
  source: string;
}

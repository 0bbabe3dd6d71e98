/**
 * One price of one model (pattern) from one provider, in force from `effectiveFrom` until a later entry for the
 * same pattern and provider replaces it. Prices are exact decimal strings: money never passes through a float.
 */
export interface PriceEntry {
  /** Regex source, matched case-insensitively against the whole model name (the matcher anchors it). */
  modelPattern: string;
  /** Lower-case provider ('openai', 'anthropic', 'google', …); '' matches an event from any provider. */
  provider: string;
  /** USD per 1M input tokens, exact decimal string, up to 9 decimals. */
  inputPerMillionUsd: string;
  /** USD per 1M output tokens. */
  outputPerMillionUsd: string;
  /** USD per 1M cached (cache-read) input tokens; null: cached tokens are priced at the input rate. */
  cachedInputPerMillionUsd: string | null;
  /** Price history: this price is in force from this instant on. */
  effectiveFrom: Date;
  source: PriceSource;
}

/** `measured`: an internal price set from the on-prem cost per token of a node over a window (chargeback). */
export type PriceSource = 'warden-default' | 'litellm' | 'langfuse' | 'manual' | 'measured';

/** A catalog entry the importer could not use, with the reason shown to the admin who imports the file. */
export interface SkippedCatalogEntry {
  key: string;
  reason: string;
}

export interface ParsedCatalog {
  entries: PriceEntry[];
  skipped: SkippedCatalogEntry[];
}

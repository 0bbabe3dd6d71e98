import { CatalogFormatError, isJsonObject } from './catalog-format-error';
import { DecimalFormatError, decimalFromJsonValue, isNegative, perTokenToPerMillion } from '../../../engine/money/exact-decimal';
import type { ParsedCatalog, PriceEntry, SkippedCatalogEntry } from './price-entry';
import { DecimalColumnError } from '../../../engine/money/decimal-column';
import { compileModelPattern, PricePatternError } from './model-pattern';
import { checkPriceColumn } from './price-column';
import { inferProviderFromModelName } from './provider-name';

// Langfuse's usage keys differ by the SDK that reported the usage; the first key present wins. The text-token keys
// are the fallback for audio/realtime models, whose audio rates Warden's events cannot express.
const INPUT_KEYS = ['input', 'input_tokens', 'input_text_tokens', 'input_text'];
const OUTPUT_KEYS = ['output', 'output_tokens', 'output_text_tokens', 'output_text'];
const CACHED_INPUT_KEYS = ['input_cached_tokens', 'input_cache_read', 'cache_read_input_tokens', 'input_cached_text_tokens'];
/** Legacy models (text-davinci, ada embeddings) carry one price for prompt and completion tokens alike. */
const TOTAL_KEY = 'total';

/**
 * Reads Langfuse's default-model-prices.json: an array of models, each with a matchPattern (a case-insensitive
 * regex in Langfuse's dialect) and pricing tiers of USD-per-token prices per usage key. Only the default tier is
 * read: the others apply on conditions (context over 200k tokens, a priority service tier) an event cannot show.
 */
export function parseLangfuseCatalog(json: unknown, effectiveFrom: Date): ParsedCatalog {
  if (!Array.isArray(json)) {
    throw new CatalogFormatError('not a Langfuse price catalog: expected an array of models with matchPattern');
  }
  const entries: PriceEntry[] = [];
  const skipped: SkippedCatalogEntry[] = [];
  json.forEach((model: unknown, index) => {
    const key = isJsonObject(model) && typeof model.modelName === 'string' ? model.modelName : `#${index}`;
    const outcome = parseModel(model, effectiveFrom);
    if (typeof outcome === 'string') skipped.push({ key, reason: outcome });
    else entries.push(outcome);
  });
  return { entries, skipped };
}

function parseModel(model: unknown, effectiveFrom: Date): PriceEntry | string {
  if (!isJsonObject(model)) return 'not an object';
  if (typeof model.matchPattern !== 'string' || model.matchPattern.trim() === '') return 'no matchPattern';
  const modelName = typeof model.modelName === 'string' ? model.modelName : '';
  // JavaScript has no inline (?i) flag; Warden matches every pattern case-insensitively anyway.
  const modelPattern = model.matchPattern.replace(/^\(\?i\)/, '');
  try {
    compileModelPattern(modelPattern);
  } catch (error) {
    if (error instanceof PricePatternError) return error.message;
    throw error;
  }
  const prices = defaultTierPrices(model);
  if (!prices) return 'no default pricing tier (isDefault true or without conditions)';
  const startDate = model.startDate === undefined || model.startDate === null ? null : new Date(String(model.startDate));
  if (startDate && Number.isNaN(startDate.getTime())) return `startDate ${JSON.stringify(model.startDate)} is not a date`;
  try {
    const total = prices[TOTAL_KEY];
    const input = firstPresent(prices, INPUT_KEYS) ?? total;
    const output = firstPresent(prices, OUTPUT_KEYS) ?? total;
    if (input === undefined || output === undefined) {
      return `default tier has no input/output or total token price (keys: ${Object.keys(prices).join(', ')})`;
    }
    const cached = firstPresent(prices, CACHED_INPUT_KEYS);
    return {
      modelPattern,
      provider: inferProviderFromModelName(modelName),
      inputPerMillionUsd: perMillion(input),
      outputPerMillionUsd: perMillion(output),
      cachedInputPerMillionUsd: cached === undefined ? null : perMillion(cached),
      effectiveFrom: startDate ?? effectiveFrom,
      source: 'langfuse',
    };
  } catch (error) {
    if (error instanceof DecimalFormatError || error instanceof RangeError || error instanceof DecimalColumnError) return error.message;
    throw error;
  }
}

function defaultTierPrices(model: Record<string, unknown>): Record<string, unknown> | null {
  if (Array.isArray(model.pricingTiers)) {
    const tiers = model.pricingTiers.filter(isJsonObject);
    const tier =
      tiers.find((candidate) => candidate.isDefault === true) ??
      tiers.find((candidate) => !Array.isArray(candidate.conditions) || candidate.conditions.length === 0);
    return tier && isJsonObject(tier.prices) ? tier.prices : null;
  }
  // Langfuse files before pricing tiers kept one price map on the model.
  return isJsonObject(model.prices) ? model.prices : null;
}

function firstPresent(prices: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (prices[key] !== undefined && prices[key] !== null) return prices[key];
  }
  return undefined;
}

function perMillion(value: unknown): string {
  if (isNegative(decimalFromJsonValue(value))) throw new RangeError(`negative price ${String(value)}`);
  // Rounded to the column's nine decimals: upstream values carry float noise (9.999990000000002e-06).
  return checkPriceColumn(perTokenToPerMillion(value));
}

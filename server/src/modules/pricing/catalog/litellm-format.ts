import { CatalogFormatError, isJsonObject } from './catalog-format-error';
import { DecimalFormatError, decimalFromJsonValue, isNegative, perTokenToPerMillion } from '../../../engine/money/exact-decimal';
import { escapeRegularExpression } from './model-pattern';
import { DecimalColumnError } from '../../../engine/money/decimal-column';
import { checkPriceColumn } from './price-column';
import type { ParsedCatalog, PriceEntry, SkippedCatalogEntry } from './price-entry';
import { normalizeProviderName, splitProviderPrefix } from './provider-name';

export { escapeRegularExpression } from './model-pattern';

/**
 * Modes whose input_cost_per_token/output_cost_per_token mean text tokens in and out. 'responses' holds chat models
 * OpenAI serves only through its Responses API (o3-pro, gpt-5-pro, the codex models): their events are still chat.
 * Image, audio, rerank, search, … modes price other units, so their token fields would mislead.
 */
const TOKEN_PRICED_MODES = new Set(['chat', 'completion', 'responses', 'embedding']);

/**
 * Reads LiteLLM's model_prices_and_context_window.json: a map from model key to its prices in USD per token.
 * A key whose first segment is its own `litellm_provider` ('azure/gpt-4o' of azure, 'vertex_ai/claude-…' of
 * vertex_ai-anthropic_models, 'gemini/gemini-2.5-pro' of gemini) becomes that provider plus the rest of the key as
 * an exact model name, so an event that carries the provider apart ({provider: 'azure', model: 'gpt-4o'}) matches;
 * an event that sends the prefixed name matches too (the matcher splits a provider prefix off). Any other key
 * ('gpt-4o', 'openrouter/openai/…' keeps 'openai/…') is an exact name under its normalized litellm_provider.
 * Two keys that land on the same provider and name ('deepseek-chat' and 'deepseek/deepseek-chat') keep the first.
 *
 * Long-context tiers (`*_above_200k_tokens`, `*_above_272k_tokens`, …) are ignored: an entry holds one price, so a
 * request beyond the tier boundary is priced at the base rate and its cost is understated. Priority, flex and batch
 * rates are ignored the same way: an event does not say which service tier it used.
 */
export function parseLiteLlmCatalog(json: unknown, effectiveFrom: Date): ParsedCatalog {
  if (!isJsonObject(json)) {
    throw new CatalogFormatError('not a LiteLLM price catalog: expected an object mapping model names to prices');
  }
  const entries: PriceEntry[] = [];
  const skipped: SkippedCatalogEntry[] = [];
  const keyByModel = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const outcome = parseModel(key, value, effectiveFrom);
    if (typeof outcome === 'string') {
      skipped.push({ key, reason: outcome });
      continue;
    }
    // Matching is case-insensitive, so 'together_ai/BAAI/bge-base-en-v1.5' and '…/baai/…' are one model.
    const modelKey = `${outcome.provider}\u0000${outcome.modelPattern.toLowerCase()}`;
    const earlierKey = keyByModel.get(modelKey);
    if (earlierKey !== undefined) {
      skipped.push({
        key,
        reason: earlierKey.toLowerCase() === key.toLowerCase()
          ? `duplicate of "${earlierKey}" (model names match case-insensitively)`
          : `duplicate of "${earlierKey}" (both are ${outcome.provider} / ${outcome.modelPattern.replace(/\\(.)/g, '$1')})`,
      });
      continue;
    }
    keyByModel.set(modelKey, key);
    entries.push(outcome);
  }
  return { entries, skipped };
}

/** The entry, or the reason it is skipped. */
function parseModel(key: string, value: unknown, effectiveFrom: Date): PriceEntry | string {
  if (key === 'sample_spec') return 'sample_spec documents the format; it is not a model';
  if (!isJsonObject(value)) return 'not an object';
  const mode = value.mode;
  if (mode === undefined) return 'no mode: not a model entry (LiteLLM keeps fallback and size-bucket prices like this)';
  if (typeof mode !== 'string' || !TOKEN_PRICED_MODES.has(mode)) {
    return `mode ${JSON.stringify(mode)} is not priced per text token (Warden reads chat, completion, responses, embedding)`;
  }
  if (value.input_cost_per_token === undefined) {
    return 'no input_cost_per_token (priced in other units or by context-size tiers, or not priced)';
  }
  // Embeddings produce no output tokens; LiteLLM leaves the output price out of some of them.
  const outputPrice = value.output_cost_per_token ?? (mode === 'embedding' ? 0 : undefined);
  if (outputPrice === undefined) return 'no output_cost_per_token';
  const litellmProvider = typeof value.litellm_provider === 'string' ? value.litellm_provider : '';
  const split = splitProviderPrefix(key, litellmProvider);
  try {
    return {
      modelPattern: escapeRegularExpression(split?.modelName ?? key),
      provider: split?.provider ?? normalizeProviderName(litellmProvider),
      inputPerMillionUsd: perMillion(value.input_cost_per_token, 'input_cost_per_token'),
      outputPerMillionUsd: perMillion(outputPrice, 'output_cost_per_token'),
      cachedInputPerMillionUsd:
        value.cache_read_input_token_cost === undefined || value.cache_read_input_token_cost === null
          ? null
          : perMillion(value.cache_read_input_token_cost, 'cache_read_input_token_cost'),
      effectiveFrom,
      source: 'litellm',
    };
  } catch (error) {
    if (error instanceof DecimalFormatError || error instanceof RangeError || error instanceof DecimalColumnError) return error.message;
    throw error;
  }
}

/** Per token to per million, rounded to the column's nine decimals (upstream values carry float noise). */
function perMillion(value: unknown, field: string): string {
  try {
    if (isNegative(decimalFromJsonValue(value))) throw new RangeError(`${field} is negative`);
    return checkPriceColumn(perTokenToPerMillion(value));
  } catch (error) {
    if (error instanceof DecimalFormatError || error instanceof DecimalColumnError) throw new DecimalFormatError(`${field}: ${error.message}`);
    throw error;
  }
}

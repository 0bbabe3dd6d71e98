import { CatalogFormatError, isJsonObject } from './catalog-format-error';
import { DecimalFormatError, decimalFromJsonValue, isNegative, perTokenToPerMillion } from '../../../engine/money/exact-decimal';
import type { ParsedCatalog, PriceEntry, SkippedCatalogEntry } from './price-entry';
import { normalizeProviderName } from './provider-name';

/**
 * Modes whose input_cost_per_token/output_cost_per_token mean text tokens in and out. 'responses' holds chat models
 * OpenAI serves only through its Responses API (o3-pro, gpt-5-pro, the codex models): their events are still chat.
 * Image, audio, rerank, search, … modes price other units, so their token fields would mislead.
 */
const TOKEN_PRICED_MODES = new Set(['chat', 'completion', 'responses', 'embedding']);

/**
 * Reads LiteLLM's model_prices_and_context_window.json: a map from model key to its prices in USD per token.
 * The key is the model name exactly as LiteLLM's callers send it, provider prefix included ('gpt-4o',
 * 'azure/gpt-4o', 'bedrock/us-east-1/…'), so the pattern matches the key exactly (regex-escaped).
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
  const keyByLowerCase = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const outcome = parseModel(key, value, effectiveFrom);
    if (typeof outcome === 'string') {
      skipped.push({ key, reason: outcome });
      continue;
    }
    // Matching is case-insensitive, so 'together_ai/BAAI/bge-base-en-v1.5' and '…/baai/…' are one model.
    const earlierKey = keyByLowerCase.get(key.toLowerCase());
    if (earlierKey !== undefined) {
      skipped.push({ key, reason: `duplicate of "${earlierKey}" (model names match case-insensitively)` });
      continue;
    }
    keyByLowerCase.set(key.toLowerCase(), key);
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
  try {
    return {
      modelPattern: escapeRegularExpression(key),
      provider: normalizeProviderName(typeof value.litellm_provider === 'string' ? value.litellm_provider : ''),
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
    if (error instanceof DecimalFormatError || error instanceof RangeError) return error.message;
    throw error;
  }
}

function perMillion(value: unknown, field: string): string {
  try {
    if (isNegative(decimalFromJsonValue(value))) throw new RangeError(`${field} is negative`);
    return perTokenToPerMillion(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new DecimalFormatError(`${field}: ${error.message}`);
    throw error;
  }
}

export function escapeRegularExpression(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

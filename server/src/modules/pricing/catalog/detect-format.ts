import { CatalogFormatError, isJsonObject } from './catalog-format-error';
import { parseLangfuseCatalog } from './langfuse-format';
import { parseLiteLlmCatalog } from './litellm-format';
import type { ParsedCatalog } from './price-entry';
import { parseWardenCatalog, WARDEN_CATALOG_FORMAT } from './warden-format';

export type CatalogFormat = 'warden' | 'litellm' | 'langfuse';

const EXPECTED_FORMATS =
  `expected Warden's {"format":"${WARDEN_CATALOG_FORMAT}","version":1,"prices":[…]}, ` +
  `LiteLLM's object of models with *_cost_per_token fields, or Langfuse's array of models with matchPattern`;

/** Which format a parsed JSON catalog file is in, judged from its shape; throws CatalogFormatError for none. */
export function detectCatalogFormat(json: unknown): CatalogFormat {
  if (Array.isArray(json)) {
    if (json.length > 0 && json.every((model) => isJsonObject(model) && typeof model.matchPattern === 'string')) {
      return 'langfuse';
    }
    throw new CatalogFormatError(
      `not a LiteLLM or Langfuse price catalog: an array, but ${
        json.length === 0 ? 'empty' : 'not every element is an object with a string matchPattern'
      }; ${EXPECTED_FORMATS}`,
    );
  }
  if (isJsonObject(json)) {
    if (json.format === WARDEN_CATALOG_FORMAT) return 'warden';
    const looksLikeLiteLlm = Object.values(json).some(
      (model) => isJsonObject(model) && Object.keys(model).some((field) => field.endsWith('_cost_per_token')),
    );
    if (looksLikeLiteLlm) return 'litellm';
    throw new CatalogFormatError(
      `not a LiteLLM or Langfuse price catalog: an object without "format" and without any model carrying ` +
        `*_cost_per_token fields; ${EXPECTED_FORMATS}`,
    );
  }
  throw new CatalogFormatError(
    `not a LiteLLM or Langfuse price catalog: the file holds ${json === null ? 'null' : typeof json}; ${EXPECTED_FORMATS}`,
  );
}

/** Parses a catalog file in any format Warden reads; effectiveFrom applies where the file gives no date. */
export function parseCatalogFile(json: unknown, effectiveFrom: Date): ParsedCatalog & { format: CatalogFormat } {
  const format = detectCatalogFormat(json);
  const parsed =
    format === 'warden'
      ? parseWardenCatalog(json, effectiveFrom)
      : format === 'litellm'
        ? parseLiteLlmCatalog(json, effectiveFrom)
        : parseLangfuseCatalog(json, effectiveFrom);
  return { ...parsed, format };
}

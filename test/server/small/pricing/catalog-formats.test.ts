import { describe, expect, it } from 'vitest';
import { perTokenToPerMillion } from '../../../../server/src/engine/money/exact-decimal';
import { CatalogFormatError } from '../../../../server/src/modules/pricing/catalog/catalog-format-error';
import { detectCatalogFormat, parseCatalogFile } from '../../../../server/src/modules/pricing/catalog/detect-format';
import { parseLangfuseCatalog } from '../../../../server/src/modules/pricing/catalog/langfuse-format';
import { parseLiteLlmCatalog } from '../../../../server/src/modules/pricing/catalog/litellm-format';
import { PriceMatcher } from '../../../../server/src/modules/pricing/catalog/price-matcher';
import { parseWardenCatalog } from '../../../../server/src/modules/pricing/catalog/warden-format';

const IMPORTED_AT = new Date('2026-03-01T00:00:00Z');
const perMillionOf = (key: string) => perTokenToPerMillion((liteLlmFile as Record<string, { input_cost_per_token?: unknown }>)[key].input_cost_per_token);

// Shapes copied from LiteLLM's model_prices_and_context_window.json.
const liteLlmFile = {
  sample_spec: { input_cost_per_token: 0.0, output_cost_per_token: 0.0, litellm_provider: 'one of …', mode: 'one of: chat, …' },
  'gpt-4o': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6, litellm_provider: 'openai', mode: 'chat' },
  'gemini/gemini-2.5-pro': {
    input_cost_per_token: 1.25e-6, input_cost_per_token_above_200k_tokens: 2.5e-6, output_cost_per_token: 1e-5,
    litellm_provider: 'gemini', mode: 'chat',
  },
  'mistral/mistral-embed': { input_cost_per_token: 1e-7, litellm_provider: 'mistral', mode: 'embedding' },
  'dall-e-3': { input_cost_per_pixel: 1e-8, litellm_provider: 'openai', mode: 'image_generation' },
  'gpt-image-1': { input_cost_per_token: 5e-6, litellm_provider: 'openai', mode: 'chat' },
  'fireworks-ai-up-to-4b': { input_cost_per_token: 2e-7, output_cost_per_token: 2e-7, litellm_provider: 'fireworks_ai' },
  'vertex_ai/claude-3-5-sonnet@20240620': { input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, litellm_provider: 'vertex_ai-anthropic_models', mode: 'chat' },
  'broken-price': { input_cost_per_token: 'free', output_cost_per_token: 0, litellm_provider: 'x', mode: 'chat' },
  'negative-price': { input_cost_per_token: -1e-6, output_cost_per_token: 0, litellm_provider: 'x', mode: 'chat' },
  'together_ai/BAAI/bge-base-en-v1.5': { input_cost_per_token: 8e-9, output_cost_per_token: 0, litellm_provider: 'together_ai', mode: 'embedding' },
  'together_ai/baai/bge-base-en-v1.5': { input_cost_per_token: 8e-9, output_cost_per_token: 0, litellm_provider: 'together_ai', mode: 'embedding' },
  'o3-pro': { input_cost_per_token: 2e-5, output_cost_per_token: 8e-5, litellm_provider: 'openai', mode: 'responses' },
  'azure/gpt-4o': { input_cost_per_token: 2.75e-6, output_cost_per_token: 1.1e-5, litellm_provider: 'azure', mode: 'chat' },
  'azure/gpt-4.1': { input_cost_per_token: 2e-6, output_cost_per_token: 8e-6, litellm_provider: 'azure', mode: 'chat' },
  'bedrock/anthropic.claude-3-haiku-20240307-v1:0': { input_cost_per_token: 2.5e-7, output_cost_per_token: 1.25e-6, litellm_provider: 'bedrock', mode: 'chat' },
  'openrouter/openai/gpt-4o': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, litellm_provider: 'openrouter', mode: 'chat' },
  'deepseek-chat': { input_cost_per_token: 2.8e-7, output_cost_per_token: 4.2e-7, litellm_provider: 'deepseek', mode: 'chat' },
  'deepseek/deepseek-chat': { input_cost_per_token: 2.8e-7, output_cost_per_token: 4.2e-7, litellm_provider: 'deepseek', mode: 'chat' },
  'meta-llama/Llama-3.3-70B-Instruct': { input_cost_per_token: 1e-7, output_cost_per_token: 1e-7, litellm_provider: 'together_ai', mode: 'chat' },
  'huge-price': { input_cost_per_token: 1e6, output_cost_per_token: 0, litellm_provider: 'x', mode: 'chat' },
};

describe('parseLiteLlmCatalog', () => {
  const { entries, skipped } = parseLiteLlmCatalog(liteLlmFile, IMPORTED_AT);
  const entryFor = (model: string) => new PriceMatcher(entries).find(model, undefined, IMPORTED_AT);

  it('converts per-token prices to exact per-million decimal strings', () => {
    expect(entryFor('gpt-4o')).toMatchObject({
      provider: 'openai', inputPerMillionUsd: '2.5', outputPerMillionUsd: '10', cachedInputPerMillionUsd: '1.25',
      source: 'litellm', effectiveFrom: IMPORTED_AT,
    });
    expect(entryFor('o3-pro')).toMatchObject({ inputPerMillionUsd: '20', outputPerMillionUsd: '80', cachedInputPerMillionUsd: null });
  });

  it("maps a key prefixed with its own provider to that provider plus an exact, escaped model name", () => {
    const stored = (key: string) => entries.find((entry) => entry.inputPerMillionUsd === perMillionOf(key) && key.endsWith(entry.modelPattern.replace(/\\/g, '')));
    expect(stored('gemini/gemini-2.5-pro')).toMatchObject({ provider: 'google', modelPattern: 'gemini-2\\.5-pro' });
    expect(stored('azure/gpt-4o')).toMatchObject({ provider: 'azure', modelPattern: 'gpt-4o' });
    expect(stored('azure/gpt-4.1')).toMatchObject({ provider: 'azure', modelPattern: 'gpt-4\\.1' });
    expect(stored('bedrock/anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject({ provider: 'bedrock', modelPattern: 'anthropic\\.claude-3-haiku-20240307-v1:0' });
    expect(stored('vertex_ai/claude-3-5-sonnet@20240620')).toMatchObject({ provider: 'vertex_ai', modelPattern: 'claude-3-5-sonnet@20240620' });
    // A prefix that is not the key's own provider stays in the name: OpenRouter's model is called 'openai/gpt-4o'.
    expect(entries.find((entry) => entry.provider === 'openrouter')).toMatchObject({ modelPattern: 'openai/gpt-4o' });
    expect(entries.find((entry) => entry.provider === 'together_ai' && entry.modelPattern.startsWith('meta'))).toMatchObject({ modelPattern: 'meta-llama/Llama-3\\.3-70B-Instruct' });
  });

  it('prices events that carry the provider apart, and events that send the prefixed name', () => {
    const matcher = new PriceMatcher(entries);
    expect(matcher.find('gpt-4o', 'azure', IMPORTED_AT)).toMatchObject({ provider: 'azure', inputPerMillionUsd: '2.75' });
    expect(matcher.find('gpt-4o', 'openai', IMPORTED_AT)).toMatchObject({ provider: 'openai', inputPerMillionUsd: '2.5' });
    expect(matcher.find('gpt-4o', undefined, IMPORTED_AT)).toMatchObject({ provider: 'openai' });
    expect(matcher.find('azure/gpt-4o', undefined, IMPORTED_AT)).toMatchObject({ provider: 'azure', inputPerMillionUsd: '2.75' });
    expect(matcher.find('gpt-4.1', 'azure', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '2' });
    expect(matcher.find('gpt-4x1', 'azure', IMPORTED_AT)).toBeNull();
    expect(matcher.find('anthropic.claude-3-haiku-20240307-v1:0', 'aws.bedrock', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '0.25' });
    expect(matcher.find('gemini-2.5-pro', 'google', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '1.25' });
    expect(entryFor('gemini/gemini-2.5-pro')).toMatchObject({ provider: 'google', inputPerMillionUsd: '1.25' });
    expect(entryFor('gemini/gemini-2x5-pro')).toBeNull();
    expect(entryFor('vertex_ai/claude-3-5-sonnet@20240620')).toMatchObject({ provider: 'vertex_ai' });
    expect(matcher.find('openai/gpt-4o', 'openrouter', IMPORTED_AT)).toMatchObject({ provider: 'openrouter' });
    // Azure's price never applies to an event that does not say it went to Azure, nor to another provider's.
    expect(matcher.find('gpt-4.1', 'openai', IMPORTED_AT)).toBeNull();
  });

  it('prices embeddings without an output price at zero output', () => {
    expect(entryFor('mistral/mistral-embed')).toMatchObject({ inputPerMillionUsd: '0.1', outputPerMillionUsd: '0' });
  });

  it('skips what it cannot price per token, each with a reason', () => {
    const reasons = Object.fromEntries(skipped.map((item) => [item.key, item.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      ['broken-price', 'dall-e-3', 'deepseek/deepseek-chat', 'fireworks-ai-up-to-4b', 'gpt-image-1', 'huge-price', 'negative-price', 'sample_spec', 'together_ai/baai/bge-base-en-v1.5'].sort(),
    );
    expect(reasons['deepseek/deepseek-chat']).toBe('duplicate of "deepseek-chat" (both are deepseek / deepseek-chat)');
    expect(reasons['huge-price']).toBe('input_cost_per_token: too large: at most 99999999999.999999999');
    expect(reasons['sample_spec']).toMatch(/not a model/);
    expect(reasons['dall-e-3']).toMatch(/image_generation/);
    expect(reasons['gpt-image-1']).toMatch(/output_cost_per_token/);
    expect(reasons['fireworks-ai-up-to-4b']).toMatch(/no mode/);
    expect(reasons['broken-price']).toMatch(/input_cost_per_token/);
    expect(reasons['negative-price']).toMatch(/negative/);
    expect(reasons['together_ai/baai/bge-base-en-v1.5']).toMatch(/duplicate of "together_ai\/BAAI\/bge-base-en-v1.5"/);
  });

  it('refuses a file that is not an object', () => {
    expect(() => parseLiteLlmCatalog([], IMPORTED_AT)).toThrow(CatalogFormatError);
  });
});

// Shapes copied from Langfuse's default-model-prices.json.
const langfuseFile = [
  {
    modelName: 'gpt-4o', matchPattern: '(?i)^(openai/)?(gpt-4o)$',
    pricingTiers: [
      { isDefault: false, priority: 1, conditions: [{ key: 'service_tier', operator: 'in', values: ['priority'] }], prices: { input: 4.25e-6, output: 1.7e-5 } },
      { isDefault: true, priority: 0, conditions: [], prices: { input: 2.5e-6, output: 1e-5, input_cached_tokens: 1.25e-6, input_cache_read: 1.25e-6 } },
    ],
  },
  { modelName: 'claude-sonnet-4-5', matchPattern: '(?i)^(anthropic/)?(claude-sonnet-4-5(-20250929)?)$', pricingTiers: [{ isDefault: true, conditions: [], prices: { input: 3e-6, output: 1.5e-5, cache_read_input_tokens: 3e-7 } }] },
  { modelName: 'text-embedding-3-small', matchPattern: '(?i)^(text-embedding-3-small)$', pricingTiers: [{ isDefault: true, conditions: [], prices: { total: 2e-8 } }] },
  { modelName: 'gpt-4o-realtime-preview', matchPattern: '(?i)^(gpt-4o-realtime-preview)$', pricingTiers: [{ isDefault: true, conditions: [], prices: { input_text_tokens: 5e-6, output_text_tokens: 2e-5, input_audio_tokens: 1e-4 } }] },
  { modelName: 'llama-3.1-8b', matchPattern: '(?i)^llama-3.1-8b$', startDate: '2025-01-01T00:00:00Z', prices: { input: 5e-8, output: 8e-8 } },
  { modelName: 'broken-regex', matchPattern: '(?i)^(gpt-(4$', pricingTiers: [{ isDefault: true, conditions: [], prices: { input: 1e-6, output: 1e-6 } }] },
  { modelName: 'image-only', matchPattern: '(?i)^image-only$', pricingTiers: [{ isDefault: true, conditions: [], prices: { input_image: 1e-6 } }] },
  { modelName: 'no-default', matchPattern: '(?i)^no-default$', pricingTiers: [{ isDefault: false, conditions: [{ key: 'x' }], prices: { input: 1e-6, output: 1e-6 } }] },
];

describe('parseLangfuseCatalog', () => {
  const { entries, skipped } = parseLangfuseCatalog(langfuseFile, IMPORTED_AT);
  const matcher = new PriceMatcher(entries);

  it("reads the default tier and strips Langfuse's (?i) flag", () => {
    const gpt4o = matcher.find('OpenAI/GPT-4o', 'openai', IMPORTED_AT);
    expect(gpt4o).toMatchObject({
      modelPattern: '^(openai/)?(gpt-4o)$', provider: 'openai', inputPerMillionUsd: '2.5', outputPerMillionUsd: '10',
      cachedInputPerMillionUsd: '1.25', source: 'langfuse',
    });
  });

  it('maps whichever cache-read key exists to the cached price and infers providers from names', () => {
    expect(matcher.find('claude-sonnet-4-5-20250929', 'anthropic', IMPORTED_AT)).toMatchObject({ cachedInputPerMillionUsd: '0.3' });
    expect(matcher.find('llama-3.1-8b', 'groq', IMPORTED_AT)).toMatchObject({ provider: '' });
  });

  it('reads single total prices and text-token prices', () => {
    expect(matcher.find('text-embedding-3-small', 'openai', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '0.02', outputPerMillionUsd: '0.02' });
    expect(matcher.find('gpt-4o-realtime-preview', 'openai', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '5', outputPerMillionUsd: '20' });
  });

  it('uses a per-model startDate as effectiveFrom', () => {
    expect(entries.find((entry) => entry.modelPattern === '^llama-3.1-8b$')?.effectiveFrom).toEqual(new Date('2025-01-01T00:00:00Z'));
  });

  it('skips models it cannot use, with reasons', () => {
    const reasons = Object.fromEntries(skipped.map((item) => [item.key, item.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['broken-regex', 'image-only', 'no-default']);
    expect(reasons['broken-regex']).toMatch(/not a valid regular expression/);
    expect(reasons['image-only']).toMatch(/no input\/output or total/);
    expect(reasons['no-default']).toMatch(/no default pricing tier/);
  });
});

describe('parseWardenCatalog', () => {
  const file = {
    format: 'warden-price-catalog', version: 1,
    prices: [
      { modelPattern: 'my-model', provider: 'Self-Hosted', inputPerMillionUsd: '0.10', outputPerMillionUsd: '0.2', cachedInputPerMillionUsd: null, effectiveFrom: '2026-01-01T00:00:00Z' },
      { modelPattern: 'undated', provider: '', inputPerMillionUsd: 1, outputPerMillionUsd: '2', cachedInputPerMillionUsd: '0.5' },
      { modelPattern: 'bad(', provider: '', inputPerMillionUsd: '1', outputPerMillionUsd: '1' },
      { modelPattern: 'bad-price', provider: '', inputPerMillionUsd: 'a lot', outputPerMillionUsd: '1' },
    ],
  };

  it('reads rows, normalizing provider and decimals, and skips bad rows with reasons', () => {
    const { entries, skipped } = parseWardenCatalog(file, IMPORTED_AT);
    expect(entries).toEqual([
      { modelPattern: 'my-model', provider: 'self-hosted', inputPerMillionUsd: '0.1', outputPerMillionUsd: '0.2', cachedInputPerMillionUsd: null, effectiveFrom: new Date('2026-01-01T00:00:00Z'), source: 'manual' },
      { modelPattern: 'undated', provider: '', inputPerMillionUsd: '1', outputPerMillionUsd: '2', cachedInputPerMillionUsd: '0.5', effectiveFrom: IMPORTED_AT, source: 'manual' },
    ]);
    expect(skipped.map((item) => item.key)).toEqual(['bad(', 'bad-price']);
    expect(skipped[1].reason).toMatch(/inputPerMillionUsd/);
  });

  it('refuses another version', () => {
    expect(() => parseWardenCatalog({ ...file, version: 2 }, IMPORTED_AT)).toThrow(/unsupported Warden price catalog version 2/);
  });
});

describe('parseCatalogFile', () => {
  it('detects each format', () => {
    expect(detectCatalogFormat(liteLlmFile)).toBe('litellm');
    expect(detectCatalogFormat(langfuseFile)).toBe('langfuse');
    expect(detectCatalogFormat({ format: 'warden-price-catalog', version: 1, prices: [] })).toBe('warden');
    expect(parseCatalogFile(langfuseFile, IMPORTED_AT).format).toBe('langfuse');
    expect(parseCatalogFile(liteLlmFile, IMPORTED_AT).entries.length).toBeGreaterThan(0);
  });

  it('throws a CatalogFormatError naming what is wrong', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /holds null/],
      ['prices', /holds string/],
      [[], /an array, but empty/],
      [[{ modelName: 'x' }], /not every element is an object with a string matchPattern/],
      [{ 'gpt-4o': { price: 1 } }, /without any model carrying \*_cost_per_token/],
    ];
    for (const [file, message] of cases) {
      expect(() => parseCatalogFile(file, IMPORTED_AT)).toThrow(CatalogFormatError);
      expect(() => parseCatalogFile(file, IMPORTED_AT)).toThrow(message);
      expect(() => parseCatalogFile(file, IMPORTED_AT)).toThrow(/not a LiteLLM or Langfuse price catalog: .*expected/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { costNanoUsd } from '../../../../server/src/modules/pricing/catalog/cost-calculator';
import { parseCatalogFile } from '../../../../server/src/modules/pricing/catalog/detect-format';
import { parseLangfuseCatalog } from '../../../../server/src/modules/pricing/catalog/langfuse-format';
import { parseLiteLlmCatalog } from '../../../../server/src/modules/pricing/catalog/litellm-format';
import { perTokenToPerMillion } from '../../../../server/src/engine/money/exact-decimal';
import type { ParsedCatalog } from '../../../../server/src/modules/pricing/catalog/price-entry';
import { PriceMatcher } from '../../../../server/src/modules/pricing/catalog/price-matcher';
import { LANGFUSE_FILE, LITELLM_FILE, readFixtureJson } from './fixture-data';

const IMPORTED_AT = new Date('2026-03-01T00:00:00Z');
const PRICE_TEXT = /^\d+(\.\d{1,9})?$/;

function expectWellFormed({ entries, skipped }: ParsedCatalog): void {
  for (const entry of entries) {
    expect(entry.inputPerMillionUsd).toMatch(PRICE_TEXT);
    expect(entry.outputPerMillionUsd).toMatch(PRICE_TEXT);
    if (entry.cachedInputPerMillionUsd !== null) expect(entry.cachedInputPerMillionUsd).toMatch(PRICE_TEXT);
  }
  for (const item of skipped) expect(item.reason.length).toBeGreaterThan(5);
  expect(() => new PriceMatcher(entries)).not.toThrow(); // every pattern compiles
}

describe(`LiteLLM ${LITELLM_FILE}`, () => {
  const file = readFixtureJson(LITELLM_FILE) as Record<string, Record<string, unknown>>;
  const parsed = parseLiteLlmCatalog(file, IMPORTED_AT);
  const matcher = new PriceMatcher(parsed.entries);

  it('yields thousands of entries, every key either priced or skipped with a reason', () => {
    expect(parsed.entries.length).toBeGreaterThan(2000);
    expect(parsed.entries.length + parsed.skipped.length).toBe(Object.keys(file).length);
    expectWellFormed(parsed);
    const reasons = new Map(parsed.skipped.map((item) => [item.key, item.reason]));
    expect(reasons.get('sample_spec')).toMatch(/not a model/);
    expect(reasons.get('dall-e-3')).toMatch(/not priced per text token/);
  });

  it('prices known models exactly as the file does', () => {
    expect(matcher.find('gpt-4o', 'openai', IMPORTED_AT)).toMatchObject({
      inputPerMillionUsd: '2.5', outputPerMillionUsd: '10', cachedInputPerMillionUsd: '1.25', source: 'litellm',
    });
    for (const key of ['gpt-4o-mini', 'claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'mistral/mistral-large-latest', 'deepseek-chat']) {
      const model = file[key];
      expect(matcher.find(key, undefined, IMPORTED_AT), key).toMatchObject({
        inputPerMillionUsd: perTokenToPerMillion(model.input_cost_per_token),
        outputPerMillionUsd: perTokenToPerMillion(model.output_cost_per_token),
      });
    }
  });

  it('keys with a provider prefix price events that carry the provider apart, or the prefixed name', () => {
    const expectPriceOf = (key: string, model: string, provider: string | undefined) =>
      expect(matcher.find(model, provider, IMPORTED_AT), `${provider ?? '(none)'} / ${model}`).toMatchObject({
        inputPerMillionUsd: perTokenToPerMillion(file[key].input_cost_per_token),
        outputPerMillionUsd: perTokenToPerMillion(file[key].output_cost_per_token),
      });
    expectPriceOf('azure/gpt-4o', 'gpt-4o', 'azure');
    expectPriceOf('azure/gpt-4o', 'azure/gpt-4o', 'azure');
    expectPriceOf('azure/gpt-4o', 'azure/gpt-4o', undefined);
    expectPriceOf('anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'aws.bedrock');
    expectPriceOf('vertex_ai/claude-3-5-haiku', 'claude-3-5-haiku', 'vertex_ai');
    expectPriceOf('gemini/gemini-2.5-flash', 'gemini-2.5-flash', 'google');
    expectPriceOf('gemini-2.5-flash', 'gemini-2.5-flash', 'vertex_ai');
    expectPriceOf('gpt-4o', 'gpt-4o', 'openai');
    expect(matcher.find('azure/gpt-4o', 'openai', IMPORTED_AT)).toBeNull();
  });

  it('computes a cost from a real entry', () => {
    const gpt4o = matcher.find('gpt-4o', 'openai', IMPORTED_AT);
    // 10k prompt tokens of which 4k cached, 1k completion: 6000*2.5 + 4000*1.25 + 1000*10 = 30000 per-million units
    expect(gpt4o && costNanoUsd(gpt4o, { inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 1_000 })).toBe(30_000_000n);
  });

  it('is detected as LiteLLM', () => {
    expect(parseCatalogFile(file, IMPORTED_AT).format).toBe('litellm');
  });
});

describe(`Langfuse ${LANGFUSE_FILE}`, () => {
  const file = readFixtureJson(LANGFUSE_FILE) as Array<Record<string, unknown>>;
  const parsed = parseLangfuseCatalog(file, IMPORTED_AT);
  const matcher = new PriceMatcher(parsed.entries);

  it('yields about 160 models, every one priced or skipped with a reason', () => {
    expect(parsed.entries.length).toBeGreaterThan(150);
    expect(parsed.entries.length + parsed.skipped.length).toBe(file.length);
    expectWellFormed(parsed);
    for (const entry of parsed.entries) expect(entry.modelPattern).not.toContain('(?i)');
  });

  it('prices known models exactly as the file does', () => {
    expect(matcher.find('gpt-4o', 'openai', IMPORTED_AT)).toMatchObject({
      provider: 'openai', inputPerMillionUsd: '2.5', outputPerMillionUsd: '10', cachedInputPerMillionUsd: '1.25', source: 'langfuse',
    });
    expect(matcher.find('claude-sonnet-4-5-20250929', 'anthropic', IMPORTED_AT)).toMatchObject({
      inputPerMillionUsd: '3', outputPerMillionUsd: '15', cachedInputPerMillionUsd: '0.3',
    });
    expect(matcher.find('GoogleAI/Gemini-2.5-Pro', 'google', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '1.25', outputPerMillionUsd: '10' });
    expect(matcher.find('text-embedding-3-small', 'openai', IMPORTED_AT)).toMatchObject({ inputPerMillionUsd: '0.02' });
  });

  it('is detected as Langfuse', () => {
    expect(parseCatalogFile(file, IMPORTED_AT).format).toBe('langfuse');
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_AS_OF, loadDefaultCatalog } from '../../../../server/src/modules/pricing/catalog/default-catalog';
import { perTokenToPerMillion } from '../../../../server/src/engine/money/exact-decimal';
import { compileModelPattern, PriceMatcher } from '../../../../server/src/modules/pricing/catalog/price-matcher';
import { LITELLM_FILE, readFixtureJson } from './fixture-data';

const AS_OF = new Date(`${DEFAULT_CATALOG_AS_OF}T00:00:00Z`);

/**
 * [model name as an event carries it, provider, LiteLLM key holding that model's price]. The key differs from the
 * name where LiteLLM files the model under a provider prefix, or (retired Claude 3.5 models) only under Bedrock's
 * ids, which Anthropic prices the same.
 */
const REFERENCE_MODELS: ReadonlyArray<readonly [string, string, string]> = [
  ['gpt-4o', 'openai', 'gpt-4o'],
  ['gpt-4o-2024-08-06', 'openai', 'gpt-4o-2024-08-06'],
  ['gpt-4o-2024-11-20', 'openai', 'gpt-4o-2024-11-20'],
  ['gpt-4o-2024-05-13', 'openai', 'gpt-4o-2024-05-13'],
  ['chatgpt-4o-latest', 'openai', 'chatgpt-4o-latest'],
  ['gpt-4o-mini', 'openai', 'gpt-4o-mini'],
  ['gpt-4o-mini-2024-07-18', 'openai', 'gpt-4o-mini-2024-07-18'],
  ['gpt-4.1', 'openai', 'gpt-4.1'],
  ['gpt-4.1-mini-2025-04-14', 'openai', 'gpt-4.1-mini-2025-04-14'],
  ['gpt-4.1-nano', 'openai', 'gpt-4.1-nano'],
  ['o1', 'openai', 'o1'],
  ['o3', 'openai', 'o3'],
  ['o3-2025-04-16', 'openai', 'o3-2025-04-16'],
  ['o3-mini', 'openai', 'o3-mini'],
  ['o3-pro', 'openai', 'o3-pro'],
  ['o4-mini', 'openai', 'o4-mini'],
  ['o4-mini-2025-04-16', 'openai', 'o4-mini-2025-04-16'],
  ['gpt-5', 'openai', 'gpt-5'],
  ['gpt-5-2025-08-07', 'openai', 'gpt-5-2025-08-07'],
  ['gpt-5-chat-latest', 'openai', 'gpt-5-chat-latest'],
  ['gpt-5-codex', 'openai', 'gpt-5-codex'],
  ['gpt-5-mini', 'openai', 'gpt-5-mini'],
  ['gpt-5-nano-2025-08-07', 'openai', 'gpt-5-nano-2025-08-07'],
  ['gpt-5-pro', 'openai', 'gpt-5-pro'],
  ['gpt-5.1', 'openai', 'gpt-5.1'],
  ['gpt-5.1-codex-mini', 'openai', 'gpt-5.1-codex-mini'],
  ['gpt-5.2', 'openai', 'gpt-5.2'],
  ['gpt-5.2-pro', 'openai', 'gpt-5.2-pro'],
  ['gpt-5.4', 'openai', 'gpt-5.4'],
  ['gpt-5.4-pro', 'openai', 'gpt-5.4-pro'],
  ['gpt-5.4-mini', 'openai', 'gpt-5.4-mini'],
  ['gpt-5.4-nano-2026-03-17', 'openai', 'gpt-5.4-nano-2026-03-17'],
  ['gpt-5.5', 'openai', 'gpt-5.5'],
  ['gpt-5.5-pro-2026-04-23', 'openai', 'gpt-5.5-pro-2026-04-23'],
  ['text-embedding-3-small', 'openai', 'text-embedding-3-small'],
  ['text-embedding-3-large', 'openai', 'text-embedding-3-large'],
  ['text-embedding-ada-002', 'openai', 'text-embedding-ada-002'],
  ['claude-3-haiku-20240307', 'anthropic', 'claude-3-haiku-20240307'],
  ['claude-3-opus-20240229', 'anthropic', 'claude-3-opus-20240229'],
  ['claude-3-5-sonnet-20241022', 'anthropic', 'anthropic.claude-3-5-sonnet-20241022-v2:0'],
  ['claude-3-5-sonnet-20240620', 'anthropic', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
  ['claude-3-5-haiku-20241022', 'anthropic', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
  ['claude-3-7-sonnet-20250219', 'anthropic', 'claude-3-7-sonnet-20250219'],
  ['claude-sonnet-4-20250514', 'anthropic', 'claude-sonnet-4-20250514'],
  ['claude-4-sonnet-20250514', 'anthropic', 'claude-4-sonnet-20250514'],
  ['claude-opus-4-20250514', 'anthropic', 'claude-opus-4-20250514'],
  ['claude-opus-4-1', 'anthropic', 'claude-opus-4-1'],
  ['claude-opus-4-1-20250805', 'anthropic', 'claude-opus-4-1-20250805'],
  ['claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
  ['claude-sonnet-4-5-20250929', 'anthropic', 'claude-sonnet-4-5-20250929'],
  ['claude-haiku-4-5-20251001', 'anthropic', 'claude-haiku-4-5-20251001'],
  ['claude-opus-4-5', 'anthropic', 'claude-opus-4-5'],
  ['claude-opus-4-6', 'anthropic', 'claude-opus-4-6'],
  ['claude-sonnet-4-6', 'anthropic', 'claude-sonnet-4-6'],
  ['claude-opus-4-7-20260416', 'anthropic', 'claude-opus-4-7-20260416'],
  ['claude-opus-4-8', 'anthropic', 'claude-opus-4-8'],
  ['claude-sonnet-5', 'anthropic', 'claude-sonnet-5'],
  ['gemini-2.5-pro', 'google', 'gemini/gemini-2.5-pro'],
  ['gemini-2.5-flash', 'google', 'gemini/gemini-2.5-flash'],
  ['gemini-2.5-flash-lite', 'google', 'gemini/gemini-2.5-flash-lite'],
  ['gemini-2.0-flash', 'google', 'gemini/gemini-2.0-flash'],
  ['gemini-2.0-flash-001', 'google', 'gemini/gemini-2.0-flash-001'],
  ['gemini-2.0-flash-lite', 'google', 'gemini/gemini-2.0-flash-lite'],
  ['gemini-3-pro-preview', 'google', 'gemini/gemini-3-pro-preview'],
  ['gemini-3-flash-preview', 'google', 'gemini/gemini-3-flash-preview'],
  ['gemini-3.1-pro-preview', 'google', 'gemini/gemini-3.1-pro-preview'],
  ['gemini-embedding-001', 'google', 'gemini/gemini-embedding-001'],
  ['mistral-large-latest', 'mistral', 'mistral/mistral-large-latest'],
  ['mistral-large-2411', 'mistral', 'mistral/mistral-large-2411'],
  ['mistral-medium-latest', 'mistral', 'mistral/mistral-medium-latest'],
  ['mistral-medium-2505', 'mistral', 'mistral/mistral-medium-2505'],
  ['mistral-small-latest', 'mistral', 'mistral/mistral-small-latest'],
  ['codestral-2508', 'mistral', 'mistral/codestral-2508'],
  ['mistral-embed', 'mistral', 'mistral/mistral-embed'],
  ['deepseek-chat', 'deepseek', 'deepseek-chat'],
  ['deepseek-reasoner', 'deepseek', 'deepseek-reasoner'],
  ['qwen-max', 'qwen', 'dashscope/qwen-max'],
  ['qwen-plus', 'qwen', 'dashscope/qwen-plus'],
  ['qwen-turbo', 'qwen', 'dashscope/qwen-turbo'],
  ['qwen-turbo-latest', 'qwen', 'dashscope/qwen-turbo-latest'],
  ['llama-3.3-70b-versatile', 'groq', 'groq/llama-3.3-70b-versatile'],
  ['llama-3.1-8b-instant', 'groq', 'groq/llama-3.1-8b-instant'],
  ['meta-llama/llama-4-maverick-17b-128e-instruct', 'groq', 'groq/meta-llama/llama-4-maverick-17b-128e-instruct'],
  ['meta-llama/llama-4-scout-17b-16e-instruct', 'groq', 'groq/meta-llama/llama-4-scout-17b-16e-instruct'],
  ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together_ai', 'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  ['meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo', 'together_ai', 'together_ai/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo'],
  ['meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo', 'together_ai', 'together_ai/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo'],
  ['meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 'together_ai', 'together_ai/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo'],
  ['meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', 'together_ai', 'together_ai/meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8'],
  ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 'together_ai', 'together_ai/meta-llama/Llama-4-Scout-17B-16E-Instruct'],
  ['accounts/fireworks/models/llama-v3p3-70b-instruct', 'fireworks_ai', 'fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct'],
  ['accounts/fireworks/models/llama-v3p1-405b-instruct', 'fireworks_ai', 'fireworks_ai/accounts/fireworks/models/llama-v3p1-405b-instruct'],
  ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'fireworks_ai', 'fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct'],
  ['accounts/fireworks/models/llama4-maverick-instruct-basic', 'fireworks_ai', 'fireworks_ai/accounts/fireworks/models/llama4-maverick-instruct-basic'],
  ['accounts/fireworks/models/llama4-scout-instruct-basic', 'fireworks_ai', 'fireworks_ai/accounts/fireworks/models/llama4-scout-instruct-basic'],
];

describe('default price catalog', () => {
  const entries = loadDefaultCatalog();
  const matcher = new PriceMatcher(entries);
  const liteLlm = readFixtureJson(LITELLM_FILE) as Record<string, Record<string, unknown>>;

  it('parses completely, with compiling patterns and exact decimal prices', () => {
    expect(entries.length).toBeGreaterThan(50);
    for (const entry of entries) {
      expect(() => compileModelPattern(entry.modelPattern)).not.toThrow();
      expect(entry.inputPerMillionUsd).toMatch(/^\d+(\.\d{1,9})?$/);
      expect(entry.source).toBe('warden-default');
      expect(entry.effectiveFrom.getTime()).toBeLessThanOrEqual(AS_OF.getTime());
    }
  });

  it.each(REFERENCE_MODELS)('prices %s (%s) as LiteLLM does', (model, provider, liteLlmKey) => {
    const reference = liteLlm[liteLlmKey];
    expect(reference, `LiteLLM has no key ${liteLlmKey}`).toBeDefined();
    const entry = matcher.find(model, provider, AS_OF);
    expect(entry, `default catalog has no price for ${model}`).not.toBeNull();
    expect({ input: entry?.inputPerMillionUsd, output: entry?.outputPerMillionUsd }).toEqual({
      input: perTokenToPerMillion(reference.input_cost_per_token),
      output: perTokenToPerMillion(reference.output_cost_per_token ?? 0),
    });
    // Where LiteLLM knows a cache-read price, ours must be the same one, not a fallback to the input rate.
    if (reference.cache_read_input_token_cost !== undefined) {
      expect(entry?.cachedInputPerMillionUsd).toBe(perTokenToPerMillion(reference.cache_read_input_token_cost));
    }
  });

  it('keeps price history where prices changed', () => {
    expect(matcher.find('o3', 'openai', new Date('2025-05-01T00:00:00Z'))?.inputPerMillionUsd).toBe('10');
    expect(matcher.find('deepseek-chat', 'deepseek', new Date('2025-03-01T00:00:00Z'))?.outputPerMillionUsd).toBe('1.1');
    expect(matcher.find('o3', 'openai', new Date('2025-04-01T00:00:00Z'))).toBeNull();
  });

  it('does not price unrelated names that share a prefix', () => {
    for (const model of ['gpt-4o-mini-tts', 'gpt-4o-realtime-preview', 'claude-sonnet-4-5-haiku', 'gemini-2.5-flash-image', 'o3-deep-research']) {
      expect(matcher.find(model, undefined, AS_OF), model).toBeNull();
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { PriceEntry } from '../../../../server/src/modules/pricing/catalog/price-entry';
import { PriceMatcher, PricePatternError } from '../../../../server/src/modules/pricing/catalog/price-matcher';

function price(modelPattern: string, provider: string, input: string, effectiveFrom: string): PriceEntry {
  return {
    modelPattern,
    provider,
    inputPerMillionUsd: input,
    outputPerMillionUsd: '1',
    cachedInputPerMillionUsd: null,
    effectiveFrom: new Date(effectiveFrom),
    source: 'manual',
  };
}

const MARCH = new Date('2026-03-01T00:00:00Z');

describe('PriceMatcher price history', () => {
  const matcher = new PriceMatcher([
    price('o3', 'openai', '2', '2025-06-10T00:00:00Z'),
    price('o3', 'openai', '10', '2025-04-16T00:00:00Z'),
    price('o3', 'openai', '1', '2026-06-01T00:00:00Z'),
  ]);

  it('prices an event at the price in force at its timestamp', () => {
    expect(matcher.find('o3', 'openai', new Date('2025-05-01T12:00:00Z'))?.inputPerMillionUsd).toBe('10');
    expect(matcher.find('o3', 'openai', MARCH)?.inputPerMillionUsd).toBe('2');
    expect(matcher.find('o3', 'openai', new Date('2026-07-01T00:00:00Z'))?.inputPerMillionUsd).toBe('1');
  });

  it('takes the new price exactly at the boundary and the old one a millisecond before', () => {
    expect(matcher.find('o3', 'openai', new Date('2025-06-10T00:00:00Z'))?.inputPerMillionUsd).toBe('2');
    expect(matcher.find('o3', 'openai', new Date('2025-06-09T23:59:59.999Z'))?.inputPerMillionUsd).toBe('10');
  });

  it('gives null for an event before every price of the model', () => {
    expect(matcher.find('o3', 'openai', new Date('2025-04-15T23:59:59.999Z'))).toBeNull();
  });

  it('lets the entry given last win when two share an instant', () => {
    const replaced = new PriceMatcher([price('m', '', '1', '2026-01-01T00:00:00Z'), price('m', '', '2', '2026-01-01T00:00:00Z')]);
    expect(replaced.find('m', undefined, MARCH)?.inputPerMillionUsd).toBe('2');
  });

  it('falls back to the next matching entry before the preferred one starts', () => {
    // A catalog imported today must not leave last year's requests unpriced when an older price covered them.
    const withGeneric = new PriceMatcher([
      price('gpt-4o.*', 'openai', '5', '2024-01-01T00:00:00Z'),
      price('gpt-4o-mini', 'openai', '0.15', '2026-01-01T00:00:00Z'),
    ]);
    expect(withGeneric.find('gpt-4o-mini', 'openai', new Date('2025-01-01T00:00:00Z'))?.inputPerMillionUsd).toBe('5');
    expect(withGeneric.find('gpt-4o-mini', 'openai', new Date('2023-01-01T00:00:00Z'))).toBeNull();
    expect(withGeneric.find('gpt-4o-mini', 'openai', MARCH)?.inputPerMillionUsd).toBe('0.15');
  });

  it('falls back from a pattern whose first price is after the event to an older pattern', () => {
    const patterns = new PriceMatcher([
      price('gpt-4o.*', 'openai', '5', '2024-01-01T00:00:00Z'),
      price('gpt-4o-mini.*', 'openai', '0.15', '2026-01-01T00:00:00Z'),
    ]);
    expect(patterns.find('gpt-4o-mini-2024-07-18', 'openai', new Date('2025-06-01T00:00:00Z'))?.inputPerMillionUsd).toBe('5');
    expect(patterns.find('gpt-4o-mini-2024-07-18', 'openai', MARCH)?.inputPerMillionUsd).toBe('0.15');
  });
});

describe('PriceMatcher precedence: exact name, then the latest date', () => {
  it('lets an exact model name beat a pattern, even an older name against a newer pattern', () => {
    const matcher = new PriceMatcher([
      price('gpt-4o', 'openai', '2.5', '2024-05-13T00:00:00Z'),
      price('gpt-4o(-\\d{4}-\\d{2}-\\d{2})?', 'openai', '9', '2026-01-01T00:00:00Z'),
    ]);
    expect(matcher.find('gpt-4o', 'openai', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(matcher.find('GPT-4o', 'openai', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(matcher.find('gpt-4o-2024-08-06', 'openai', MARCH)?.inputPerMillionUsd).toBe('9');
  });

  it('treats an escaped literal as an exact name and a class or operator as a pattern', () => {
    const matcher = new PriceMatcher([
      price('gpt-4\\.1', 'openai', '2', '2025-01-01T00:00:00Z'),
      price('gpt-4.1', 'openai', '7', '2026-01-01T00:00:00Z'),
      price('^o3$', 'openai', '10', '2025-01-01T00:00:00Z'),
      price('o\\d', 'openai', '99', '2026-01-01T00:00:00Z'),
    ]);
    // 'gpt-4.1' has an unescaped dot: a pattern, so the exact 'gpt-4\\.1' wins for that name though older.
    expect(matcher.find('gpt-4.1', 'openai', MARCH)?.inputPerMillionUsd).toBe('2');
    expect(matcher.find('gpt-4x1', 'openai', MARCH)?.inputPerMillionUsd).toBe('7');
    expect(matcher.find('o3', 'openai', MARCH)?.inputPerMillionUsd).toBe('10');
    expect(matcher.find('o4', 'openai', MARCH)?.inputPerMillionUsd).toBe('99');
  });

  it('between two patterns, the latest effectiveFrom not after the event wins, whatever their length', () => {
    // The landed rule let the older, longer pattern win: a newer price finance typed was silently ignored.
    const matcher = new PriceMatcher([
      price('gpt-4o(-\\d{4}-\\d{2}-\\d{2})?', 'openai', '2.5', '2024-08-06T00:00:00Z'),
      price('gpt-4o.*', 'openai', '3', '2026-02-01T00:00:00Z'),
    ]);
    expect(matcher.find('gpt-4o-2024-08-06', 'openai', MARCH)?.inputPerMillionUsd).toBe('3');
    expect(matcher.find('gpt-4o-2024-08-06', 'openai', new Date('2026-01-31T23:59:59.999Z'))?.inputPerMillionUsd).toBe('2.5');
  });

  it('between two exact entries of one name, the latest effectiveFrom wins', () => {
    const matcher = new PriceMatcher([price('model-x', 'acme', '1', '2025-01-01T00:00:00Z'), price('MODEL-X', 'acme', '2', '2026-01-01T00:00:00Z')]);
    expect(matcher.find('model-x', 'acme', MARCH)?.inputPerMillionUsd).toBe('2');
    expect(matcher.find('model-x', 'acme', new Date('2025-06-01T00:00:00Z'))?.inputPerMillionUsd).toBe('1');
  });

  it('breaks a same-instant tie between patterns by the longer pattern, then the alphabetically first', () => {
    const longer = new PriceMatcher([price('m-.*', '', '1', '2025-01-01T00:00:00Z'), price('m-a.*', '', '2', '2025-01-01T00:00:00Z')]);
    expect(longer.find('m-abc', undefined, MARCH)?.inputPerMillionUsd).toBe('2');
    const sameLength = new PriceMatcher([price('m-b|m-a', '', '1', '2025-01-01T00:00:00Z'), price('m-a|m-b', '', '2', '2025-01-01T00:00:00Z')]);
    const reversed = new PriceMatcher([price('m-a|m-b', '', '2', '2025-01-01T00:00:00Z'), price('m-b|m-a', '', '1', '2025-01-01T00:00:00Z')]);
    expect(sameLength.find('m-a', undefined, MARCH)?.inputPerMillionUsd).toBe('2');
    expect(reversed.find('m-a', undefined, MARCH)?.inputPerMillionUsd).toBe('2');
  });
});

describe('PriceMatcher choice of pattern', () => {
  const matcher = new PriceMatcher([
    price('gpt-4o(-\\d{4}-\\d{2}-\\d{2})?', 'openai', '2.5', '2024-01-01T00:00:00Z'),
    price('gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?', 'openai', '0.15', '2024-01-01T00:00:00Z'),
    price('gpt-4o.*', '', '99', '2024-01-01T00:00:00Z'),
    price('gpt-4o', 'azure', '2.75', '2024-01-01T00:00:00Z'),
    price('claude-3-5-sonnet(-\\d{8}|-latest)?', 'anthropic', '3', '2024-01-01T00:00:00Z'),
    price('^llama-3\\.1-8b$', '', '0.05', '2024-01-01T00:00:00Z'),
  ]);

  it('matches the whole name, case-insensitively, including dated variants', () => {
    expect(matcher.find('gpt-4o-2024-08-06', 'openai', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(matcher.find('GPT-4o-Mini-2024-07-18', 'OpenAI', MARCH)?.inputPerMillionUsd).toBe('0.15');
    expect(matcher.find('claude-3-5-sonnet-20241022', 'anthropic', MARCH)?.inputPerMillionUsd).toBe('3');
    expect(matcher.find('claude-3-5-sonnet-latest', 'anthropic', MARCH)?.inputPerMillionUsd).toBe('3');
    expect(matcher.find('claude-3-5-sonnet-2024', 'anthropic', MARCH)).toBeNull();
    expect(matcher.find('my-claude-3-5-sonnet', 'anthropic', MARCH)).toBeNull();
    expect(matcher.find('LLAMA-3.1-8B', 'groq', MARCH)?.inputPerMillionUsd).toBe('0.05');
    expect(matcher.find('llama-3x1-8b', 'groq', MARCH)).toBeNull();
  });

  it('prefers a provider-specific price over a generic one, even with a shorter pattern', () => {
    expect(matcher.find('gpt-4o', 'openai', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(matcher.find('gpt-4o', 'azure', MARCH)?.inputPerMillionUsd).toBe('2.75');
  });

  it("uses only generic prices for a provider that has none of its own, never another provider's", () => {
    expect(matcher.find('gpt-4o', 'openrouter', MARCH)?.inputPerMillionUsd).toBe('99');
    expect(matcher.find('claude-3-5-sonnet', 'bedrock', MARCH)).toBeNull();
  });

  it("prices an event without a provider as its model's first-party provider would, else by generic prices only", () => {
    expect(matcher.find('gpt-4o-mini', undefined, MARCH)?.inputPerMillionUsd).toBe('0.15');
    expect(matcher.find('gpt-4o', '', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(matcher.find('claude-3-5-sonnet-latest', undefined, MARCH)?.inputPerMillionUsd).toBe('3');
    // Only Azure prices 'special-model': an event that does not say it went to Azure is not priced at Azure's rate.
    const azureOnly = new PriceMatcher([price('special-model', 'azure', '4', '2024-01-01T00:00:00Z'), price('other-model', '', '1', '2024-01-01T00:00:00Z')]);
    expect(azureOnly.find('special-model', undefined, MARCH)).toBeNull();
    expect(azureOnly.find('other-model', undefined, MARCH)?.inputPerMillionUsd).toBe('1');
  });

  it('among provider-specific patterns of one date prefers the longest pattern', () => {
    const overlapping = new PriceMatcher([
      price('gpt-.*', 'openai', '1', '2024-01-01T00:00:00Z'),
      price('gpt-4o-mini.*', 'openai', '0.15', '2024-01-01T00:00:00Z'),
      price('gpt-4o.*', 'openai', '2.5', '2024-01-01T00:00:00Z'),
    ]);
    expect(overlapping.find('gpt-4o-mini-2024-07-18', 'openai', MARCH)?.inputPerMillionUsd).toBe('0.15');
    expect(overlapping.find('gpt-4o-2024-08-06', 'openai', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(overlapping.find('gpt-3.5-turbo', 'openai', MARCH)?.inputPerMillionUsd).toBe('1');
  });

  it('prefers a provider-specific pattern over a generic exact name', () => {
    const mixed = new PriceMatcher([price('gpt-4o', '', '8', '2026-01-01T00:00:00Z'), price('gpt-4o.*', 'azure', '2.75', '2024-01-01T00:00:00Z')]);
    expect(mixed.find('gpt-4o', 'azure', MARCH)?.inputPerMillionUsd).toBe('2.75');
    expect(mixed.find('gpt-4o', 'openrouter', MARCH)?.inputPerMillionUsd).toBe('8');
  });

  it("looks up a provider-prefixed model name as that provider's model, when the event names no other provider", () => {
    const prefixed = new PriceMatcher([
      price('gpt-4o', 'azure', '2.75', '2024-01-01T00:00:00Z'),
      price('gpt-4o', 'openai', '2.5', '2024-01-01T00:00:00Z'),
      price('openai/gpt-4o', 'openrouter', '2.6', '2024-01-01T00:00:00Z'),
    ]);
    expect(prefixed.find('azure/gpt-4o', undefined, MARCH)?.inputPerMillionUsd).toBe('2.75');
    expect(prefixed.find('azure/gpt-4o', 'Azure', MARCH)?.inputPerMillionUsd).toBe('2.75');
    // OpenRouter names the model 'openai/gpt-4o': the prefix is not the event's provider, so the name is kept.
    expect(prefixed.find('openai/gpt-4o', 'openrouter', MARCH)?.inputPerMillionUsd).toBe('2.6');
    expect(prefixed.find('openai/gpt-4o', undefined, MARCH)?.inputPerMillionUsd).toBe('2.5');
    // A prefix no entry has as its provider is part of the name.
    expect(prefixed.find('acme/gpt-4o', undefined, MARCH)).toBeNull();
  });

  it('normalizes provider spellings of LiteLLM and OpenTelemetry on both sides', () => {
    const spelled = new PriceMatcher([price('gemini-2.5-flash', 'gemini', '0.3', '2025-01-01T00:00:00Z'), price('anthropic.claude-3-haiku', 'bedrock_converse', '0.25', '2025-01-01T00:00:00Z')]);
    expect(spelled.find('gemini-2.5-flash', 'Google', MARCH)?.inputPerMillionUsd).toBe('0.3');
    expect(spelled.find('gemini-2.5-flash', 'gcp.gemini', MARCH)?.inputPerMillionUsd).toBe('0.3');
    expect(spelled.find('anthropic.claude-3-haiku', 'aws.bedrock', MARCH)?.inputPerMillionUsd).toBe('0.25');
  });

  it('anchors patterns that only look anchored', () => {
    const alternation = new PriceMatcher([price('^a|b$', '', '1', '2024-01-01T00:00:00Z')]);
    expect(alternation.find('a', undefined, MARCH)).not.toBeNull();
    expect(alternation.find('abc', undefined, MARCH)).toBeNull();
    expect(alternation.find('xb', undefined, MARCH)).toBeNull();
  });

  it('answers the same from its cache as on the first lookup', () => {
    const first = matcher.find('gpt-4o-2024-11-20', 'openai', MARCH);
    expect(matcher.find('gpt-4o-2024-11-20', 'openai', MARCH)).toBe(first);
    expect(matcher.find('gpt-4o-2024-11-20', 'openai', new Date('2023-01-01T00:00:00Z'))).toBeNull();
  });

  it('does not depend on the order entries are given in', () => {
    const entries = [
      price('model-a', 'x', '1', '2024-01-01T00:00:00Z'),
      price('model-.', 'x', '2', '2024-01-01T00:00:00Z'),
      price('model-a', 'y', '3', '2024-01-01T00:00:00Z'),
    ];
    const forward = new PriceMatcher(entries).find('model-a', undefined, MARCH);
    const backward = new PriceMatcher([...entries].reverse()).find('model-a', undefined, MARCH);
    expect(forward?.inputPerMillionUsd).toBe(backward?.inputPerMillionUsd);
  });

  it('refuses an invalid pattern or date at construction, naming the pattern', () => {
    expect(() => new PriceMatcher([price('gpt-(4o', '', '1', '2024-01-01T00:00:00Z')])).toThrow(PricePatternError);
    expect(() => new PriceMatcher([price('gpt-(4o', '', '1', '2024-01-01T00:00:00Z')])).toThrow(/gpt-\(4o/);
    expect(() => new PriceMatcher([price('x', '', '1', 'not a date')])).toThrow(/effectiveFrom/);
  });

  it('leaves out an entry it cannot use when told where to report it, and prices the rest', () => {
    const reported: string[] = [];
    const tolerant = new PriceMatcher([price('gpt-4o(?!-mini)', 'openai', '1', '2024-01-01T00:00:00Z'), price('gpt-4o', 'openai', '2', '2024-01-01T00:00:00Z')], (entry, error) =>
      reported.push(`${entry.modelPattern}: ${error.message}`),
    );
    expect(reported).toEqual([expect.stringMatching(/^gpt-4o\(\?!-mini\): model pattern "gpt-4o\(\?!-mini\)" is not a valid regular expression for RE2/)]);
    expect(tolerant.find('gpt-4o', 'openai', MARCH)?.inputPerMillionUsd).toBe('2');
  });
});

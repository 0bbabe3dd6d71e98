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

  it('falls back to the next matching pattern before the more specific one starts', () => {
    // A catalog imported today must not leave last year's requests unpriced when an older price covered them.
    const withGeneric = new PriceMatcher([
      price('gpt-4o.*', 'openai', '5', '2024-01-01T00:00:00Z'),
      price('gpt-4o-mini', 'openai', '0.15', '2026-01-01T00:00:00Z'),
    ]);
    expect(withGeneric.find('gpt-4o-mini', 'openai', new Date('2025-01-01T00:00:00Z'))?.inputPerMillionUsd).toBe('5');
    expect(withGeneric.find('gpt-4o-mini', 'openai', new Date('2023-01-01T00:00:00Z'))).toBeNull();
    expect(withGeneric.find('gpt-4o-mini', 'openai', MARCH)?.inputPerMillionUsd).toBe('0.15');
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

  it("uses only generic prices for a provider that has none of its own, and any provider's when the event names none", () => {
    expect(matcher.find('gpt-4o', 'openrouter', MARCH)?.inputPerMillionUsd).toBe('99');
    expect(matcher.find('gpt-4o-mini', undefined, MARCH)?.inputPerMillionUsd).toBe('0.15');
    expect(matcher.find('claude-3-5-sonnet', 'bedrock', MARCH)).toBeNull();
  });

  it('among provider-specific matches prefers the longest pattern', () => {
    // both the gpt-4o pattern (no) and the gpt-4o-mini pattern could be candidates; only the mini one matches
    const overlapping = new PriceMatcher([
      price('gpt-.*', 'openai', '1', '2024-01-01T00:00:00Z'),
      price('gpt-4o-mini.*', 'openai', '0.15', '2024-01-01T00:00:00Z'),
      price('gpt-4o.*', 'openai', '2.5', '2024-01-01T00:00:00Z'),
    ]);
    expect(overlapping.find('gpt-4o-mini-2024-07-18', 'openai', MARCH)?.inputPerMillionUsd).toBe('0.15');
    expect(overlapping.find('gpt-4o-2024-08-06', 'openai', MARCH)?.inputPerMillionUsd).toBe('2.5');
    expect(overlapping.find('gpt-3.5-turbo', 'openai', MARCH)?.inputPerMillionUsd).toBe('1');
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
});

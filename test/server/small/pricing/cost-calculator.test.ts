import { describe, expect, it } from 'vitest';
import { costNanoUsd, type PriceRates } from '../../../../server/src/modules/pricing/catalog/cost-calculator';

// gpt-4o's list price: $2.50 in, $10 out, $1.25 cached, per million tokens.
const gpt4o: PriceRates = { inputPerMillionUsd: '2.5', outputPerMillionUsd: '10', cachedInputPerMillionUsd: '1.25' };

describe('costNanoUsd', () => {
  it('prices input and output tokens', () => {
    // 1000 * 2.5 / 1e6 = 0.0025 USD; 500 * 10 / 1e6 = 0.005 USD
    expect(costNanoUsd(gpt4o, { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 0 })).toBe(7_500_000n);
    expect(costNanoUsd(gpt4o, { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(12_500_000_000n);
    expect(costNanoUsd(gpt4o, { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 })).toBe(0n);
  });

  it('charges cached tokens at the cached rate only, never also at the input rate', () => {
    // 600 uncached * 2.5 + 400 cached * 1.25 = 2000 USD-per-million-tokens units = 0.002 USD
    expect(costNanoUsd(gpt4o, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 400 })).toBe(2_000_000n);
  });

  it('charges cached tokens at the input rate when the entry has no cached rate', () => {
    const noCachedRate: PriceRates = { ...gpt4o, cachedInputPerMillionUsd: null };
    expect(costNanoUsd(noCachedRate, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 400 })).toBe(2_500_000n);
  });

  it('clamps a cached count above the input count to the input count', () => {
    expect(costNanoUsd(gpt4o, { inputTokens: 100, outputTokens: 0, cachedInputTokens: 5000 })).toBe(
      costNanoUsd(gpt4o, { inputTokens: 100, outputTokens: 0, cachedInputTokens: 100 }),
    );
    expect(costNanoUsd(gpt4o, { inputTokens: 100, outputTokens: 0, cachedInputTokens: 100 })).toBe(125_000n);
  });

  it('rounds half-up to the nano-dollar once per event, not per token class', () => {
    // $0.0375 per million is 37.5 nano-USD per token: the sub-nano part is where rounding shows.
    const cheap: PriceRates = { inputPerMillionUsd: '0.0375', outputPerMillionUsd: '0.0125', cachedInputPerMillionUsd: '0.01875' };
    expect(costNanoUsd(cheap, { inputTokens: 1, outputTokens: 0 })).toBe(38n); // 37.5, half-up
    expect(costNanoUsd(cheap, { inputTokens: 0, outputTokens: 1 })).toBe(13n); // 12.5
    expect(costNanoUsd(cheap, { inputTokens: 1, outputTokens: 0, cachedInputTokens: 1 })).toBe(19n); // 18.75
    // Rounded per class this would be 38 + 13 = 51; the exact sum is 50.
    expect(costNanoUsd(cheap, { inputTokens: 1, outputTokens: 1 })).toBe(50n);
    // 2 * 37.5 + 18.75 = 93.75
    expect(costNanoUsd(cheap, { inputTokens: 3, outputTokens: 0, cachedInputTokens: 1 })).toBe(94n);
    const justBelowHalf: PriceRates = { ...cheap, inputPerMillionUsd: '0.0374999' };
    expect(costNanoUsd(justBelowHalf, { inputTokens: 1, outputTokens: 0 })).toBe(37n);
  });

  it('keeps precision for rates finer than nine decimals and for very large counts', () => {
    // 1e-10 USD per million tokens is 1e-7 nano-USD per token.
    const fine: PriceRates = { inputPerMillionUsd: '0.0000000001', outputPerMillionUsd: '0', cachedInputPerMillionUsd: null };
    expect(costNanoUsd(fine, { inputTokens: 5_000_000_000, outputTokens: 0 })).toBe(500n);
    const huge = Number.MAX_SAFE_INTEGER;
    expect(costNanoUsd(gpt4o, { inputTokens: huge, outputTokens: 0 })).toBe(BigInt(huge) * 2_500n);
  });

  it('refuses negative or fractional token counts', () => {
    expect(() => costNanoUsd(gpt4o, { inputTokens: -1, outputTokens: 0 })).toThrow(RangeError);
    expect(() => costNanoUsd(gpt4o, { inputTokens: 1.5, outputTokens: 0 })).toThrow(/inputTokens/);
    expect(() => costNanoUsd(gpt4o, { inputTokens: 1, outputTokens: 0, cachedInputTokens: Number.NaN })).toThrow(
      /cachedInputTokens/,
    );
  });
});

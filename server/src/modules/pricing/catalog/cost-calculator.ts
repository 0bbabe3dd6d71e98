import { divideRoundingHalfUp, parseExactDecimal, PRICE_DECIMAL_PLACES } from '../../../engine/money/exact-decimal';
import type { PriceEntry } from './price-entry';

export type PriceRates = Pick<PriceEntry, 'inputPerMillionUsd' | 'outputPerMillionUsd' | 'cachedInputPerMillionUsd'>;

export interface TokenUsage {
  /** All prompt tokens, cached ones included (OpenAI's convention, which the ingest contract follows). */
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens read from the provider's prompt cache; absent means none. */
  cachedInputTokens?: number;
}

/** The three per-million rates as integers over one common power of ten, parsed once per entry. */
interface ScaledRates {
  input: bigint;
  cachedInput: bigint;
  output: bigint;
  /** 10^scale: the rates above are USD per million tokens times this. */
  divisor: bigint;
}

// Ingest prices every event; parsing three decimal strings per event would be wasted work, and a WeakMap lets the
// parsed form go away with the entry when a catalog reload replaces it.
const scaledRatesByEntry = new WeakMap<PriceRates, ScaledRates>();

/**
 * Cost of one event in nano-USD. Uncached input tokens pay the input rate and cached ones the cached rate (the
 * input rate when the entry has none), so a cached token is never charged twice. The exact sum is rounded once,
 * half-up to the nano-dollar, so rounding error never accumulates within an event.
 */
export function costNanoUsd(entry: PriceRates, usage: TokenUsage): bigint {
  const inputTokens = tokenCount(usage.inputTokens, 'inputTokens');
  const outputTokens = tokenCount(usage.outputTokens, 'outputTokens');
  // A cached count above the input count means the sender used Anthropic's convention (input_tokens excludes cache
  // reads) without normalising it. Clamping keeps the uncached part from going negative and never bills more input
  // tokens than were reported: the cost is then a lower bound rather than a negative or inflated number.
  const cachedTokens = minimum(tokenCount(usage.cachedInputTokens ?? 0, 'cachedInputTokens'), inputTokens);
  const rates = scaledRates(entry);
  const scaledUsd =
    (inputTokens - cachedTokens) * rates.input + cachedTokens * rates.cachedInput + outputTokens * rates.output;
  // scaledUsd / divisor is USD per million tokens times tokens; nano-USD = that * 10^9 / 10^6.
  return divideRoundingHalfUp(scaledUsd * 1000n, rates.divisor);
}

function scaledRates(entry: PriceRates): ScaledRates {
  const cached = scaledRatesByEntry.get(entry);
  if (cached) return cached;
  const input = parseRate(entry.inputPerMillionUsd, 'inputPerMillionUsd');
  const output = parseRate(entry.outputPerMillionUsd, 'outputPerMillionUsd');
  const cachedInput =
    entry.cachedInputPerMillionUsd === null ? input : parseRate(entry.cachedInputPerMillionUsd, 'cachedInputPerMillionUsd');
  const scale = Math.max(PRICE_DECIMAL_PLACES, input.scale, output.scale, cachedInput.scale);
  const atScale = (rate: { units: bigint; scale: number }): bigint => rate.units * 10n ** BigInt(scale - rate.scale);
  const rates: ScaledRates = {
    input: atScale(input),
    cachedInput: atScale(cachedInput),
    output: atScale(output),
    divisor: 10n ** BigInt(scale),
  };
  scaledRatesByEntry.set(entry, rates);
  return rates;
}

function parseRate(text: string, field: string): { units: bigint; scale: number } {
  const rate = parseExactDecimal(text);
  if (rate.units < 0n) throw new RangeError(`${field} must not be negative, got ${text}`);
  return rate;
}

function tokenCount(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative integer, got ${String(value)}`);
  }
  return BigInt(value);
}

function minimum(first: bigint, second: bigint): bigint {
  return first < second ? first : second;
}

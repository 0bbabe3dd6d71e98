/**
 * Exact decimal arithmetic for money. Catalog files carry prices as JSON numbers such as 1.5e-07 (USD per token);
 * 1.5e-07 * 1e6 in floating point is 0.15000000000000002, so every conversion here works on the decimal digits of
 * the number's shortest round-trip string instead, with bigint for the arithmetic.
 */

export const NANO_USD_PER_USD = 1_000_000_000n;
/** Per-million prices keep nine decimals: a nano-dollar per million tokens. */
export const PRICE_DECIMAL_PLACES = 9;

/** value = units / 10^scale, exactly. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
}

const DECIMAL_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Beyond this an exponent is a typo or an attack (1e999999 would build a million-digit bigint), never a price. */
const MAX_EXPONENT = 100;

export function parseExactDecimal(text: string): ExactDecimal {
  const match = DECIMAL_SYNTAX.exec(text.trim());
  const integerDigits = match?.[2] ?? '';
  const fractionDigits = match?.[3] ?? '';
  if (!match || integerDigits.length + fractionDigits.length === 0) {
    throw new DecimalFormatError(`not a decimal number: ${JSON.stringify(text)}`);
  }
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  if (Math.abs(exponent) > MAX_EXPONENT) {
    throw new DecimalFormatError(`exponent out of range in ${JSON.stringify(text)}`);
  }
  const sign = match[1] === '-' ? -1n : 1n;
  const digits = BigInt(integerDigits + fractionDigits);
  const scale = fractionDigits.length - exponent;
  return scale >= 0
    ? { units: sign * digits, scale }
    : { units: sign * digits * 10n ** BigInt(-scale), scale: 0 };
}

/**
 * Reads a JSON price: a number is taken through String(number), which is the shortest string that round-trips to
 * the same double, so 1.5e-7 reads as exactly 15 * 10^-8 and not as the binary fraction nearest to it.
 */
export function decimalFromJsonValue(value: unknown): ExactDecimal {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DecimalFormatError(`not a finite number: ${String(value)}`);
    return parseExactDecimal(String(value));
  }
  if (typeof value === 'string') return parseExactDecimal(value);
  throw new DecimalFormatError(`expected a number or a decimal string, got ${describeJsonType(value)}`);
}

/** Multiplies by 10^places (negative places divide), exactly. */
export function shiftDecimal(value: ExactDecimal, places: number): ExactDecimal {
  const scale = value.scale - places;
  return scale >= 0 ? { units: value.units, scale } : { units: value.units * 10n ** BigInt(-scale), scale: 0 };
}

/** Rounds to `places` decimals, half away from zero (half-up for the non-negative amounts money takes here). */
export function roundDecimal(value: ExactDecimal, places: number): ExactDecimal {
  if (value.scale <= places) return value;
  return { units: divideRoundingHalfUp(value.units, 10n ** BigInt(value.scale - places)), scale: places };
}

/** numerator / denominator rounded half away from zero; denominator must be positive. */
export function divideRoundingHalfUp(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return numerator < 0n ? -rounded : rounded;
}

/** Plain notation, no exponent, trailing fraction zeros removed: '0.15', '2', '0.000000015'. */
export function formatExactDecimal(value: ExactDecimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const integerPart = digits.slice(0, digits.length - value.scale);
  const fractionPart = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  const text = fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
  return negative && text !== '0' ? `-${text}` : text;
}

export function isNegative(value: ExactDecimal): boolean {
  return value.units < 0n;
}

/**
 * USD per token (as LiteLLM and Langfuse store it) to USD per million tokens, the unit Warden stores: a shift by six
 * decimal places, then rounded to nine decimals, because some upstream values carry float noise from how they were
 * computed (9.999990000000002e-06).
 */
export function perTokenToPerMillion(value: unknown): string {
  return formatExactDecimal(roundDecimal(shiftDecimal(decimalFromJsonValue(value), 6), PRICE_DECIMAL_PLACES));
}

/** A USD amount (JSON number or decimal string) to whole nano-dollars, rounded half-up. */
export function nanoUsdFromDecimal(value: unknown): bigint {
  const nano = roundDecimal(shiftDecimal(decimalFromJsonValue(value), PRICE_DECIMAL_PLACES), 0);
  return nano.units * 10n ** BigInt(nano.scale);
}

/** Nano-dollars as a USD decimal string: 1234567n → '0.001234567', 2500000000n → '2.5'. */
export function formatNanoUsd(nanoUsd: bigint): string {
  return formatExactDecimal({ units: nanoUsd, scale: PRICE_DECIMAL_PLACES });
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

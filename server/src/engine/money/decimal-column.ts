import { DecimalFormatError, formatExactDecimal, parseExactDecimal, type ExactDecimal } from './exact-decimal';

/** A decimal that does not fit its column, or is no decimal at all; the message names the problem, the caller the field. */
export class DecimalColumnError extends Error {
  override readonly name = 'DecimalColumnError';
}

export interface DecimalColumn {
  /** Total digits (numeric(precision, scale)). */
  precision: number;
  /** Decimal places the column keeps. */
  scale: number;
  /** Smallest value allowed, as a decimal string; '0' for money. */
  minimum?: string;
  /** Largest value allowed, as a decimal string; the column's own limit when absent. */
  maximum?: string;
}

/**
 * Checks a decimal against the column it is stored in and returns its canonical text ('2.50' → '2.5'). More
 * decimals than the column keeps are refused, never rounded: Postgres would round them silently and what finance
 * typed would not be what is charged. So are values beyond the column or the allowed range, and negatives.
 */
export function checkDecimalColumn(text: string, column: DecimalColumn): string {
  let value: ExactDecimal;
  try {
    value = parseExactDecimal(text);
  } catch (error) {
    throw new DecimalColumnError((error as DecimalFormatError).message);
  }
  const normalized = withoutTrailingZeros(value);
  if (normalized.scale > column.scale) {
    throw new DecimalColumnError(`more than ${column.scale} decimal places (${text.trim()}); the column keeps ${column.scale}: round it yourself`);
  }
  const minimum = parseExactDecimal(column.minimum ?? '0');
  if (compareDecimals(normalized, minimum) < 0) {
    throw new DecimalColumnError(minimum.units === 0n ? 'must not be negative' : `must be at least ${column.minimum}`);
  }
  const columnMaximum: ExactDecimal = { units: 10n ** BigInt(column.precision) - 1n, scale: column.scale };
  const maximum = column.maximum === undefined ? columnMaximum : parseExactDecimal(column.maximum);
  if (compareDecimals(normalized, maximum) > 0) {
    throw new DecimalColumnError(`too large: at most ${formatExactDecimal(maximum)}`);
  }
  return formatExactDecimal(normalized);
}

function withoutTrailingZeros(value: ExactDecimal): ExactDecimal {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

export function compareDecimals(first: ExactDecimal, second: ExactDecimal): number {
  const scale = Math.max(first.scale, second.scale);
  const firstUnits = first.units * 10n ** BigInt(scale - first.scale);
  const secondUnits = second.units * 10n ** BigInt(scale - second.scale);
  return firstUnits < secondUnits ? -1 : firstUnits > secondUnits ? 1 : 0;
}

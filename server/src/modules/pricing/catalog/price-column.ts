import { checkDecimalColumn, type DecimalColumn } from '../../../engine/money/decimal-column';

/** The catalog's money columns are numeric(20,9): nine decimals, eleven integer digits, never negative. */
export const PRICE_COLUMN: DecimalColumn = { precision: 20, scale: 9, minimum: '0' };

/**
 * A price in USD per million tokens checked against its column and made canonical ('2.50' → '2.5'); throws
 * DecimalColumnError naming the problem: more than nine decimals (never rounded), too large for the column,
 * negative, not a decimal.
 */
export function checkPriceColumn(text: string): string {
  return checkDecimalColumn(text, PRICE_COLUMN);
}

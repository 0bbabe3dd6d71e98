import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { Kind, type ValueNode } from 'graphql';
import { DecimalFormatError, formatExactDecimal, parseExactDecimal } from '../money/exact-decimal';

/** Longer text is no amount of money; it bounds the bigint a hostile value could make us build. */
const MAX_DECIMAL_TEXT_LENGTH = 64;
/** A double keeps every decimal of up to 15 significant digits exactly (DBL_DIG): beyond that it may have rounded. */
const MAX_EXACT_FLOAT_DIGITS = 15;

/**
 * Exact decimals across GraphQL: money and factors travel as decimal strings, never as Float, whose binary
 * fractions turn 0.1 into 0.1000000000000000055…  Output is plain notation without trailing zeros ('2.5',
 * '0.000000015'). Input: a string ("2.50", "1.5e-7"), or an Int/Float literal in the query text, read from its
 * source digits (graphql-js keeps them), so `2.50` in a query is exactly 2.5. A JSON number in the variables has
 * already been through a double, so it is accepted only when String(n) gives back exactly what the client wrote,
 * which holds for every number of at most 15 significant digits; longer ones must be sent as strings. Range and
 * scale (what the column keeps) are checked by the service, which names the argument.
 */
@Scalar('Decimal')
export class DecimalScalar implements CustomScalar<string, string> {
  readonly description =
    'An exact decimal number as a string in plain notation ("2.5", "0.000000015"). Input: a string, or a number ' +
    'literal in the query; a JSON number variable only with at most 15 significant digits (send longer ones as strings).';

  serialize(value: unknown): string {
    if (typeof value === 'string') return canonicalDecimal(value);
    if (typeof value === 'bigint') return value.toString();
    throw new TypeError(`cannot represent ${typeof value} ${String(value)} as a Decimal: money is never a float`);
  }

  parseValue(value: unknown): string {
    if (typeof value === 'string') return canonicalDecimal(value);
    if (typeof value === 'number') return decimalOfJsonNumber(value);
    throw new TypeError(`a Decimal must be a decimal string, got ${value === null ? 'null' : typeof value}`);
  }

  parseLiteral(node: ValueNode): string {
    if (node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT) return canonicalDecimal(node.value);
    throw new TypeError(`a Decimal must be a decimal string or number literal, got ${node.kind}`);
  }
}

/**
 * '2.50' → '2.5', '1.5e-7' → '0.00000015'; throws a TypeError naming the text for anything else (graphql-js adds
 * the argument's name; a plain error, since the graphql module instance may differ from Nest's).
 */
export function canonicalDecimal(text: string): string {
  if (text.length > MAX_DECIMAL_TEXT_LENGTH) throw new TypeError(`longer than ${MAX_DECIMAL_TEXT_LENGTH} characters: not a Decimal`);
  try {
    return formatExactDecimal(parseExactDecimal(text));
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new TypeError(error.message);
    throw error;
  }
}

function decimalOfJsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${String(value)}`);
  const text = String(value);
  const digits = significantDigits(text);
  if (digits > MAX_EXACT_FLOAT_DIGITS || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new TypeError(
      `the JSON number ${text} has ${digits} significant digits, more than a double keeps exactly ` +
        `(${MAX_EXACT_FLOAT_DIGITS}); send it as a string`,
    );
  }
  return canonicalDecimal(text);
}

function significantDigits(numberText: string): number {
  const mantissa = numberText.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length || 1;
}

import { Kind, parseValue, type ValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DecimalScalar as DecimalScalarClass } from '../../../../server/src/engine/graphql/decimal.scalar';

const literal = (source: string): ValueNode => parseValue(source);
const DecimalScalar = new DecimalScalarClass();

describe('the Decimal GraphQL scalar', () => {
  it('serializes exact decimal text as a plain string, never a number', () => {
    expect(DecimalScalar.serialize('2.500000000')).toBe('2.5');
    expect(DecimalScalar.serialize('0.000000015')).toBe('0.000000015');
    expect(DecimalScalar.serialize(1234n)).toBe('1234');
    expect(() => DecimalScalar.serialize(0.1)).toThrow(/never a float/);
  });

  it('parses a string variable exactly', () => {
    expect(DecimalScalar.parseValue('0.1')).toBe('0.1');
    expect(DecimalScalar.parseValue(' 1.5e-7 ')).toBe('0.00000015');
    expect(DecimalScalar.parseValue('12345678901.123456789')).toBe('12345678901.123456789');
    expect(() => DecimalScalar.parseValue('ten')).toThrow(/^not a decimal number: "ten"$/);
    expect(() => DecimalScalar.parseValue('1'.repeat(65))).toThrow(/longer than 64/);
    expect(() => DecimalScalar.parseValue(true)).toThrow(/a Decimal must be a decimal string, got boolean/);
  });

  it('accepts a JSON number variable only when String(n) is exactly what was written', () => {
    expect(DecimalScalar.parseValue(0.1)).toBe('0.1');
    expect(DecimalScalar.parseValue(2.5)).toBe('2.5');
    expect(DecimalScalar.parseValue(1.5e-7)).toBe('0.00000015');
    expect(DecimalScalar.parseValue(123456789.123456)).toBe('123456789.123456');
    // JSON.parse('0.12345678901234567890') is 0.12345678901234568: what was written is lost, so it is refused.
    expect(() => DecimalScalar.parseValue(JSON.parse('0.12345678901234567890') as number)).toThrow(/send it as a string/);
    expect(() => DecimalScalar.parseValue(JSON.parse('12345678901234567890') as number)).toThrow(/send it as a string/);
    expect(() => DecimalScalar.parseValue(Number.NaN)).toThrow(/not a finite number/);
  });

  it('parses Int and Float literals from their source digits, not through a double', () => {
    expect(DecimalScalar.parseLiteral(literal('0.12345678901234567890'))).toBe('0.1234567890123456789');
    expect(DecimalScalar.parseLiteral(literal('2.50'))).toBe('2.5');
    expect(DecimalScalar.parseLiteral(literal('12345678901234567890'))).toBe('12345678901234567890');
    expect(DecimalScalar.parseLiteral(literal('"0.000000001"'))).toBe('0.000000001');
    expect(() => DecimalScalar.parseLiteral(literal('true'))).toThrow(/got BooleanValue/);
    expect(() => DecimalScalar.parseLiteral({ kind: Kind.STRING, value: '1,5' })).toThrow(/not a decimal number/);
  });
});

import { describe, expect, it } from 'vitest';
import { decimalText, formatDecimalUsd, formatDecimalUsdShort, nanoUsdToDecimal } from '../../web/src/dataProvider/decimalValues';

describe('the console shows exact decimals without a float', () => {
  it('formats USD from the digits', () => {
    expect(formatDecimalUsd('2.5')).toBe('$2.50');
    expect(formatDecimalUsd('1234567.125')).toBe('$1,234,567.125');
    expect(formatDecimalUsd('0.000000015')).toBe('$0.000000015');
    expect(formatDecimalUsd('99999999999.999999999')).toBe('$99,999,999,999.999999999');
    expect(formatDecimalUsd(null)).toBe('—');
    // 0.1 + 0.2 in floats is 0.30000000000000004; the digits stay what the server sent.
    expect(formatDecimalUsd('0.3')).toBe('$0.30');
  });

  it('rounds half-up on the digits for short display', () => {
    expect(formatDecimalUsd('0.12345', { maximumFractionDigits: 4 })).toBe('$0.1235');
    expect(formatDecimalUsd('9.99995', { maximumFractionDigits: 4 })).toBe('$10.00');
    expect(formatDecimalUsdShort('1234.565')).toBe('$1,234.57');
    expect(formatDecimalUsdShort('0.00123456')).toBe('$0.0012');
    expect(formatDecimalUsdShort('-0.00001')).toBe('$0.00');
  });

  it('turns nano-USD into a USD decimal exactly', () => {
    expect(nanoUsdToDecimal(1234567n)).toBe('0.001234567');
    expect(nanoUsdToDecimal(2_500_000_000n)).toBe('2.5');
    expect(nanoUsdToDecimal(9_007_199_254_740_993_000n)).toBe('9007199254.740993');
    expect(nanoUsdToDecimal(-5n)).toBe('-0.000000005');
  });

  it('validates typed decimals against the places the column keeps', () => {
    const nine = decimalText(9);
    expect(nine('2.5')).toBeUndefined();
    expect(nine('')).toBeUndefined();
    expect(nine('0.1234567890')).toBeUndefined();
    expect(nine('0.1234567891')).toBe('At most 9 decimal places');
    expect(nine('-1')).toBe('A non-negative decimal number, e.g. 2.5');
    expect(nine('1e-7')).toBe('A non-negative decimal number, e.g. 2.5');
  });
});

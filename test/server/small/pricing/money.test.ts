import { describe, expect, it } from 'vitest';
import {
  DecimalFormatError,
  formatNanoUsd,
  nanoUsdFromDecimal,
  parseExactDecimal,
  perTokenToPerMillion,
} from '../../../../server/src/engine/money/exact-decimal';

describe('perTokenToPerMillion', () => {
  it('shifts per-token JSON numbers to per-million exactly, where float multiplication would not', () => {
    expect(2.9e-6 * 1e6).toBe(2.9000000000000004); // the float error this module exists to avoid
    expect(perTokenToPerMillion(2.9e-6)).toBe('2.9');
    expect(perTokenToPerMillion(1.5e-7)).toBe('0.15');
    expect(perTokenToPerMillion(3.75e-8)).toBe('0.0375');
    expect(perTokenToPerMillion(0.000015)).toBe('15');
    expect(perTokenToPerMillion(2.5e-6)).toBe('2.5');
    expect(perTokenToPerMillion(1e-5)).toBe('10');
    expect(perTokenToPerMillion(0)).toBe('0');
  });

  it('reads decimal strings and exponent notation in strings', () => {
    expect(perTokenToPerMillion('1.5e-07')).toBe('0.15');
    expect(perTokenToPerMillion('0.000000125')).toBe('0.125');
    expect(perTokenToPerMillion('3E-6')).toBe('3');
  });

  it('rounds upstream float noise half-up to nine decimals per million', () => {
    expect(perTokenToPerMillion(9.999990000000002e-6)).toBe('9.99999');
    expect(perTokenToPerMillion('1.0000000005e-6')).toBe('1.000000001');
    expect(perTokenToPerMillion('1.0000000004e-6')).toBe('1');
  });

  it('refuses what is not a finite decimal', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 'abc', '', '.', '1e', null, {}, '1e999999']) {
      expect(() => perTokenToPerMillion(bad)).toThrow(DecimalFormatError);
    }
  });
});

describe('parseExactDecimal', () => {
  it('keeps every digit', () => {
    expect(parseExactDecimal('0.15')).toEqual({ units: 15n, scale: 2 });
    expect(parseExactDecimal('-1.5e-7')).toEqual({ units: -15n, scale: 8 });
    expect(parseExactDecimal('12e3')).toEqual({ units: 12000n, scale: 0 });
    expect(parseExactDecimal('.5')).toEqual({ units: 5n, scale: 1 });
  });
});

describe('nano-USD', () => {
  it('converts USD amounts to nano-USD with half-up rounding', () => {
    expect(nanoUsdFromDecimal('0.15')).toBe(150_000_000n);
    expect(nanoUsdFromDecimal(1.5e-7)).toBe(150n);
    expect(nanoUsdFromDecimal('0.0000000015')).toBe(2n);
    expect(nanoUsdFromDecimal('0.0000000014999')).toBe(1n);
    expect(nanoUsdFromDecimal(12)).toBe(12_000_000_000n);
  });

  it('formats nano-USD as a plain USD decimal string', () => {
    expect(formatNanoUsd(1_234_567n)).toBe('0.001234567');
    expect(formatNanoUsd(2_500_000_000n)).toBe('2.5');
    expect(formatNanoUsd(0n)).toBe('0');
    expect(formatNanoUsd(1n)).toBe('0.000000001');
    expect(formatNanoUsd(-1_500_000_000n)).toBe('-1.5');
    expect(formatNanoUsd(123_000_000_000_000_000_001n)).toBe('123000000000.000000001');
  });
});

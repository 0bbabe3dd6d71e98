import { describe, expect, it } from 'vitest';
import { DecimalColumnError } from '../../../../server/src/engine/money/decimal-column';
import { checkPriceColumn } from '../../../../server/src/modules/pricing/catalog/price-column';
import { validatePriceInput } from '../../../../server/src/modules/pricing/pricing.service';
import { DomainError } from '../../../../server/src/engine/errors/domain-error';

describe('prices checked against their column, numeric(20,9)', () => {
  it.each([
    ['0.123456789', '0.123456789'],
    ['2.50', '2.5'],
    ['1.5000000000', '1.5'],
    ['1.5e-7', '0.00000015'],
    ['99999999999.999999999', '99999999999.999999999'],
    ['0', '0'],
  ])('keeps %s as %s', (text, stored) => {
    expect(checkPriceColumn(text)).toBe(stored);
  });

  it.each([
    ['0.1234567891', /more than 9 decimal places \(0\.1234567891\)/],
    ['1e-10', /more than 9 decimal places/],
    ['100000000000', /too large: at most 99999999999\.999999999/],
    ['99999999999.9999999991', /more than 9 decimal places/],
    ['-0.5', /must not be negative/],
    ['a lot', /not a decimal number/],
  ])('refuses %s, never rounding it', (text, reason) => {
    expect(() => checkPriceColumn(text)).toThrow(DecimalColumnError);
    expect(() => checkPriceColumn(text)).toThrow(reason);
  });

  it('names every bad field of a price at once', () => {
    const input = {
      modelPattern: 'gpt-4o(?=x)',
      provider: 'OpenAI',
      inputPerMillionUsd: '0.0000000001',
      outputPerMillionUsd: '123456789012',
      cachedInputPerMillionUsd: '-1',
      effectiveFrom: new Date('2026-01-01T00:00:00Z'),
    };
    let caught: unknown;
    try {
      validatePriceInput(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).details).toEqual([
      expect.stringMatching(/^modelPattern: model pattern "gpt-4o\(\?=x\)" is not a valid regular expression for RE2/),
      'inputPerMillionUsd: more than 9 decimal places (0.0000000001); the column keeps 9: round it yourself',
      'outputPerMillionUsd: too large: at most 99999999999.999999999',
      'cachedInputPerMillionUsd: must not be negative',
    ]);
  });

  it('returns the values as stored: provider normalized, rates canonical', () => {
    const values = validatePriceInput({
      modelPattern: 'gpt-4o', provider: 'Gemini', inputPerMillionUsd: '2.50', outputPerMillionUsd: '10', cachedInputPerMillionUsd: null,
      effectiveFrom: new Date('2026-01-01T00:00:00Z'),
    });
    expect(values).toMatchObject({ provider: 'google', inputPerMillionUsd: '2.5', outputPerMillionUsd: '10', cachedInputPerMillionUsd: null });
  });
});

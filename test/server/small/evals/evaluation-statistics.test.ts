import { describe, expect, it } from 'vitest';
import { standardNormalCdf, twoProportionPValue, wilsonInterval } from '../../../../server/src/modules/evals/evaluation-statistics';

describe('statistics for comparing hallucination rates', () => {
  it('gives the Wilson 95% interval of textbook examples', () => {
    // 5 of 10: the interval every reference quotes, (0.2366, 0.7634).
    const half = wilsonInterval(5, 10)!;
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    // 0 of 20 keeps a positive upper bound (where the plain normal interval collapses to [0, 0]).
    const none = wilsonInterval(0, 20)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.1611, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('gives the two-proportion z-test p-value', () => {
    // 50/100 against 40/100: z = 1.4213, two-sided p = 0.1552.
    expect(twoProportionPValue(50, 100, 40, 100)).toBeCloseTo(0.1552, 4);
    // 30/100 against 10/100: z = 3.5355, p = 0.000407.
    expect(twoProportionPValue(30, 100, 10, 100)).toBeCloseTo(0.000407, 5);
    expect(twoProportionPValue(3, 10, 3, 10)).toBe(1);
    expect(twoProportionPValue(0, 10, 0, 10)).toBeNull();
    expect(twoProportionPValue(1, 0, 1, 10)).toBeNull();
  });

  it('computes the standard normal distribution function', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(standardNormalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});

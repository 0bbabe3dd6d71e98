/** Small statistics for comparing hallucination rates; pure, so they are tested on their own. */

const z95 = 1.959963984540054;

/** The Wilson score interval (95%) of a proportion; null when there are no trials. */
export function wilsonInterval(successes: number, trials: number): { low: number; high: number } | null {
  if (trials <= 0) return null;
  const share = successes / trials;
  const z2 = z95 * z95;
  const denominator = 1 + z2 / trials;
  const centre = (share + z2 / (2 * trials)) / denominator;
  const margin = (z95 * Math.sqrt((share * (1 - share)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

/**
 * Two-sided p-value of the two-proportion z-test (pooled): how likely rates this far apart are if both models
 * hallucinate equally often. Null when either side has no trials or the pooled rate is 0 or 1 (no spread to test).
 */
export function twoProportionPValue(successesA: number, trialsA: number, successesB: number, trialsB: number): number | null {
  if (trialsA <= 0 || trialsB <= 0) return null;
  const pooled = (successesA + successesB) / (trialsA + trialsB);
  if (pooled <= 0 || pooled >= 1) return null;
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  const z = Math.abs(successesA / trialsA - successesB / trialsB) / standardError;
  if (z === 0) return 1;
  return Math.min(1, 2 * (1 - standardNormalCdf(z)));
}

/** Φ(x) through erf (Abramowitz and Stegun 7.1.26: error below 1.5e-7, ample for a p-value shown to 3 places). */
export function standardNormalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - polynomial * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

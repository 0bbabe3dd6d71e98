/**
 * Cumulative Prometheus histograms: read from an exposition (all series merged), differenced between two
 * scrapes, and quantiles estimated the way PromQL's histogram_quantile does (linear within a bucket).
 */
import { samplesNamed, type Exposition } from './prometheus-text';

export interface Bucket {
  /** Upper bound (`le`); +Infinity for the last bucket. */
  readonly upperBound: number;
  /** Observations at or below the bound, cumulative. */
  readonly cumulativeCount: number;
}

export interface Histogram {
  /** Ascending by bound. Ends with +Inf when `complete`. */
  readonly buckets: readonly Bucket[];
  readonly sum: number | undefined;
  readonly count: number | undefined;
  /**
   * Whether the total is known (a +Inf bucket or a `_count`). A body cut short loses them; without a
   * total no quantile can be placed, so none is given.
   */
  readonly complete: boolean;
}

function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(labels)
      .filter(([name]) => name !== 'le')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/**
 * The histogram `name` (its `_bucket`, `_sum` and `_count` samples) with every series (model, engine, …)
 * added together; undefined when the exposition has no bucket of it. Buckets are summed by bound: the series
 * of one engine share a bucket layout.
 */
export function readHistogram(exposition: Exposition, name: string): Histogram | undefined {
  const bucketSamples = samplesNamed(exposition, `${name}_bucket`);
  if (bucketSamples.length === 0) return undefined;
  const byBound = new Map<number, number>();
  const seriesWithInfinity = new Set<string>();
  const series = new Set<string>();
  for (const sample of bucketSamples) {
    const boundText = sample.labels.le;
    if (boundText === undefined) continue;
    const bound = boundText === '+Inf' || boundText === 'Inf' ? Number.POSITIVE_INFINITY : Number(boundText);
    if (Number.isNaN(bound) || Number.isNaN(sample.value)) continue;
    const key = labelKey(sample.labels);
    series.add(key);
    if (bound === Number.POSITIVE_INFINITY) seriesWithInfinity.add(key);
    byBound.set(bound, (byBound.get(bound) ?? 0) + sample.value);
  }
  const total = (suffix: string): number | undefined => {
    const samples = samplesNamed(exposition, `${name}${suffix}`).filter((sample) => !Number.isNaN(sample.value));
    return samples.length === 0 ? undefined : samples.reduce((sum, sample) => sum + sample.value, 0);
  };
  const sum = total('_sum');
  const count = total('_count');
  // The +Inf bucket always equals _count; a body that lost the bucket but kept the count is still whole.
  const infinityFromEverySeries = series.size > 0 && seriesWithInfinity.size === series.size;
  if (!infinityFromEverySeries && count !== undefined) byBound.set(Number.POSITIVE_INFINITY, count);
  const buckets = [...byBound.entries()].sort(([a], [b]) => a - b).map(([upperBound, cumulativeCount]) => ({ upperBound, cumulativeCount }));
  return { buckets, sum, count, complete: infinityFromEverySeries || count !== undefined };
}

/**
 * Observations made between two scrapes of the same histogram. When a count went down the engine restarted
 * (its counters began again at zero), so the current histogram is the whole increase, as PromQL's rate()
 * treats a counter reset.
 */
export function histogramIncrease(previous: Histogram, current: Histogram): Histogram {
  const before = new Map(previous.buckets.map((bucket) => [bucket.upperBound, bucket.cumulativeCount]));
  const sameLayout = previous.buckets.length === current.buckets.length && current.buckets.every((bucket) => before.has(bucket.upperBound));
  const reset =
    !sameLayout ||
    current.buckets.some((bucket) => bucket.cumulativeCount < (before.get(bucket.upperBound) ?? 0)) ||
    (current.count !== undefined && previous.count !== undefined && current.count < previous.count);
  if (reset) return current;
  const difference = (now: number | undefined, then: number | undefined): number | undefined =>
    now === undefined || then === undefined ? undefined : now - then;
  return {
    buckets: current.buckets.map((bucket) => ({ upperBound: bucket.upperBound, cumulativeCount: bucket.cumulativeCount - (before.get(bucket.upperBound) ?? 0) })),
    sum: difference(current.sum, previous.sum),
    count: difference(current.count, previous.count),
    complete: current.complete && previous.complete,
  };
}

export function observationCount(histogram: Histogram): number | undefined {
  if (!histogram.complete) return undefined;
  return histogram.buckets[histogram.buckets.length - 1]?.cumulativeCount;
}

/**
 * The q-quantile (0 ≤ q ≤ 1), interpolated linearly inside the bucket it falls in, with the lowest bucket
 * starting at 0 (PromQL's convention). A quantile that lands in the +Inf bucket is the highest finite bound.
 * Undefined when there are no observations or the total is unknown.
 */
export function histogramQuantile(quantile: number, histogram: Histogram): number | undefined {
  const total = observationCount(histogram);
  if (total === undefined || total <= 0 || quantile < 0 || quantile > 1) return undefined;
  const buckets = histogram.buckets;
  const rank = quantile * total;
  let index = buckets.findIndex((bucket) => bucket.cumulativeCount >= rank);
  if (index < 0) index = buckets.length - 1;
  const bucket = buckets[index] as Bucket;
  if (bucket.upperBound === Number.POSITIVE_INFINITY) {
    return index === 0 ? undefined : (buckets[index - 1] as Bucket).upperBound;
  }
  const lowerBound = index === 0 ? Math.min(0, bucket.upperBound) : (buckets[index - 1] as Bucket).upperBound;
  const countBelow = index === 0 ? 0 : (buckets[index - 1] as Bucket).cumulativeCount;
  const inBucket = bucket.cumulativeCount - countBelow;
  if (inBucket <= 0) return bucket.upperBound;
  return lowerBound + (bucket.upperBound - lowerBound) * ((rank - countBelow) / inBucket);
}

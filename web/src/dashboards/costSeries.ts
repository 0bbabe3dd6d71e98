import type { CostOverTimeRow, TimeBucket } from '../dataProvider/analyticsQueries';
import type { Period } from './period';

// Pivots spend rows (one per group and time bucket) into stacked chart series. Buckets are UTC days or hours,
// as the server truncates them; every bucket of the period is present, so a quiet day shows as zero.

export interface CostSeries {
  bucketLabels: string[];
  series: { label: string; data: number[] }[];
}

const bucketStepMilliseconds: Record<TimeBucket, number> = { DAY: 86_400_000, HOUR: 3_600_000 };
const bucketKeyLength: Record<TimeBucket, number> = { DAY: 10, HOUR: 13 };
const largestGroupCount = 8;

function bucketKey(date: Date, timeBucket: TimeBucket): string {
  return date.toISOString().slice(0, bucketKeyLength[timeBucket]);
}

function bucketKeys(period: Period): string[] {
  const step = bucketStepMilliseconds[period.timeBucket];
  const keys: string[] = [];
  for (let time = Math.floor(period.from.getTime() / step) * step; time <= period.to.getTime(); time += step) {
    keys.push(bucketKey(new Date(time), period.timeBucket));
  }
  return keys;
}

function bucketLabel(key: string, timeBucket: TimeBucket): string {
  if (timeBucket === 'HOUR') return `${key.slice(11, 13)}:00`;
  return new Date(`${key}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

function rowBucketKey(row: CostOverTimeRow, timeBucket: TimeBucket): string | null {
  const value = timeBucket === 'DAY' ? row.day : row.hour;
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : bucketKey(date, timeBucket);
}

/** The all-in figure of a row (hosted APIs + own GPUs), as a number for the chart only; tables show the exact text. */
export const allInUsd = (row: CostOverTimeRow) => Number(row.totalCostUsd);

export function costSeries(rows: readonly CostOverTimeRow[], groupField: 'team' | 'model', period: Period, valueOf: (row: CostOverTimeRow) => number = allInUsd): CostSeries {
  const keys = bucketKeys(period);
  const bucketIndex = new Map(keys.map((key, index) => [key, index]));
  const totalByGroup = new Map<string, number>();
  for (const row of rows) {
    const group = row[groupField] || '(none)';
    totalByGroup.set(group, (totalByGroup.get(group) ?? 0) + valueOf(row));
  }
  const ranked = [...totalByGroup.entries()].sort((left, right) => right[1] - left[1]).map(([group]) => group);
  const shown = new Set(ranked.slice(0, largestGroupCount));
  const labels = [...shown, ...(ranked.length > largestGroupCount ? ['other'] : [])];
  const dataByLabel = new Map(labels.map(label => [label, keys.map(() => 0)]));
  for (const row of rows) {
    const index = bucketIndex.get(rowBucketKey(row, period.timeBucket) ?? '');
    if (index === undefined) continue;
    const group = row[groupField] || '(none)';
    const data = dataByLabel.get(shown.has(group) ? group : 'other')!;
    data[index] += valueOf(row);
  }
  return {
    bucketLabels: keys.map(key => bucketLabel(key, period.timeBucket)),
    series: labels.map(label => ({ label, data: dataByLabel.get(label)! })),
  };
}

/** API, on-prem (allocated) and idle carried, stacked per time bucket: the two halves of the hybrid side by side. */
export function costKindSeries(rows: readonly CostOverTimeRow[], period: Period): CostSeries {
  const keys = bucketKeys(period);
  const bucketIndex = new Map(keys.map((key, index) => [key, index]));
  const api = keys.map(() => 0);
  const onPrem = keys.map(() => 0);
  const idle = keys.map(() => 0);
  for (const row of rows) {
    const index = bucketIndex.get(rowBucketKey(row, period.timeBucket) ?? '');
    if (index === undefined) continue;
    api[index] += row.costUsd;
    (row.idle ? idle : onPrem)[index] += Number(row.onPremCostUsd);
  }
  return {
    bucketLabels: keys.map(key => bucketLabel(key, period.timeBucket)),
    series: [
      { label: 'Hosted APIs', data: api },
      { label: 'Own GPUs', data: onPrem },
      ...(idle.some(value => value > 0) ? [{ label: 'Idle GPUs (owned)', data: idle }] : []),
    ],
  };
}

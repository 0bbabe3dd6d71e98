import type { TimeBucket } from '../dataProvider/analyticsQueries';

// The dashboard period lives in the URL: ?period=7d, or ?period=custom&from=2025-01-01&to=2025-01-31 (whole days).

export interface PresetPeriod {
  name: string;
  label: string;
  hours: number;
}

export const presetPeriods: readonly PresetPeriod[] = [
  { name: '24h', label: 'Last 24 hours', hours: 24 },
  { name: '7d', label: 'Last 7 days', hours: 7 * 24 },
  { name: '30d', label: 'Last 30 days', hours: 30 * 24 },
  { name: '90d', label: 'Last 90 days', hours: 90 * 24 },
];

/** GPU telemetry is read at finer grain: the last hour is the SRE's usual view. */
export const gpuPresetPeriods: readonly PresetPeriod[] = [
  { name: '1h', label: 'Last hour', hours: 1 },
  { name: '6h', label: 'Last 6 hours', hours: 6 },
  ...presetPeriods.slice(0, 3),
];

/** A preset's name, or 'custom'. */
export type PeriodName = string;

export interface Period {
  name: PeriodName;
  from: Date;
  to: Date;
  timeBucket: TimeBucket;
}

const defaultPeriodName = '7d';
const hourMilliseconds = 3_600_000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

function startOfLocalDay(date: string): Date {
  return new Date(`${date}T00:00:00`);
}

/** The next local midnight: ranges are [from, to), so the last day ends where the next one starts. */
function endOfLocalDay(date: string): Date {
  const end = startOfLocalDay(date);
  end.setDate(end.getDate() + 1);
  return end;
}

function bucketFor(from: Date, to: Date): TimeBucket {
  return to.getTime() - from.getTime() <= 48 * hourMilliseconds ? 'HOUR' : 'DAY';
}

/**
 * Presets end at the next whole hour by default: a period stays the same across renders within the hour, and a range
 * on whole hours is served from the hourly rollup instead of scanning every request. Short GPU periods align to the
 * minute instead, so "last hour" means the last sixty minutes.
 */
export function periodFromSearch(
  search: string,
  now: Date,
  presets: readonly PresetPeriod[] = presetPeriods,
  defaultName: string = defaultPeriodName,
  alignMilliseconds: number = hourMilliseconds,
): Period {
  const parameters = new URLSearchParams(search);
  const name = parameters.get('period');
  const from = parameters.get('from') ?? '';
  const to = parameters.get('to') ?? '';
  if (name === 'custom' && dateOnly.test(from) && dateOnly.test(to) && from <= to) {
    const start = startOfLocalDay(from);
    const end = endOfLocalDay(to);
    return { name: 'custom', from: start, to: end, timeBucket: bucketFor(start, end) };
  }
  const preset =
    presets.find(candidate => candidate.name === name) ?? presets.find(candidate => candidate.name === defaultName) ?? presets[0];
  const end = new Date(Math.ceil(now.getTime() / alignMilliseconds) * alignMilliseconds);
  const start = new Date(end.getTime() - preset.hours * hourMilliseconds);
  return { name: preset.name, from: start, to: end, timeBucket: bucketFor(start, end) };
}

export function searchForPeriod(name: PeriodName, from?: string, to?: string): string {
  const parameters = new URLSearchParams({ period: name });
  if (name === 'custom' && from && to) {
    parameters.set('from', from);
    parameters.set('to', to);
  }
  return `?${parameters.toString()}`;
}

/** `YYYY-MM-DD` in local time, for date inputs. */
export function localDate(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

import { timeZoneOffsetMs } from './time-zone';

export const QUOTA_PERIODS = ['minute', 'hour', 'day', 'month'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** [start, end): the period that contains an instant. */
export interface PeriodBounds {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The quota period containing `at`, in `timeZone` (IANA). Days and months start at local midnight (or, where a DST
 * change skips midnight, at the first instant after it), so a day may last 23 or 25 hours. Minutes and hours are
 * elapsed time aligned to the local clock; a UTC-offset change inside one (Lord Howe's half-hour DST) ends it
 * there, so periods always tile the timeline: each period's end is the next one's start.
 */
export function quotaPeriodBounds(period: QuotaPeriod, timeZone: string, at: Date | number): PeriodBounds {
  const instant = typeof at === 'number' ? at : at.getTime();
  const cacheKey = `${period}\u0000${timeZone}`;
  const cached = lastBounds.get(cacheKey);
  if (cached && instant >= cached[0] && instant < cached[1]) return { start: new Date(cached[0]), end: new Date(cached[1]) };
  const [start, end] = period === 'minute' || period === 'hour' ? elapsedPeriod(period, timeZone, instant) : calendarPeriod(period, timeZone, instant);
  lastBounds.set(cacheKey, [start, end]);
  return { start: new Date(start), end: new Date(end) };
}

/** Decisions in one period ask for the same bounds again and again: the last answer per period and zone is kept. */
const lastBounds = new Map<string, [number, number]>();

function elapsedPeriod(period: 'minute' | 'hour', timeZone: string, instant: number): [number, number] {
  const length = period === 'minute' ? MINUTE_MS : HOUR_MS;
  const wall = instant + timeZoneOffsetMs(timeZone, instant);
  let start = instant - positiveModulo(wall, length);
  let end = start + length;
  if (timeZoneOffsetMs(timeZone, start) !== timeZoneOffsetMs(timeZone, instant)) {
    start = firstInstantWithOffset(timeZone, start, instant);
  }
  if (timeZoneOffsetMs(timeZone, end - 1) !== timeZoneOffsetMs(timeZone, instant)) {
    end = firstInstantWithOffset(timeZone, instant, end - 1);
  }
  return [start, end];
}

/** The first instant in (low, high] whose offset is the offset at `high` (one offset change in between). */
function firstInstantWithOffset(timeZone: string, low: number, high: number): number {
  const target = timeZoneOffsetMs(timeZone, high);
  let before = low;
  let after = high;
  while (after - before > 1) {
    const middle = before + Math.floor((after - before) / 2);
    if (timeZoneOffsetMs(timeZone, middle) === target) after = middle;
    else before = middle;
  }
  return after;
}

function calendarPeriod(period: 'day' | 'month', timeZone: string, instant: number): [number, number] {
  const wall = new Date(instant + timeZoneOffsetMs(timeZone, instant));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const day = wall.getUTCDate();
  const startWall = period === 'day' ? Date.UTC(year, month, day) : Date.UTC(year, month, 1);
  const endWall = period === 'day' ? Date.UTC(year, month, day + 1) : Date.UTC(year, month + 1, 1);
  return [firstInstantAtOrAfterWall(timeZone, startWall), firstInstantAtOrAfterWall(timeZone, endWall)];
}

/**
 * The first instant at which the zone's wall clock reads `wall` or later. When the wall time happens twice (clocks
 * turned back) that is its first occurrence; when it never happens (clocks jumped over it) it is the jump.
 */
export function firstInstantAtOrAfterWall(timeZone: string, wall: number): number {
  const offsetBefore = timeZoneOffsetMs(timeZone, wall - DAY_MS);
  const offsetAfter = timeZoneOffsetMs(timeZone, wall + DAY_MS);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter((instant) => instant + timeZoneOffsetMs(timeZone, instant) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped: the wall clock jumps from before `wall` to after it somewhere between these two instants.
  let before = wall - offsetAfter;
  let after = wall - offsetBefore;
  while (after - before > 1) {
    const middle = before + Math.floor((after - before) / 2);
    if (middle + timeZoneOffsetMs(timeZone, middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

function positiveModulo(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

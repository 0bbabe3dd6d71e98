import { describe, expect, it } from 'vitest';
import { quotaPeriodBounds, type QuotaPeriod } from '../../../../server/src/modules/policies/periods/quota-period';
import { canonicalTimeZone, isIanaTimeZone } from '../../../../server/src/modules/policies/periods/time-zone';

function bounds(period: QuotaPeriod, timeZone: string, at: string): [string, string] {
  const { start, end } = quotaPeriodBounds(period, timeZone, new Date(at));
  return [start.toISOString(), end.toISOString()];
}

describe('quota periods at month ends and across time zones', () => {
  // 2026-01-31T16:30Z is still January in UTC but already 1 February 00:30 in Shanghai (UTC+8).
  const instant = '2026-01-31T16:30:00.000Z';

  it('puts the same instant in different months in UTC and Asia/Shanghai', () => {
    expect(bounds('month', 'UTC', instant)).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(bounds('month', 'Asia/Shanghai', instant)).toEqual(['2026-01-31T16:00:00.000Z', '2026-02-28T16:00:00.000Z']);
  });

  it('puts it on different days', () => {
    expect(bounds('day', 'UTC', instant)).toEqual(['2026-01-31T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(bounds('day', 'Asia/Shanghai', instant)).toEqual(['2026-01-31T16:00:00.000Z', '2026-02-01T16:00:00.000Z']);
  });

  it('rolls over exactly at the local boundary: the last millisecond is in the old period, the next in the new', () => {
    expect(bounds('month', 'Asia/Shanghai', '2026-01-31T15:59:59.999Z')).toEqual(['2025-12-31T16:00:00.000Z', '2026-01-31T16:00:00.000Z']);
    expect(bounds('month', 'Asia/Shanghai', '2026-01-31T16:00:00.000Z')).toEqual(['2026-01-31T16:00:00.000Z', '2026-02-28T16:00:00.000Z']);
    expect(bounds('month', 'UTC', '2026-12-31T23:59:59.999Z')).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('handles minutes and hours, also in half-hour and quarter-hour zones', () => {
    expect(bounds('minute', 'UTC', '2026-01-31T16:30:59.999Z')).toEqual(['2026-01-31T16:30:00.000Z', '2026-01-31T16:31:00.000Z']);
    expect(bounds('hour', 'Asia/Shanghai', instant)).toEqual(['2026-01-31T16:00:00.000Z', '2026-01-31T17:00:00.000Z']);
    // India is UTC+5:30: its hours start at :30 UTC (16:30Z is 22:00 there). Nepal is UTC+5:45.
    expect(bounds('hour', 'Asia/Kolkata', instant)).toEqual(['2026-01-31T16:30:00.000Z', '2026-01-31T17:30:00.000Z']);
    expect(bounds('hour', 'Asia/Kathmandu', instant)).toEqual(['2026-01-31T16:15:00.000Z', '2026-01-31T17:15:00.000Z']);
    expect(bounds('day', 'Asia/Kolkata', instant)).toEqual(['2026-01-30T18:30:00.000Z', '2026-01-31T18:30:00.000Z']);
  });
});

describe('quota periods across DST changes', () => {
  it('America/New_York: the spring-forward day has 23 hours, the fall-back day 25', () => {
    expect(bounds('day', 'America/New_York', '2026-03-08T12:00:00Z')).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(bounds('day', 'America/New_York', '2026-11-01T12:00:00Z')).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(bounds('month', 'America/New_York', '2026-03-15T00:00:00Z')).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z']);
  });

  it('America/New_York: hours around the jump and the repeated hour tile the timeline', () => {
    // 01:30 EST, the hour before clocks jump from 02:00 to 03:00.
    expect(bounds('hour', 'America/New_York', '2026-03-08T06:30:00Z')).toEqual(['2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z']);
    expect(bounds('hour', 'America/New_York', '2026-03-08T07:30:00Z')).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z']);
    // 01:30 happens twice on 1 November: first in EDT (05:30Z), then in EST (06:30Z); two separate hours.
    expect(bounds('hour', 'America/New_York', '2026-11-01T05:30:00Z')).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z']);
    expect(bounds('hour', 'America/New_York', '2026-11-01T06:30:00Z')).toEqual(['2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z']);
  });

  it('Europe/Berlin: the last Sundays of March and October', () => {
    expect(bounds('day', 'Europe/Berlin', '2026-03-29T12:00:00Z')).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(bounds('day', 'Europe/Berlin', '2026-10-25T12:00:00Z')).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(bounds('hour', 'Europe/Berlin', '2026-03-29T01:00:00Z')).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    expect(bounds('month', 'Europe/Berlin', '2026-10-31T23:30:00Z')).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z']);
  });

  it('a zone whose DST change skips midnight starts that day at the jump', () => {
    // America/Santiago moved clocks from 24:00 to 01:00 on 2025-09-07 (UTC-4 → UTC-3).
    expect(bounds('day', 'America/Santiago', '2025-09-07T12:00:00Z')).toEqual(['2025-09-07T04:00:00.000Z', '2025-09-08T03:00:00.000Z']);
  });

  it('Australia/Lord_Howe: a half-hour DST change splits the hour it falls in, and hours still tile', () => {
    // 2026-04-05 02:00 LHDT (+11) = 15:00Z, clocks go back to 01:30 LHST (+10:30).
    const around = ['2026-04-04T14:45:00Z', '2026-04-04T15:10:00Z', '2026-04-04T15:40:00Z'].map((at) => bounds('hour', 'Australia/Lord_Howe', at));
    expect(around).toEqual([
      ['2026-04-04T14:00:00.000Z', '2026-04-04T15:00:00.000Z'],
      ['2026-04-04T15:00:00.000Z', '2026-04-04T15:30:00.000Z'],
      ['2026-04-04T15:30:00.000Z', '2026-04-04T16:30:00.000Z'],
    ]);
  });
});

describe('quota periods in leap years', () => {
  it('February has 29 days in 2028 and 28 in 2100 (not a leap year) and 2000 (leap, divisible by 400)', () => {
    expect(bounds('month', 'UTC', '2028-02-10T00:00:00Z')).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
    expect(bounds('day', 'UTC', '2028-02-29T23:59:59Z')).toEqual(['2028-02-29T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
    expect(bounds('month', 'UTC', '2100-02-10T00:00:00Z')).toEqual(['2100-02-01T00:00:00.000Z', '2100-03-01T00:00:00.000Z']);
    expect(bounds('month', 'Asia/Shanghai', '2028-02-29T16:00:00Z')).toEqual(['2028-02-29T16:00:00.000Z', '2028-03-31T16:00:00.000Z']);
    const feb2000 = quotaPeriodBounds('month', 'UTC', Date.UTC(2000, 1, 15));
    expect((feb2000.end.getTime() - feb2000.start.getTime()) / 86_400_000).toBe(29);
  });
});

describe('periods tile the timeline', () => {
  it('every end is the next start, for every period kind, over a year of DST-observing zones', () => {
    for (const timeZone of ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Shanghai']) {
      for (const period of ['hour', 'day', 'month'] as const) {
        let at = Date.UTC(2026, 0, 1);
        const stop = Date.UTC(2027, 0, 1);
        const step = period === 'hour' ? 7 : 1;
        while (at < stop) {
          const { start, end } = quotaPeriodBounds(period, timeZone, at);
          expect(start.getTime()).toBeLessThanOrEqual(at);
          expect(end.getTime()).toBeGreaterThan(at);
          const next = quotaPeriodBounds(period, timeZone, end);
          expect(next.start.getTime()).toBe(end.getTime());
          at = period === 'hour' ? at + step * 3_600_000 + 1_234_567 : end.getTime() + 3_600_000 * 5;
        }
      }
    }
  });
});

describe('time zones', () => {
  it('accepts IANA names (canonicalised) and refuses offsets and unknown names', () => {
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(isIanaTimeZone('Etc/GMT+5')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaTimeZone('+05:30')).toBe(false);
    expect(isIanaTimeZone('')).toBe(false);
  });
});

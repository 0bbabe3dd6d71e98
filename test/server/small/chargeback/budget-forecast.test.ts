import { describe, expect, it } from 'vitest';
import { forecastMonth, monthBounds } from '../../../../server/src/modules/chargeback/budget-forecast';

const usd = (value: number) => BigInt(Math.round(value * 1e9));
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const daily = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([date, value]) => [dayOf(date), usd(value)]));

describe('month-end forecast on a frozen clock', () => {
  // February 2026 begins on a Sunday: 1, 7, 8, 14, 15, 21, 22 and 28 are weekend days.
  const february = daily({
    '2026-02-01': 2, '2026-02-02': 8, '2026-02-03': 12, '2026-02-04': 10, '2026-02-05': 10, '2026-02-06': 10,
    '2026-02-07': 2, '2026-02-08': 2, '2026-02-09': 10, '2026-02-10': 5,
  });

  it('projects weekdays and weekend days at their own rates, with the range of the quietest and busiest days', () => {
    const forecast = forecastMonth('2026-02', february, usd(150), new Date('2026-02-10T12:00:00Z'));
    // spent 71; rest of today ½ × 10; 13 weekdays × 10 and 5 weekend days × 2 left.
    expect(forecast).toEqual({
      spentNanoUsd: usd(71),
      forecastNanoUsd: usd(71 + 5 + 130 + 10),
      forecastLowNanoUsd: usd(71 + 4 + 13 * 8 + 10),
      forecastHighNanoUsd: usd(71 + 6 + 13 * 12 + 10),
      projectedOverrun: true,
      // 76 tonight, +10 a weekday, +2 a weekend day: 150 on the 19th, over it on the 20th.
      overrunDate: '2026-02-20',
    });
  });

  it('a limit the forecast stays under is no overrun; no limit, none either', () => {
    expect(forecastMonth('2026-02', february, usd(500), new Date('2026-02-10T12:00:00Z'))).toMatchObject({ projectedOverrun: false, overrunDate: null });
    expect(forecastMonth('2026-02', february, null, new Date('2026-02-10T12:00:00Z'))).toMatchObject({ projectedOverrun: false, overrunDate: null });
  });

  it('on a weekend day, the rest of today runs at the weekend rate', () => {
    const saturday = daily({ '2026-02-01': 2, '2026-02-02': 10, '2026-02-03': 10, '2026-02-04': 10, '2026-02-05': 10, '2026-02-06': 10, '2026-02-07': 1 });
    const forecast = forecastMonth('2026-02', saturday, null, new Date('2026-02-07T18:00:00Z'));
    // spent 53; rest of Saturday ¼ × 2; then 15 weekdays × 10 and 6 weekend days × 2 (8, 14, 15, 21, 22, 28).
    expect(forecast.forecastNanoUsd).toBe(usd(53 + 0.5 + 150 + 12));
  });

  it('across the month end: the month just closed is final, the new one starts from its first hours', () => {
    const now = new Date('2026-03-01T06:00:00Z');
    const closed = forecastMonth('2026-02', daily({ '2026-02-10': 100, '2026-02-20': 60 }), usd(120), now);
    expect(closed).toEqual({ spentNanoUsd: usd(160), forecastNanoUsd: usd(160), forecastLowNanoUsd: usd(160), forecastHighNanoUsd: usd(160), projectedOverrun: true, overrunDate: '2026-02-20' });
    // March 1st, 06:00: 3 spent so far, a whole day's pace of 12; 18 hours and 30 days left at that pace (12 × day: over 300 on the 26th).
    const opening = forecastMonth('2026-03', daily({ '2026-03-01': 3 }), usd(300), now);
    expect(opening).toEqual({ spentNanoUsd: usd(3), forecastNanoUsd: usd(3 + 9 + 30 * 12), forecastLowNanoUsd: usd(372), forecastHighNanoUsd: usd(372), projectedOverrun: true, overrunDate: '2026-03-26' });
    // At the very instant the month ends, it is closed.
    expect(forecastMonth('2026-02', daily({ '2026-02-27': 5 }), null, new Date('2026-03-01T00:00:00Z')).forecastNanoUsd).toBe(usd(5));
    // A month not begun has no burn rate.
    expect(forecastMonth('2026-04', new Map(), usd(1), now)).toMatchObject({ forecastNanoUsd: 0n, projectedOverrun: false, overrunDate: null });
  });

  it('names a bad month', () => {
    expect(() => monthBounds('2026-13')).toThrow(/month must be YYYY-MM/);
    expect(monthBounds('2026-12')).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
  });
});

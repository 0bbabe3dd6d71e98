import { DomainError, ErrorCode } from '../../engine/errors/domain-error';

/*
 * Month-end forecast of a team's all-in spend, from its burn rate with a weekday/weekend shape:
 *
 *   rate(weekday)  = mean spend of the month's closed weekdays so far; rate(weekend) likewise (Saturday, Sunday, UTC);
 *                    a kind with no closed day yet borrows the other's; with no closed day at all (the 1st), today's
 *                    spend so far scaled to a whole day;
 *   forecast       = spent so far + the rest of today × rate(today's kind) + Σ over the days left rate(that day's kind);
 *   low / high     = the same with the lowest / highest closed day of each kind instead of the mean: the range the
 *                    month ends in if the rest of it is like its quietest / busiest days so far;
 *   overrun        = forecast above the limit; its date is the day the cumulative spend (actual, then projected with
 *                    the mean rates) first exceeds the limit.
 *
 * Money is integer nano-USD; the one rounding is the integer division of each mean and of the rest of today.
 */

const dayMs = 24 * 3600_000;

export interface BudgetForecast {
  spentNanoUsd: bigint;
  forecastNanoUsd: bigint;
  forecastLowNanoUsd: bigint;
  forecastHighNanoUsd: bigint;
  projectedOverrun: boolean;
  /** YYYY-MM-DD (UTC) the limit is (or was) first exceeded; null if never within the month. */
  overrunDate: string | null;
}

/** [start, end) of a `YYYY-MM` month in UTC; a bad month names the `month` argument. */
export function monthBounds(month: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new DomainError(ErrorCode.Validation, `month must be YYYY-MM, got ${JSON.stringify(month)}`, { problems: [{ field: 'month', message: 'must be YYYY-MM' }] });
  }
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { start: new Date(Date.UTC(year, index, 1)), end: new Date(Date.UTC(year, index + 1, 1)) };
}

const isWeekend = (dayStartMs: number) => {
  const weekday = new Date(dayStartMs).getUTCDay();
  return weekday === 0 || weekday === 6;
};
const dateText = (dayStartMs: number) => new Date(dayStartMs).toISOString().slice(0, 10);

interface KindRates {
  mean: bigint;
  low: bigint;
  high: bigint;
}

/** `dailyNanoUsd`: all-in spend per UTC day start (ms) of the month; days missing spent nothing. */
export function forecastMonth(month: string, dailyNanoUsd: ReadonlyMap<number, bigint>, limitNanoUsd: bigint | null, now: Date): BudgetForecast {
  const { start, end } = monthBounds(month);
  const spentOn = (dayStartMs: number) => dailyNanoUsd.get(dayStartMs) ?? 0n;
  let spent = 0n;
  for (const value of dailyNanoUsd.values()) spent += value;
  const exceeded = (total: bigint) => limitNanoUsd !== null && total > limitNanoUsd;

  // The day the actual cumulative spend first went over the limit, if it did.
  const actualOverrun = (untilMs: number): string | null => {
    let cumulative = 0n;
    for (let day = start.getTime(); day < untilMs; day += dayMs) {
      cumulative += spentOn(day);
      if (exceeded(cumulative)) return dateText(day);
    }
    return null;
  };

  if (now.getTime() >= end.getTime() || now.getTime() < start.getTime()) {
    // A closed month is what it was; one not yet begun has no burn rate (and no spend) yet.
    return { spentNanoUsd: spent, forecastNanoUsd: spent, forecastLowNanoUsd: spent, forecastHighNanoUsd: spent, projectedOverrun: exceeded(spent), overrunDate: actualOverrun(end.getTime()) };
  }

  const todayStart = Math.floor(now.getTime() / dayMs) * dayMs;
  const elapsedToday = BigInt(now.getTime() - todayStart);
  const closed: Record<'weekday' | 'weekend', bigint[]> = { weekday: [], weekend: [] };
  for (let day = start.getTime(); day < todayStart; day += dayMs) closed[isWeekend(day) ? 'weekend' : 'weekday'].push(spentOn(day));
  const ratesOf = (values: bigint[]): KindRates | null =>
    values.length === 0
      ? null
      : {
          mean: values.reduce((sum, value) => sum + value, 0n) / BigInt(values.length),
          low: values.reduce((least, value) => (value < least ? value : least)),
          high: values.reduce((most, value) => (value > most ? value : most)),
        };
  const weekday = ratesOf(closed.weekday);
  const weekend = ratesOf(closed.weekend);
  // The 1st of the month: only today's spend so far, scaled to a whole day.
  const todayScaled = elapsedToday === 0n ? 0n : (spentOn(todayStart) * BigInt(dayMs)) / elapsedToday;
  const fallback: KindRates = { mean: todayScaled, low: todayScaled, high: todayScaled };
  const rateOn = (dayStartMs: number): KindRates => (isWeekend(dayStartMs) ? (weekend ?? weekday ?? fallback) : (weekday ?? weekend ?? fallback));

  const restOfToday = BigInt(dayMs) - elapsedToday;
  const todayRate = rateOn(todayStart);
  const partOfToday = (rate: bigint) => (rate * restOfToday) / BigInt(dayMs);
  let forecast = spent + partOfToday(todayRate.mean);
  let low = spent + partOfToday(todayRate.low);
  let high = spent + partOfToday(todayRate.high);
  let overrunDate = actualOverrun(todayStart + dayMs);
  if (overrunDate === null && exceeded(forecast)) overrunDate = dateText(todayStart);
  for (let day = todayStart + dayMs; day < end.getTime(); day += dayMs) {
    const rate = rateOn(day);
    forecast += rate.mean;
    low += rate.low;
    high += rate.high;
    if (overrunDate === null && exceeded(forecast)) overrunDate = dateText(day);
  }
  return { spentNanoUsd: spent, forecastNanoUsd: forecast, forecastLowNanoUsd: low, forecastHighNanoUsd: high, projectedOverrun: exceeded(forecast), overrunDate };
}

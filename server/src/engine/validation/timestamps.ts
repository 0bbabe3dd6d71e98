// YYYY-MM-DD, optionally Thh:mm[:ss[.fraction]] and a zone (Z, ±hh, ±hhmm, ±hh:mm). Nothing else: JavaScript's
// Date parser also reads "March 1" or "2026-02-30" (as 2 March), which must be refused, not guessed.
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export type InstantReading = { date: Date } | { problem: string };

export interface InstantRules {
  /** What a date-time without a zone means: UTC, or a refusal (it would mean different instants on each machine). */
  withoutZone: 'utc' | 'refuse';
  /** Whether a plain date (midnight UTC) is accepted. */
  dateOnly: boolean;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Offset in minutes east of UTC, or a problem. */
function zoneOffsetMinutes(zone: string): number | string {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return `zone ${zone} is not a UTC offset`;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Reads an ISO-8601 date or date-time exactly: every field is checked against the calendar and the clock (February
 * 2026 has no day 30; 24:00 and :60 are refused) instead of rolled over into the next month, day or minute.
 */
export function readIsoInstant(text: string, rules: InstantRules): InstantReading {
  const match = isoPattern.exec(text);
  if (!match) return { problem: rules.dateOnly ? 'expected ISO-8601: 2026-03-01 or 2026-03-01T10:00:00Z' : 'expected ISO-8601: 2026-03-01T10:00:00Z' };
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];
  if (month < 1 || month > 12) return { problem: `there is no month ${monthText}` };
  if (day < 1 || day > daysInMonth(year, month)) return { problem: `${monthNames[month - 1]} ${year} has no day ${dayText}` };
  if (hourText === undefined && !rules.dateOnly) return { problem: 'expected a date and a time, e.g. 2026-03-01T10:00:00Z' };
  const [hour, minute, second] = [Number(hourText ?? 0), Number(minuteText ?? 0), Number(secondText ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return { problem: `${hourText}:${minuteText}${secondText ? `:${secondText}` : ''} is not a time of day` };
  if (hourText !== undefined && zone === undefined && rules.withoutZone === 'refuse') {
    return { problem: 'a date-time needs a zone (Z or an offset such as +02:00)' };
  }
  const offset = zone === undefined ? 0 : zoneOffsetMinutes(zone);
  if (typeof offset === 'string') return { problem: offset };
  const milliseconds = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, milliseconds);
  return { date: new Date(date.getTime() - offset * 60_000) };
}

/**
 * An ISO-8601 date-time from a payload. One without a zone is UTC: reading it in the server's local zone would
 * store the same event at different instants depending on where the server runs. Invalid (including a date the
 * calendar does not have) → an Invalid Date.
 */
export function parseTimestamp(text: string): Date {
  const reading = readIsoInstant(text, { withoutZone: 'utc', dateOnly: false });
  return 'date' in reading ? reading.date : new Date(NaN);
}

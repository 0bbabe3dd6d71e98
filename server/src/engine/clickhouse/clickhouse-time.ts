/** The text of the last second formatted, up to its fraction ("2026-11-29 10:00:00."): rows come many a second. */
let formattedSecond = Number.NaN;
let secondPrefix = '';

/** ClickHouse DateTime64(3) text in UTC, the form every row and {name:DateTime64(3, 'UTC')} parameter uses. */
export function clickhouseTime(date: Date): string {
  const milliseconds = date.getTime();
  const second = Math.floor(milliseconds / 1000);
  // NaN (an invalid date) never equals itself, so toISOString throws its RangeError as before.
  if (second !== formattedSecond) {
    secondPrefix = date.toISOString().slice(0, 20).replace('T', ' ');
    formattedSecond = second;
  }
  const fraction = milliseconds - second * 1000;
  return secondPrefix + (fraction < 10 ? `00${fraction}` : fraction < 100 ? `0${fraction}` : `${fraction}`);
}

/**
 * The instant of a DateTime or DateTime64 value as ClickHouse writes it back: ISO text ("2026-11-29T10:00:00.000Z",
 * with date_time_output_format = 'iso') or its own UTC text ("2026-11-29 10:00:00.000"), with or without the zone.
 */
export function dateFromClickhouseTime(text: string): Date {
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  return new Date(/(?:Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

/** ClickHouse DateTime64(3) text in UTC, the form every row and {name:DateTime64(3, 'UTC')} parameter uses. */
export function clickhouseTime(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ');
}

/**
 * The instant of a DateTime or DateTime64 value as ClickHouse writes it back: ISO text ("2026-11-29T10:00:00.000Z",
 * with date_time_output_format = 'iso') or its own UTC text ("2026-11-29 10:00:00.000"), with or without the zone.
 */
export function dateFromClickhouseTime(text: string): Date {
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  return new Date(/(?:Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

/** ClickHouse DateTime64(3) text in UTC, the form every row and {name:DateTime64(3, 'UTC')} parameter uses. */
export function clickhouseTime(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ');
}

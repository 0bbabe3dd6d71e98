const zonePattern = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * An ISO-8601 date-time from a payload. One without a zone is UTC: reading it in the server's local zone would
 * store the same event at different instants depending on where the server runs. Invalid → an Invalid Date.
 */
export function parseTimestamp(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return new Date(NaN);
  return new Date(zonePattern.test(text) ? text : `${text}Z`);
}

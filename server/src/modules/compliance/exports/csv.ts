/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, or a line break, quotes doubled. A text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is prefixed with a quote mark, so an
 * auditor opening the file runs nothing a sender wrote (OWASP "CSV injection").
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 writes it. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

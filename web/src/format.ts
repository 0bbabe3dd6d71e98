// Number formats shared by the dashboards and the lists.
const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compactNumber = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** For table cells: `Nov 29, 14:05:09`, in the viewer's time zone. */
export const compactDateTimeOptions: Intl.DateTimeFormatOptions = {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
};

/** For dates where the time of day rarely matters: `Nov 29, 2026`. */
export const compactDateOptions: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

export function formatUsd(value: number | null | undefined): string {
  if (value == null) return '—';
  const digits = value !== 0 && Math.abs(value) < 1 ? 4 : 2;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatCount(value: number | null | undefined): string {
  return value == null ? '—' : wholeNumber.format(value);
}

export function formatCompact(value: number | null | undefined): string {
  return value == null ? '—' : compactNumber.format(value);
}

export function formatMilliseconds(value: number | null | undefined): string {
  if (value == null) return '—';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${wholeNumber.format(value)} ms`;
}

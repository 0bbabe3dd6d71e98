// Display formats for GPU measurements; a missing reading shows as a dash, never as 0.

const gibibyte = 1024 ** 3;

export function formatPercent(ratio: number | null | undefined): string {
  return ratio == null ? '—' : `${Math.round(ratio * 100)} %`;
}

export function formatGibibytes(bytes: number | null | undefined): string {
  return bytes == null ? '—' : `${(bytes / gibibyte).toFixed(1)} GiB`;
}

export function formatMemory(usedBytes: number | null | undefined, totalBytes: number | null | undefined): string {
  if (usedBytes == null) return '—';
  if (totalBytes == null) return formatGibibytes(usedBytes);
  return `${(usedBytes / gibibyte).toFixed(1)} / ${(totalBytes / gibibyte).toFixed(1)} GiB`;
}

export function formatWatts(watts: number | null | undefined): string {
  if (watts == null) return '—';
  return watts >= 10_000 ? `${(watts / 1000).toFixed(1)} kW` : `${Math.round(watts)} W`;
}

export function formatCelsius(celsius: number | null | undefined): string {
  return celsius == null ? '—' : `${Math.round(celsius)} °C`;
}

/** `15 s`, `5 min`, `1 h`, `1 d`: the bucket size the server chose for a series. */
export function formatBucket(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** `14:05:09` today, `Nov 29, 14:05` otherwise, in the viewer's time zone. */
export function formatTimeOfDay(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

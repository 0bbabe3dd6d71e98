import type { HallucinationRateRow, ScoredRequest } from '../../dataProvider/evaluationsQueries';

const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A rate as a percentage; "—" when nothing was scored. */
export function formatRate(rate: number | null | undefined): string {
  return rate == null ? '—' : percent.format(rate);
}

/** "12 of 340" style detail under a rate: how many were flagged among how many judged. */
export function rateDetail(row: Pick<HallucinationRateRow, 'hallucinated' | 'scored'>): string {
  return `${row.hallucinated.toLocaleString('en-US')} of ${row.scored.toLocaleString('en-US')} scored`;
}

/** A score's value as sent: the number, the verdict or the label. */
export function formatScoreValue(row: Pick<ScoredRequest, 'value' | 'booleanValue' | 'label'>): string {
  if (row.value != null) return row.label ? `${row.value} (${row.label})` : String(row.value);
  if (row.booleanValue != null) return String(row.booleanValue);
  return row.label || '—';
}

/** The show page of one request in the console. */
export function requestShowLink(requestId: string): string {
  return `/requests/${encodeURIComponent(requestId)}/show`;
}

/** Price per 1M tokens: four decimals (sub-cent figures are common on-prem), a dash when there is none. */
export function formatUsdPerMillion(value: number | null | undefined): string {
  if (value == null) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(value);
}

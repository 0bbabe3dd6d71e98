import { formatDecimalUsd } from '../../dataProvider/decimalValues';

/** Price per 1M tokens: four decimals (sub-cent figures are common on-prem), a dash when there is none. */
export function formatUsdPerMillion(value: string | null | undefined): string {
  return formatDecimalUsd(value, { maximumFractionDigits: 4 });
}

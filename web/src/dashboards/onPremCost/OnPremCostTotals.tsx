import { formatDecimalUsdShort, nanoUsdToDecimal } from '../../dataProvider/decimalValues';
import type { OnPremCost } from '../../dataProvider/onPremCostQueries';
import { formatCompact } from '../../format';
import { TotalCards, type TotalCardProps } from '../TotalCards';

/** Total minus idle, in exact nano-USD. */
export function allocatedCostUsd(cost: Pick<OnPremCost, 'totalCostNanoUsd' | 'idleCostNanoUsd'>): string {
  return nanoUsdToDecimal(BigInt(cost.totalCostNanoUsd) - BigInt(cost.idleCostNanoUsd));
}

export function OnPremCostTotals({ cost }: { cost: OnPremCost }) {
  const allocated = allocatedCostUsd(cost);
  const inputTokens = cost.models.reduce((sum, row) => sum + row.inputTokens, 0);
  const outputTokens = cost.models.reduce((sum, row) => sum + row.outputTokens, 0);
  const totals: TotalCardProps[] = [
    { label: 'Node cost', value: formatDecimalUsdShort(cost.totalCostUsd), detail: 'hourly cost + measured energy', testId: 'on-prem-total-cost' },
    { label: 'Allocated to tokens', value: formatDecimalUsdShort(allocated), detail: 'hours in which tokens were served', testId: 'on-prem-allocated-cost' },
    { label: 'Idle cost', value: formatDecimalUsdShort(cost.idleCostUsd), detail: 'paid while nothing was served — not in any per-token figure', testId: 'on-prem-idle-cost' },
    { label: 'Tokens served', value: `${formatCompact(inputTokens)} / ${formatCompact(outputTokens)}`, detail: 'input / output', testId: 'on-prem-tokens' },
  ];
  return <TotalCards cards={totals} size={{ xs: 12, sm: 6, md: 3 }} />;
}

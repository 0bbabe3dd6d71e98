import type { SpendTotalsRow } from '../dataProvider/analyticsQueries';
import { formatCompact, formatCount, formatMilliseconds, formatUsd } from '../format';
import { costTooltips } from './costTooltips';
import { TotalCards, type TotalCardProps } from './TotalCards';

/** `idleUsd`: idle hours of nodes with an owner team, which the team lines carry (the totals row groups no team). */
export function SpendTotals({ totals, idleUsd = 0 }: { totals: SpendTotalsRow; idleUsd?: number }) {
  const unpriced = totals.unpricedRequests > 0 ? `${formatCount(totals.unpricedRequests)} without a price` : undefined;
  const cards: TotalCardProps[] = [
    { label: 'Hosted APIs', value: formatUsd(totals.costUsd), detail: unpriced, testId: 'total-cost', tooltip: costTooltips.api },
    { label: 'Own GPUs', value: formatUsd(Number(totals.onPremCostUsd) + idleUsd), detail: idleUsd > 0 ? `${formatUsd(idleUsd)} idle hours carried` : undefined, testId: 'total-on-prem-cost', tooltip: costTooltips.onPrem },
    {
      label: 'Total, all in',
      value: formatUsd(Number(totals.totalCostUsd) + idleUsd),
      detail: totals.estimated ? 'includes the open hour (estimate)' : undefined,
      testId: 'total-all-in-cost',
      tooltip: costTooltips.total,
    },
    { label: 'Requests', value: formatCount(totals.requests), testId: 'total-requests' },
    {
      label: 'Input tokens',
      value: formatCompact(totals.inputTokens),
      detail: totals.cachedInputTokens > 0 ? `${formatCompact(totals.cachedInputTokens)} cached` : undefined,
      testId: 'total-input-tokens',
    },
    { label: 'Output tokens', value: formatCompact(totals.outputTokens), testId: 'total-output-tokens' },
    { label: 'p95 latency', value: formatMilliseconds(totals.latencyP95Ms), testId: 'total-latency-p95' },
  ];
  return <TotalCards cards={cards} size={{ xs: 12, sm: 6, md: 'grow' }} />;
}

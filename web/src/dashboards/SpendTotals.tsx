import { Card, CardContent, Grid, Tooltip, Typography } from '@mui/material';
import type { SpendTotalsRow } from '../dataProvider/analyticsQueries';
import { formatCompact, formatCount, formatMilliseconds, formatUsd } from '../format';
import { costTooltips } from './costTooltips';

interface TotalCardProps {
  label: string;
  value: string;
  detail?: string;
  testId: string;
  /** What the figure contains, on hover. */
  tooltip?: string;
}

function TotalCard({ label, value, detail, testId, tooltip }: TotalCardProps) {
  return (
    <Tooltip title={tooltip ?? ''} placement="top">
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" component="div" data-testid={testId}>
          {value}
        </Typography>
        {detail && (
          <Typography variant="caption" color="text.secondary">
            {detail}
          </Typography>
        )}
      </CardContent>
    </Card>
    </Tooltip>
  );
}

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
  return (
    <Grid container spacing={2}>
      {cards.map(card => (
        <Grid key={card.testId} size={{ xs: 12, sm: 6, md: 'grow' }}>
          <TotalCard {...card} />
        </Grid>
      ))}
    </Grid>
  );
}

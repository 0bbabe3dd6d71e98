import { Card, CardContent, Grid, Typography } from '@mui/material';
import type { SpendTotalsRow } from '../dataProvider/analyticsQueries';
import { formatCompact, formatCount, formatMilliseconds, formatUsd } from '../format';

interface TotalCardProps {
  label: string;
  value: string;
  detail?: string;
  testId: string;
}

function TotalCard({ label, value, detail, testId }: TotalCardProps) {
  return (
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
  );
}

export function SpendTotals({ totals }: { totals: SpendTotalsRow }) {
  const unpriced = totals.unpricedRequests > 0 ? `${formatCount(totals.unpricedRequests)} without a price` : undefined;
  const cards: TotalCardProps[] = [
    { label: 'Cost', value: formatUsd(totals.costUsd), detail: unpriced, testId: 'total-cost' },
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

import { Card, CardContent, Grid, Typography } from '@mui/material';
import type { HallucinationRateRow } from '../../dataProvider/evaluationsQueries';
import { formatCount } from '../../format';
import { formatRate } from './evaluationFormat';

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

export function EvaluationTotals({ totals }: { totals: HallucinationRateRow }) {
  const coverage = totals.requests > 0 ? totals.scored / totals.requests : null;
  const cards: TotalCardProps[] = [
    { label: 'Hallucination rate', value: formatRate(totals.rate), detail: 'of the scored requests', testId: 'evaluations-rate' },
    { label: 'Hallucinated requests', value: formatCount(totals.hallucinated), testId: 'evaluations-hallucinated' },
    { label: 'Scored requests', value: formatCount(totals.scored), detail: `${formatRate(coverage)} of all requests`, testId: 'evaluations-scored' },
    { label: 'Requests', value: formatCount(totals.requests), testId: 'evaluations-requests' },
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

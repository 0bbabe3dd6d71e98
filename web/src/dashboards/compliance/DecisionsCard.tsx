import { Card, CardContent, Stack, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import type { DecisionFigures } from '../../dataProvider/complianceQueries';
import { compactDateOptions, compactDateTimeOptions, formatCount } from '../../format';

/** Allowed and denied decisions per time bucket, stacked, with the totals above. */
export function DecisionsCard({ figures, hourly }: { figures: DecisionFigures; hourly: boolean }) {
  const labels = figures.timeline.map(bucket => new Date(bucket.bucket).toLocaleString(undefined, hourly ? compactDateTimeOptions : compactDateOptions));
  return (
    <Card data-testid="compliance-decisions" sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Policy decisions
        </Typography>
        <Stack direction="row" spacing={4}>
          <Typography data-testid="decisions-total">{formatCount(figures.decisions)} decisions</Typography>
          <Typography color="success.main">{formatCount(figures.allowed)} allowed</Typography>
          <Typography color="error.main" data-testid="decisions-denied">
            {formatCount(figures.denied)} denied
          </Typography>
        </Stack>
        {figures.timeline.length > 0 && (
          <BarChart
            height={260}
            xAxis={[{ scaleType: 'band', data: labels }]}
            series={[
              { label: 'Allowed', data: figures.timeline.map(bucket => bucket.allowed), stack: 'decisions', color: '#4c8bf5' },
              { label: 'Denied', data: figures.timeline.map(bucket => bucket.denied), stack: 'decisions', color: '#d93025' },
            ]}
          />
        )}
      </CardContent>
    </Card>
  );
}

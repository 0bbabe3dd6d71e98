import { Card, CardContent, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { formatUsd } from '../format';
import type { CostSeries } from './costSeries';

interface CostOverTimeChartProps {
  title: string;
  testId: string;
  costSeries: CostSeries;
  timeAxisLabel: string;
}

export function CostOverTimeChart({ title, testId, costSeries, timeAxisLabel }: CostOverTimeChartProps) {
  return (
    <Card data-testid={testId} sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {title}
        </Typography>
        <BarChart
          height={320}
          xAxis={[{ scaleType: 'band', data: costSeries.bucketLabels, label: timeAxisLabel }]}
          yAxis={[{ valueFormatter: (value: number) => formatUsd(value), width: 72 }]}
          series={costSeries.series.map(series => ({
            label: series.label,
            data: series.data,
            stack: 'cost',
            valueFormatter: (value: number | null) => formatUsd(value),
          }))}
        />
      </CardContent>
    </Card>
  );
}

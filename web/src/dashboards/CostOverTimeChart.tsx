import { Card, CardContent, Tooltip, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { formatUsd } from '../format';
import type { CostSeries } from './costSeries';

interface CostOverTimeChartProps {
  title: string;
  testId: string;
  costSeries: CostSeries;
  timeAxisLabel: string;
  /** What the figures contain, shown on hovering the title. */
  tooltip?: string;
}

export function CostOverTimeChart({ title, testId, costSeries, timeAxisLabel, tooltip }: CostOverTimeChartProps) {
  return (
    <Card data-testid={testId} sx={{ height: '100%' }}>
      <CardContent>
        <Tooltip title={tooltip ?? ''} placement="top-start">
          <Typography variant="h6" gutterBottom>
            {title}
          </Typography>
        </Tooltip>
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

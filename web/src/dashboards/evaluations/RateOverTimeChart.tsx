import { Card, CardContent, Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import type { HallucinationRateRow } from '../../dataProvider/evaluationsQueries';
import { formatRate } from './evaluationFormat';

interface RateOverTimeChartProps {
  byDay: readonly HallucinationRateRow[];
  byDayAndEvaluator: readonly HallucinationRateRow[];
}

const dayLabel = (day: string) => new Date(day).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** The daily rate over all scores, and each evaluator's own, on one axis of UTC days. */
export function RateOverTimeChart({ byDay, byDayAndEvaluator }: RateOverTimeChartProps) {
  const days = [...new Set(byDay.map(row => row.day ?? ''))].filter(Boolean).sort();
  const rateOn = (rows: readonly HallucinationRateRow[], day: string) => rows.find(row => row.day === day)?.rate ?? null;
  const evaluators = [...new Set(byDayAndEvaluator.map(row => row.evaluator ?? ''))].filter(Boolean).sort();
  const series = [
    { label: 'All evaluators', data: days.map(day => rateOn(byDay, day)) },
    ...evaluators.map(evaluator => ({
      label: evaluator,
      data: days.map(day => rateOn(byDayAndEvaluator.filter(row => row.evaluator === evaluator), day)),
    })),
  ];
  return (
    <Card data-testid="rate-over-time" sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Hallucination rate over time
        </Typography>
        <LineChart
          height={300}
          xAxis={[{ scaleType: 'point', data: days.map(dayLabel), label: 'Day (UTC)' }]}
          yAxis={[{ min: 0, valueFormatter: (value: number) => formatRate(value), width: 64 }]}
          series={series.map(line => ({ ...line, connectNulls: true, valueFormatter: (value: number | null) => formatRate(value) }))}
        />
      </CardContent>
    </Card>
  );
}

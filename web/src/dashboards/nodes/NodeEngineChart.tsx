import { Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';

export interface EngineChartDefinition {
  metric: 'queue' | 'kvCache' | 'tokens' | 'ttft';
  title: string;
  unit: string;
  /** Fixed top of the axis (100 for percentages); otherwise from the data. */
  maximum?: number;
  lines: { label: string; data: (number | null)[] }[];
}

interface NodeEngineChartProps {
  chart: EngineChartDefinition;
  times: Date[];
  range: { from: Date; to: Date };
}

/** Marks only when the points are few enough to see one by one (a lone bucket would draw no line at all). */
const markedPointLimit = 60;

// The same chart as the GPU detail page's (MUI X line chart over the series' bucket times).
export function NodeEngineChart({ chart, times, range }: NodeEngineChartProps) {
  // An idle engine reports zeros: give the axis a height, or it would read 0.000….
  const flat = chart.lines.every(line => line.data.every(value => value == null || value === 0));
  const format = (value: number | null) => (value == null ? '—' : `${value.toFixed(value < 10 ? 1 : 0)} ${chart.unit}`);
  return (
    <>
      <Typography variant="subtitle1">
        {chart.title} ({chart.unit})
      </Typography>
      <LineChart
        height={220}
        data-metric={chart.metric}
        skipAnimation
        xAxis={[
          {
            scaleType: 'time',
            data: times,
            min: range.from,
            max: range.to,
            valueFormatter: (time: Date) => time.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
          },
        ]}
        yAxis={[{ width: 56, min: 0, max: chart.maximum ?? (flat ? 1 : undefined) }]}
        series={chart.lines.map(line => ({
          label: line.label,
          data: line.data,
          showMark: times.length <= markedPointLimit,
          connectNulls: true,
          valueFormatter: format,
        }))}
      />
    </>
  );
}

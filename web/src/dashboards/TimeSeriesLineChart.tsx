import { Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';

export interface TimeSeriesLine {
  label: string;
  data: (number | null)[];
}

/** What a chart shows: its lines, named and with a unit. */
export interface TimeSeriesChartDefinition {
  /** Names the chart for tests and styling (`data-metric`). */
  metric: string;
  title: string;
  unit: string;
  lines: TimeSeriesLine[];
}

interface TimeSeriesLineChartProps {
  chart: TimeSeriesChartDefinition;
  /** The series' bucket times. */
  times: Date[];
  /** The whole period on the time axis, so a series that started lately shows where, not stretched across. */
  range: { from: Date; to: Date };
  timeLabel: (time: Date) => string;
  formatValue: (value: number) => string;
  /** Fixed top of the value axis (100 for percentages); otherwise from the data. */
  maximum?: number;
  /** Draw across missing buckets (a sampled gauge) rather than break the line. */
  connectNulls?: boolean;
}

/** Marks only when the points are few enough to see one by one (a lone bucket would draw no line at all). */
const markedPointLimit = 60;

/** The console's line chart over time (MUI X), as the GPU detail and node detail pages show their series. */
export function TimeSeriesLineChart({ chart, times, range, timeLabel, formatValue, maximum, connectNulls }: TimeSeriesLineChartProps) {
  const { metric, title, unit, lines } = chart;
  const format = (value: number | null) => (value == null ? '—' : `${formatValue(value)} ${unit}`);
  return (
    <>
      <Typography variant="subtitle1">
        {title} ({unit})
      </Typography>
      <LineChart
        height={220}
        data-metric={metric}
        skipAnimation
        xAxis={[{ scaleType: 'time', data: times, min: range.from, max: range.to, valueFormatter: timeLabel }]}
        yAxis={[{ width: 56, min: 0, max: maximum }]}
        series={lines.map(line => ({
          label: line.label,
          data: line.data,
          showMark: times.length <= markedPointLimit,
          ...(connectNulls ? { connectNulls: true } : {}),
          valueFormatter: format,
        }))}
      />
    </>
  );
}

import { Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import type { GpuChartDefinition } from './gpuSeriesCharts';

interface GpuMetricChartProps {
  chart: GpuChartDefinition;
  times: Date[];
  /** The whole period on the time axis, so a GPU that reported only lately shows where, not stretched across. */
  range: { from: Date; to: Date };
  bucketSeconds: number;
}

/** Marks only when the points are few enough to see one by one (a lone bucket would draw no line at all). */
const markedPointLimit = 60;

function timeLabel(time: Date, bucketSeconds: number): string {
  if (bucketSeconds >= 86_400) return time.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  const clock = time.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return bucketSeconds >= 3600 ? `${time.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${clock}` : clock;
}

export function GpuMetricChart({ chart, times, range, bucketSeconds }: GpuMetricChartProps) {
  const format = (value: number | null) => (value == null ? '—' : `${value.toFixed(chart.unit === 'GiB' ? 1 : 0)} ${chart.unit}`);
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
            valueFormatter: (time: Date) => timeLabel(time, bucketSeconds),
          },
        ]}
        yAxis={[{ width: 56, min: 0, max: chart.metric === 'utilization' ? 100 : undefined }]}
        series={chart.lines.map(line => ({
          label: line.label,
          data: line.data,
          showMark: times.length <= markedPointLimit,
          valueFormatter: format,
        }))}
      />
    </>
  );
}

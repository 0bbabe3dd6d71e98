import { TimeSeriesLineChart } from '../TimeSeriesLineChart';
import type { GpuChartDefinition } from './gpuSeriesCharts';

interface GpuMetricChartProps {
  chart: GpuChartDefinition;
  times: Date[];
  range: { from: Date; to: Date };
  bucketSeconds: number;
}

function timeLabel(time: Date, bucketSeconds: number): string {
  if (bucketSeconds >= 86_400) return time.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  const clock = time.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return bucketSeconds >= 3600 ? `${time.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${clock}` : clock;
}

export function GpuMetricChart({ chart, times, range, bucketSeconds }: GpuMetricChartProps) {
  return (
    <TimeSeriesLineChart
      chart={chart}
      times={times}
      range={range}
      timeLabel={time => timeLabel(time, bucketSeconds)}
      formatValue={value => value.toFixed(chart.unit === 'GiB' ? 1 : 0)}
      maximum={chart.metric === 'utilization' ? 100 : undefined}
    />
  );
}

import { TimeSeriesLineChart, type TimeSeriesLine } from '../TimeSeriesLineChart';

export interface EngineChartDefinition {
  metric: 'queue' | 'kvCache' | 'tokens' | 'ttft';
  title: string;
  unit: string;
  /** Fixed top of the axis (100 for percentages); otherwise from the data. */
  maximum?: number;
  lines: TimeSeriesLine[];
}

interface NodeEngineChartProps {
  chart: EngineChartDefinition;
  times: Date[];
  range: { from: Date; to: Date };
}

export function NodeEngineChart({ chart, times, range }: NodeEngineChartProps) {
  // An idle engine reports zeros: give the axis a height, or it would read 0.000….
  const flat = chart.lines.every(line => line.data.every(value => value == null || value === 0));
  return (
    <TimeSeriesLineChart
      chart={chart}
      times={times}
      range={range}
      timeLabel={time => time.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}
      formatValue={value => value.toFixed(value < 10 ? 1 : 0)}
      maximum={chart.maximum ?? (flat ? 1 : undefined)}
      connectNulls
    />
  );
}

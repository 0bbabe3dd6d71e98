import type { EngineMetricsPoint } from '../../dataProvider/nodeAgentQueries';
import type { EngineChartDefinition } from './NodeEngineChart';

function scaled(value: number | null, factor: number): number | null {
  return value == null ? null : value * factor;
}

// The engine charts of a node's detail page: queue depth, KV-cache use, tokens/s and the engine's own TTFT. The
// bounding line (peak) comes first so the mean is drawn over it where they meet.
export function engineChartDefinitions(points: readonly EngineMetricsPoint[]): EngineChartDefinition[] {
  const line = (label: string, read: (point: EngineMetricsPoint) => number | null) => ({ label, data: points.map(read) });
  const charts: EngineChartDefinition[] = [
    { metric: 'queue', title: 'Queue depth', unit: 'requests', lines: [line('Peak', point => point.queueDepthMax), line('Waiting', point => point.queueDepth), line('Running', point => point.running)] },
    {
      metric: 'kvCache',
      title: 'KV-cache use',
      unit: '%',
      maximum: 100,
      lines: [line('Peak', point => scaled(point.kvCacheUsageRatioMax, 100)), line('Mean', point => scaled(point.kvCacheUsageRatio, 100))],
    },
    {
      metric: 'tokens',
      title: 'Throughput',
      unit: 'tokens/s',
      lines: [line('Prompt', point => point.promptTokensPerSecond), line('Generation', point => point.generationTokensPerSecond)],
    },
  ];
  if (points.some(point => point.ttftP50Seconds != null)) {
    charts.push({
      metric: 'ttft',
      title: 'Engine time to first token',
      unit: 'ms',
      lines: [line('p99 (peak)', point => scaled(point.ttftP99Seconds, 1000)), line('p50', point => scaled(point.ttftP50Seconds, 1000))],
    });
  }
  return charts;
}

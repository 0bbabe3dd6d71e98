import { seededRandom, trafficWeight } from './demo-traffic';

/** The demo's own GPU nodes (the self-hosted models of demo-traffic.ts run on them) with plausible rates. */
export const demoNodes = [
  { name: 'gpu-node-a', kind: 'vllm', gpus: 8, gpuName: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, powerLimitWatts: 700, hourlyCostUsd: '28', labels: { site: 'fra1', tier: 'prod' } },
  { name: 'gpu-node-b', kind: 'vllm', gpus: 8, gpuName: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, powerLimitWatts: 700, hourlyCostUsd: '28', labels: { site: 'fra1', tier: 'prod' } },
  { name: 'gpu-node-c', kind: 'ollama', gpus: 2, gpuName: 'NVIDIA L40S', memoryMiB: 46068, powerLimitWatts: 350, hourlyCostUsd: '3.2', labels: { site: 'ams2', tier: 'dev' } },
];

export interface DemoGpuSample {
  timestamp: string;
  node: string;
  gpuUuid: string;
  gpuIndex: number;
  gpuName: string;
  migInstance: null;
  utilizationRatio: number;
  memoryUtilizationRatio: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  powerDrawWatts: number;
  powerLimitWatts: number;
  temperatureCelsius: number;
  smClockHertz: number;
  eccErrorsTotal: number;
  throttleReasons: string[];
}

/**
 * One sample per GPU every `stepMinutes`, following the same daily and weekly rhythm as the request traffic; the
 * dev node's second GPU sits idle and one prod GPU runs hot on weekday afternoons, so the idle and hot-spot views
 * have something to show.
 */
export function* generateDemoGpuSamples(options: { end: Date; days: number; stepMinutes: number; seed?: number }): Generator<DemoGpuSample> {
  const random = seededRandom(options.seed ?? 1234);
  const stepMs = options.stepMinutes * 60_000;
  const start = options.end.getTime() - options.days * 24 * 3600_000;
  for (let time = start; time < options.end.getTime(); time += stepMs) {
    const at = new Date(time);
    const load = Math.min(1, trafficWeight(at));
    for (const node of demoNodes) {
      for (let gpuIndex = 0; gpuIndex < node.gpus; gpuIndex += 1) {
        const idle = node.name === 'gpu-node-c' && gpuIndex === 1;
        const hot = node.name === 'gpu-node-b' && gpuIndex === 3 && load > 0.8;
        const utilization = idle ? 0.01 * random() : Math.min(1, Math.max(0, load * (0.75 + 0.3 * random())));
        const memoryTotalBytes = node.memoryMiB * 1024 * 1024;
        const temperature = Math.round(32 + utilization * 40 + (hot ? 18 : 0) + random() * 3);
        yield {
          timestamp: at.toISOString(),
          node: node.name,
          gpuUuid: `GPU-demo-${node.name}-${gpuIndex}`,
          gpuIndex,
          gpuName: node.gpuName,
          migInstance: null,
          utilizationRatio: Number(utilization.toFixed(2)),
          memoryUtilizationRatio: Number((utilization * 0.6).toFixed(2)),
          memoryUsedBytes: idle ? 512 * 1024 * 1024 : Math.round(memoryTotalBytes * (0.72 + 0.05 * random())),
          memoryTotalBytes,
          powerDrawWatts: Number((node.powerLimitWatts * (0.1 + 0.85 * utilization)).toFixed(1)),
          powerLimitWatts: node.powerLimitWatts,
          temperatureCelsius: temperature,
          smClockHertz: Math.round((1200 + utilization * 780) * 1e6),
          eccErrorsTotal: 0,
          throttleReasons: hot ? ['sw_thermal_slowdown'] : [],
        };
      }
    }
  }
}

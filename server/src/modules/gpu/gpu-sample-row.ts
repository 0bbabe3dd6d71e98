import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import type { GpuSample } from './dto/gpu-sample';

/** A row of ClickHouse `gpu_samples` as written (JSONEachRow, snake_case). */
export interface GpuSampleRow {
  timestamp: string;
  node: string;
  gpu_uuid: string;
  gpu_index: number;
  gpu_name: string;
  mig_instance: string;
  utilization_ratio: number | null;
  memory_utilization_ratio: number | null;
  memory_used_bytes: number | null;
  memory_total_bytes: number | null;
  power_draw_watts: number | null;
  power_limit_watts: number | null;
  temperature_celsius: number | null;
  sm_clock_hertz: number | null;
  ecc_errors_total: number | null;
  throttle_reasons: string[];
  retention_days: number;
  ingested_at: string;
}

/** Column order for compact inserts (WriterStream.columns in the batching writer). */
export const gpuSampleColumns: [keyof GpuSampleRow, ...Array<keyof GpuSampleRow>] = [
  'timestamp', 'node', 'gpu_uuid', 'gpu_index', 'gpu_name', 'mig_instance', 'utilization_ratio', 'memory_utilization_ratio',
  'memory_used_bytes', 'memory_total_bytes', 'power_draw_watts', 'power_limit_watts', 'temperature_celsius',
  'sm_clock_hertz', 'ecc_errors_total', 'throttle_reasons', 'retention_days', 'ingested_at',
];

export function toGpuSampleRow(sample: GpuSample, retentionDays: number, ingestedAt: string): GpuSampleRow {
  return {
    timestamp: clickhouseTime(sample.timestamp),
    node: sample.node,
    gpu_uuid: sample.gpuUuid,
    gpu_index: sample.gpuIndex,
    gpu_name: sample.gpuName,
    mig_instance: sample.migInstance,
    utilization_ratio: sample.utilizationRatio,
    memory_utilization_ratio: sample.memoryUtilizationRatio,
    memory_used_bytes: sample.memoryUsedBytes,
    memory_total_bytes: sample.memoryTotalBytes,
    power_draw_watts: sample.powerDrawWatts,
    power_limit_watts: sample.powerLimitWatts,
    temperature_celsius: sample.temperatureCelsius,
    sm_clock_hertz: sample.smClockHertz,
    ecc_errors_total: sample.eccErrorsTotal,
    throttle_reasons: sample.throttleReasons,
    retention_days: retentionDays,
    ingested_at: ingestedAt,
  };
}

/** The identity a re-sent sample shares with its first copy: (node, GPU, MIG instance, time to the millisecond). */
export function gpuSampleKey(node: string, gpuUuid: string, migInstance: string, timestampMs: number): string {
  return `${node}\u0000${gpuUuid}\u0000${migInstance}\u0000${timestampMs}`;
}

export function timestampMsOfRow(row: GpuSampleRow): number {
  return Date.parse(`${row.timestamp.replace(' ', 'T')}Z`);
}

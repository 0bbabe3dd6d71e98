/**
 * The GPU sample the exporter pushes to the server (`POST /api/v1/ingest/gpu`, body `{"samples": [...]}`).
 * This file is the contract: the server mirrors these types. Every measurement is in base units, and is
 * null where nvidia-smi had no value for it (never 0).
 */
import type { Snapshot } from './gpu-collector';
import type { GpuReading } from './gpu-reading';
import { THROTTLE_REASONS, throttleReasonKey } from './field-catalogue';

export interface GpuSample {
  /** When the collection ran, ISO-8601 in UTC. */
  readonly timestamp: string;
  /** The node the GPU sits in (--node-name, default the host name). */
  readonly node: string;
  readonly gpuUuid: string;
  readonly gpuIndex: number;
  readonly gpuName: string;
  /** MIG device uuid when the sample describes one MIG instance; null for a whole GPU. nvidia-smi
   * --query-gpu reports whole GPUs only, so this exporter sends null. */
  readonly migInstance: string | null;
  /** 0..1 */
  readonly utilizationRatio: number | null;
  /** 0..1 */
  readonly memoryUtilizationRatio: number | null;
  readonly memoryUsedBytes: number | null;
  readonly memoryTotalBytes: number | null;
  readonly powerDrawWatts: number | null;
  readonly powerLimitWatts: number | null;
  readonly temperatureCelsius: number | null;
  readonly smClockHertz: number | null;
  /** Corrected plus uncorrected ECC errors over the GPU's lifetime (InfoROM aggregate counters): it survives
   * driver reloads, so the server can difference it. Null when ECC counters are not reported. */
  readonly eccErrorsTotal: number | null;
  /** Clock event ("throttle") reasons active now, by nvidia-smi name (`sw_power_cap`, `gpu_idle`, ...);
   * [] when none is active; null when the driver reports none of them. */
  readonly throttleReasons: string[] | null;
}

export interface GpuSampleBatch {
  readonly samples: GpuSample[];
}

function valueOf(gpu: GpuReading, field: string): number | null {
  return gpu.numbers.get(field) ?? null;
}

function eccErrorsTotal(gpu: GpuReading): number | null {
  const corrected = gpu.numbers.get('ecc.errors.corrected.aggregate.total');
  const uncorrected = gpu.numbers.get('ecc.errors.uncorrected.aggregate.total');
  if (corrected === undefined && uncorrected === undefined) return null;
  return (corrected ?? 0) + (uncorrected ?? 0);
}

function throttleReasons(gpu: GpuReading): string[] | null {
  const reported = THROTTLE_REASONS.filter((reason) => gpu.numbers.has(throttleReasonKey(reason)));
  if (reported.length === 0) return null;
  return reported.filter((reason) => gpu.numbers.get(throttleReasonKey(reason)) === 1);
}

/** One sample per GPU; a failed collection yields none (the exporter's up metric tells that story). */
export function toGpuSamples(snapshot: Snapshot, node: string): GpuSample[] {
  const timestamp = snapshot.collectedAt.toISOString();
  return snapshot.gpus.map((gpu) => ({
    timestamp,
    node,
    gpuUuid: gpu.uuid,
    gpuIndex: gpu.index,
    gpuName: gpu.name,
    migInstance: null,
    utilizationRatio: valueOf(gpu, 'utilization.gpu'),
    memoryUtilizationRatio: valueOf(gpu, 'utilization.memory'),
    memoryUsedBytes: valueOf(gpu, 'memory.used'),
    memoryTotalBytes: valueOf(gpu, 'memory.total'),
    powerDrawWatts: valueOf(gpu, 'power.draw'),
    powerLimitWatts: valueOf(gpu, 'power.limit'),
    temperatureCelsius: valueOf(gpu, 'temperature.gpu'),
    smClockHertz: valueOf(gpu, 'clocks.current.sm'),
    eccErrorsTotal: eccErrorsTotal(gpu),
    throttleReasons: throttleReasons(gpu),
  }));
}

/**
 * A GPU sample as warden-gpu-exporter pushes it (`POST /api/v1/ingest/gpu`, body `{"samples": [...]}`); mirrors
 * collectors/src/gpu-exporter/gpu-sample.ts, which is the contract. Base units; null where nvidia-smi had no value.
 */
export interface GpuSample {
  timestamp: Date;
  node: string;
  gpuUuid: string;
  gpuIndex: number;
  gpuName: string;
  /** '' for a whole GPU. */
  migInstance: string;
  utilizationRatio: number | null;
  memoryUtilizationRatio: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  powerDrawWatts: number | null;
  powerLimitWatts: number | null;
  temperatureCelsius: number | null;
  smClockHertz: number | null;
  eccErrorsTotal: number | null;
  throttleReasons: string[];
}

export type { FieldProblem } from '../../../engine/validation/field-problems';

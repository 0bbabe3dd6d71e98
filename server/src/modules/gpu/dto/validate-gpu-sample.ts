import { parseTimestamp } from '../../../engine/validation/timestamps';
import { findUnknownFields, type FieldProblem } from '../../../engine/validation/field-problems';
import type { GpuSample } from './gpu-sample';

const knownFields = new Set([
  'timestamp', 'node', 'gpuUuid', 'gpuIndex', 'gpuName', 'migInstance', 'utilizationRatio', 'memoryUtilizationRatio',
  'memoryUsedBytes', 'memoryTotalBytes', 'powerDrawWatts', 'powerLimitWatts', 'temperatureCelsius', 'smClockHertz',
  'eccErrorsTotal', 'throttleReasons',
]);
const maxFutureSkewMs = 24 * 3600 * 1000;
const maxThrottleReasons = 32;

/**
 * Checks one sample by hand (it runs for every GPU of every node every interval), returning every problem of the
 * sample, each naming its field. A measurement is a number in its range or null; a missing one is null.
 */
export function validateGpuSample(raw: unknown, now: number = Date.now()): { sample: GpuSample } | { problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '(sample)', message: 'must be a JSON object' }] };
  }
  const input = raw as Record<string, unknown>;
  const problems: FieldProblem[] = findUnknownFields(input, knownFields);

  const text = (field: string, options: { required: boolean; max: number }): string => {
    const value = input[field];
    if (value === undefined || value === null || value === '') {
      if (options.required) problems.push({ field, message: 'is required' });
      return '';
    }
    if (typeof value !== 'string') {
      problems.push({ field, message: `must be a string, got ${typeof value}` });
      return '';
    }
    if (value.length > options.max) problems.push({ field, message: `must be at most ${options.max} characters` });
    return value;
  };
  const measurement = (field: string, min: number, max: number, options: { integer?: boolean; unit?: string } = {}): number | null => {
    const value = input[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      problems.push({ field, message: `must be a number from ${min} to ${max}${options.unit ? ` (${options.unit})` : ''}, or null` });
      return null;
    }
    if (options.integer && !Number.isInteger(value)) {
      problems.push({ field, message: 'must be a whole number' });
      return null;
    }
    return value;
  };

  const timestampText = text('timestamp', { required: true, max: 64 });
  let timestamp = new Date(NaN);
  if (timestampText) {
    timestamp = parseTimestamp(timestampText);
    if (Number.isNaN(timestamp.getTime())) {
      problems.push({ field: 'timestamp', message: 'must be an ISO-8601 date-time, e.g. 2026-03-02T10:00:00Z' });
    } else if (timestamp.getTime() > now + maxFutureSkewMs) {
      problems.push({ field: 'timestamp', message: 'is more than 24 hours in the future' });
    } else if (timestamp.getUTCFullYear() < 2000) {
      problems.push({ field: 'timestamp', message: 'is before the year 2000' });
    }
  }
  const node = text('node', { required: true, max: 128 });
  const gpuUuid = text('gpuUuid', { required: true, max: 128 });
  let gpuIndex = 0;
  if (input.gpuIndex === undefined || input.gpuIndex === null) problems.push({ field: 'gpuIndex', message: 'is required' });
  else gpuIndex = measurement('gpuIndex', 0, 65_535, { integer: true }) ?? 0;
  const gpuName = text('gpuName', { required: false, max: 256 });
  const migInstance = text('migInstance', { required: false, max: 128 });

  let throttleReasons: string[] = [];
  const reasons = input.throttleReasons;
  if (reasons !== undefined && reasons !== null) {
    if (!Array.isArray(reasons) || reasons.length > maxThrottleReasons || reasons.some((reason) => typeof reason !== 'string' || reason.length === 0 || reason.length > 64)) {
      problems.push({ field: 'throttleReasons', message: `must be an array of at most ${maxThrottleReasons} reason names (strings), or null` });
    } else {
      throttleReasons = [...new Set(reasons as string[])].sort();
    }
  }

  const sample: GpuSample = {
    timestamp,
    node,
    gpuUuid,
    gpuIndex,
    gpuName,
    migInstance,
    utilizationRatio: measurement('utilizationRatio', 0, 1, { unit: 'ratio 0..1' }),
    memoryUtilizationRatio: measurement('memoryUtilizationRatio', 0, 1, { unit: 'ratio 0..1' }),
    memoryUsedBytes: measurement('memoryUsedBytes', 0, Number.MAX_SAFE_INTEGER, { integer: true, unit: 'bytes' }),
    memoryTotalBytes: measurement('memoryTotalBytes', 0, Number.MAX_SAFE_INTEGER, { integer: true, unit: 'bytes' }),
    powerDrawWatts: measurement('powerDrawWatts', 0, 100_000, { unit: 'W' }),
    powerLimitWatts: measurement('powerLimitWatts', 0, 100_000, { unit: 'W' }),
    temperatureCelsius: measurement('temperatureCelsius', -100, 200, { unit: '°C' }),
    smClockHertz: measurement('smClockHertz', 0, 100e9, { integer: true, unit: 'Hz' }),
    eccErrorsTotal: measurement('eccErrorsTotal', 0, Number.MAX_SAFE_INTEGER, { integer: true }),
    throttleReasons,
  };
  return problems.length > 0 ? { problems } : { sample };
}

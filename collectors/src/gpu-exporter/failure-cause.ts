/**
 * Names why an nvidia-smi run failed. The text is checked before the exit status: exit 255 and 2 are shared
 * by several causes, while the sentences below are what NVIDIA prints (see the captures under
 * shared/fixtures/nvidia-smi). Exit statuses are NVML return codes (nvml.h).
 */
import type { RunResult } from './nvidia-smi-runner';

export const FAILURE_CAUSES = [
  'nvidia_smi_not_found',
  'timeout',
  'driver_not_loaded',
  'driver_library_mismatch',
  'nvml_library_not_found',
  'no_gpus',
  'invalid_field',
  'insufficient_permissions',
  'unreadable_output',
  'nvidia_smi_failed',
] as const;

export type FailureCauseCode = (typeof FAILURE_CAUSES)[number];

export interface Failure {
  readonly cause: FailureCauseCode;
  /** One line for operators: what failed, why, and what nvidia-smi said. */
  readonly message: string;
  /** For invalid_field: the field nvidia-smi refused. */
  readonly invalidField?: string;
}

const EXPLANATIONS: Readonly<Record<FailureCauseCode, string>> = {
  nvidia_smi_not_found: 'nvidia-smi could not be started (not installed, not on PATH, or not executable)',
  timeout: 'nvidia-smi did not answer in time and was killed (a hung driver or GPU)',
  driver_not_loaded: 'the NVIDIA kernel driver is not loaded or not reachable',
  driver_library_mismatch: 'the NVIDIA kernel module and user-space NVML library versions differ (driver upgraded without reboot?)',
  nvml_library_not_found: 'libnvidia-ml.so (NVML) was not found (driver libraries not installed or not mounted into the container)',
  no_gpus: 'the driver is loaded but found no supported GPU',
  invalid_field: 'nvidia-smi refused a query field, which fails the whole query',
  insufficient_permissions: 'nvidia-smi lacks the permissions to read the GPU',
  unreadable_output: 'nvidia-smi answered but its output could not be read as CSV',
  nvidia_smi_failed: 'nvidia-smi failed',
};

interface TextRule {
  readonly pattern: RegExp;
  readonly cause: FailureCauseCode;
}

const TEXT_RULES: readonly TextRule[] = [
  { pattern: /couldn't communicate with the NVIDIA driver/i, cause: 'driver_not_loaded' },
  { pattern: /Driver\/library version mismatch/i, cause: 'driver_library_mismatch' },
  { pattern: /couldn't find libnvidia-ml|libnvidia-ml\.so.*(not found|cannot open)/i, cause: 'nvml_library_not_found' },
  { pattern: /No supported GPUs were found|No devices were found/i, cause: 'no_gpus' },
  { pattern: /is not a valid field to query/i, cause: 'invalid_field' },
  { pattern: /Insufficient Permissions|permission denied/i, cause: 'insufficient_permissions' },
];

const EXIT_STATUS_CAUSES: Readonly<Record<number, FailureCauseCode>> = {
  4: 'insufficient_permissions', // NVML_ERROR_NO_PERMISSION
  6: 'no_gpus', // NVML_ERROR_NOT_FOUND
  9: 'driver_not_loaded', // NVML_ERROR_DRIVER_NOT_LOADED
  12: 'nvml_library_not_found', // NVML_ERROR_LIBRARY_NOT_FOUND
  18: 'driver_library_mismatch', // NVML_ERROR_LIB_RM_VERSION_MISMATCH
};

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

/** Undefined when the run succeeded (exit 0). */
export function classifyFailure(result: RunResult, executable: string): Failure | undefined {
  if (result.spawnErrorCode !== undefined) {
    return build('nvidia_smi_not_found', `${executable}: ${result.spawnErrorCode}`);
  }
  if (result.timedOut) {
    return build('timeout', `killed after ${result.durationSeconds.toFixed(1)} s`);
  }
  if (result.exitCode === 0) return undefined;

  // NVIDIA prints some errors on stdout only (invalid field), some on both streams.
  const output = `${result.stderr}\n${result.stdout}`;
  const status = result.exitCode === null ? `signal ${result.signal ?? 'unknown'}` : `exit ${result.exitCode}`;
  const said = firstLine(result.stderr) || firstLine(result.stdout);
  const detail = said === '' ? status : `${status}: ${JSON.stringify(said)}`;

  const rule = TEXT_RULES.find((candidate) => candidate.pattern.test(output));
  const cause =
    rule?.cause ?? (result.exitCode === null ? undefined : EXIT_STATUS_CAUSES[result.exitCode]) ?? 'nvidia_smi_failed';
  const invalidField = cause === 'invalid_field' ? /Field "([^"]+)" is not a valid field/.exec(output)?.[1] : undefined;
  return { ...build(cause, detail), ...(invalidField === undefined ? {} : { invalidField }) };
}

export function unreadableOutput(detail: string): Failure {
  return build('unreadable_output', detail);
}

function build(cause: FailureCauseCode, detail: string): Failure {
  return { cause, message: `${cause}: ${EXPLANATIONS[cause]} (${detail})` };
}

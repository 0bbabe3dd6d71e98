/** Every failure capture: up 0, exit 1 under --once, and a log line that names the cause. */
import { describe, expect, it } from 'vitest';
import { runExporterOnce, sampleValue, seriesCount } from './support/exporter-run';

const ERROR_CAPTURES = [
  { file: 'err__driver-not-loaded__exit9__couldnt-communicate.txt', exitCode: 9, stream: 'both', cause: 'driver_not_loaded', words: /driver is not loaded/ },
  { file: 'err__driver-library-version-mismatch__exit18__two-line.txt', exitCode: 18, stream: 'stdout', cause: 'driver_library_mismatch', words: /versions differ/ },
  { file: 'err__no-supported-gpus__exit255.txt', exitCode: 255, stream: 'stdout', cause: 'no_gpus', words: /found no supported GPU/ },
  { file: 'err__libnvidia-ml-not-found__exit12.txt', exitCode: 12, stream: 'both', cause: 'nvml_library_not_found', words: /libnvidia-ml\.so/ },
  { file: 'err__invalid-field__exit2__stdout-only.txt', exitCode: 2, stream: 'stdout', cause: 'invalid_field', words: /refused a query field/ },
] as const;

describe('nvidia-smi failures', () => {
  for (const capture of ERROR_CAPTURES) {
    it(`${capture.file}: up 0, exit 1, log names ${capture.cause}`, async () => {
      const result = await runExporterOnce({ all: { file: capture.file, exitCode: capture.exitCode, stream: capture.stream } });
      expect(result.exitCode).toBe(1);
      expect(sampleValue(result.exposition, 'warden_gpu_exporter_up')).toBe(0);
      expect(sampleValue(result.exposition, 'warden_gpu_exporter_scrape_errors_total', { cause: capture.cause })).toBe(1);
      expect(seriesCount(result.exposition, 'warden_gpu_memory_used_bytes')).toBe(0);
      const failureLine = result.log.find((line) => line.startsWith('nvidia-smi failed'));
      expect(failureLine).toContain(capture.cause);
      expect(failureLine).toMatch(capture.words);
      expect(failureLine).toContain(`exit ${capture.exitCode}`);
    });
  }

  it('a missing nvidia-smi binary is up 0, not a crash', async () => {
    const result = await runExporterOnce({}, ['--nvidia-smi', '/nonexistent/nvidia-smi']);
    expect(result.exitCode).toBe(1);
    expect(sampleValue(result.exposition, 'warden_gpu_exporter_up')).toBe(0);
    expect(result.log.join('\n')).toContain('nvidia_smi_not_found');
  });

  it('drops a field the driver refuses and asks again, a bounded number of times', async () => {
    // The 510-era P100 capture lacks most fields the 590 catalogue lists, starting with index: the fake refuses
    // each like nvidia-smi does (exit 2). The exporter drops the refused field and asks again, but gives up
    // after a few refusals and reports invalid_field rather than run nvidia-smi 50 times in one scrape.
    const result = await runExporterOnce({
      helpQueryGpu: { file: 'txt-help-query-gpu__590.48.01__linux.txt' },
      queryGpu: { file: 'csv-query-gpu-nounits__tesla-p100-pcie-16gb__510.47.03.csv', project: true },
    });
    expect(result.log.some((line) => line.includes('nvidia-smi refused field "index"; asking again without it'))).toBe(true);
    expect(result.invocations.filter((args) => args[0]?.startsWith('--query-gpu='))).toHaveLength(6);
    expect(result.invocations[2]?.[0]).not.toContain('index,');
    expect(result.exitCode).toBe(1);
    expect(result.log.join('\n')).toContain('invalid_field');
  });
});

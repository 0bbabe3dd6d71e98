/** Scrapes share one nvidia-smi run; a hung nvidia-smi is killed by the deadline. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../collectors/src/gpu-exporter/command-line';
import { createMetricsServer, listen } from '../../collectors/src/gpu-exporter/http-server';
import { collectOnce, createExporter } from '../../collectors/src/gpu-exporter/main';
import { createFakeNvidiaSmi, healthyScenario, type FakeNvidiaSmi } from './support/fake-nvidia-smi';
import { sampleValue } from './support/exporter-run';

const H100_LOAD = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__load.csv';
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function exporterFor(fake: FakeNvidiaSmi, flags: string[] = []) {
  const parsed = parseCommandLine(['--nvidia-smi', fake.path, '--node-name', 'test-node', ...flags], {});
  if (!parsed.ok) throw new Error(parsed.error);
  const log: string[] = [];
  return { exporter: createExporter(parsed.options, (line) => log.push(line)), log };
}

const queryGpuRuns = (fake: FakeNvidiaSmi): number =>
  fake.invocations().filter((args) => args[0]?.startsWith('--query-gpu=')).length;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('one nvidia-smi run per collection', () => {
  it('two scrapes at once share one in-flight nvidia-smi run', async () => {
    const fake = createFakeNvidiaSmi(healthyScenario(H100_LOAD, { queryGpu: { file: H100_LOAD, project: true, delayMilliseconds: 400 } }));
    cleanups.push(fake.cleanup);
    const { exporter } = exporterFor(fake);
    const server = createMetricsServer(exporter.collector, exporter.metrics, () => undefined);
    const address: AddressInfo = await listen(server, 0, '127.0.0.1');
    cleanups.push(() => server.close());

    const url = `http://127.0.0.1:${address.port}/metrics`;
    const [first, second] = await Promise.all([fetch(url), fetch(url)]);
    const [firstBody, secondBody] = await Promise.all([first.text(), second.text()]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(queryGpuRuns(fake)).toBe(1);
    expect(sampleValue(firstBody, 'warden_gpu_memory_used_bytes', { gpu: '0' })).toBe(19818 * 1048576);
    expect(sampleValue(secondBody, 'warden_gpu_memory_used_bytes', { gpu: '0' })).toBe(19818 * 1048576);
    // The shared run's result is counted once, not once per scrape.
    expect(sampleValue(secondBody, 'warden_gpu_exporter_up')).toBe(1);

    // A later scrape runs nvidia-smi again: results are shared, not cached.
    await (await fetch(url)).text();
    expect(queryGpuRuns(fake)).toBe(2);
  });

  it('kills a hung nvidia-smi at the deadline and reports up 0 with cause timeout', async () => {
    const fake = createFakeNvidiaSmi(healthyScenario(H100_LOAD, { queryGpu: { file: H100_LOAD, hang: true } }));
    cleanups.push(fake.cleanup);
    const { exporter, log } = exporterFor(fake, ['--nvidia-smi-timeout', '0.5']);
    const started = Date.now();
    const result = await collectOnce(exporter);
    const elapsed = Date.now() - started;

    expect(result.exitCode).toBe(1);
    expect(sampleValue(result.exposition, 'warden_gpu_exporter_up')).toBe(0);
    expect(sampleValue(result.exposition, 'warden_gpu_exporter_scrape_errors_total', { cause: 'timeout' })).toBe(1);
    expect(log.find((line) => line.startsWith('nvidia-smi failed'))).toContain('timeout');
    expect(elapsed).toBeLessThan(5_000);
    const hungPid = fake.pids().at(-1) as number;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isRunning(hungPid)).toBe(false);
  });
});

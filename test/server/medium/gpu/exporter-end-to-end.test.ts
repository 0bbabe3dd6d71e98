import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { repositoryRoot } from '../../../support/test-engines';
import { createFakeNvidiaSmi, healthyScenario, type FakeNvidiaSmi } from '../../../collectors/support/fake-nvidia-smi';
import { graphqlData } from './gpu-support';

// The server runs in this process: the exporter must run asynchronously, or nobody would answer its push.
function runExporter(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['collectors/bin/warden-gpu-exporter.js', ...args], { cwd: repositoryRoot, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const capture = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__load.csv';

describe('the real warden-gpu-exporter pushing to the real server', () => {
  let testApp: TestApp;
  let fake: FakeNvidiaSmi;
  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', 'collectors/tsconfig.json'], { cwd: repositoryRoot, stdio: 'inherit' });
    fake = createFakeNvidiaSmi(healthyScenario(capture));
    testApp = await startTestApp();
  });
  afterAll(async () => {
    fake?.cleanup();
    await testApp?.close();
  });

  it('--once --push-url delivers the capture and the fleet summary shows the GPU', async () => {
    const args = ['--once', '--push-url', `${testApp.baseUrl}/api/v1/ingest/gpu`, '--ingest-key', testApp.ingestKey, '--nvidia-smi', fake.path, '--node-name', 'gpu-node-a'];
    const run = await runExporter(args);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^warden_gpu_exporter_up(\{[^}]*\})? 1$/m);

    // The exporter stamps samples with the real clock, so the fleet is read at the real clock too.
    const { gpuFleet } = await graphqlData<{ gpuFleet: { gpus: number; reportingGpus: number; tiles: Array<Record<string, unknown>> } }>(
      testApp,
      `{ gpuFleet(staleAfterMinutes: 10) { gpus reportingGpus tiles { node gpuIndex gpuUuid gpuName status utilizationRatio memoryUsedBytes memoryTotalBytes powerDrawWatts powerLimitWatts temperatureCelsius smClockHertz } } }`,
    );
    expect(gpuFleet.gpus).toBe(1);
    expect(gpuFleet.reportingGpus).toBe(1);
    const tile = gpuFleet.tiles[0];
    expect(tile).toMatchObject({ node: 'gpu-node-a', gpuIndex: 0, gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuName: 'NVIDIA H100 80GB HBM3' });
    // Every measurement the capture holds arrived in base units, as the exporter's own exposition says.
    const exposed = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(run.stdout)?.[1]);
    expect(tile.utilizationRatio).toBeCloseTo(exposed('warden_gpu_utilization_ratio'), 6);
    expect(tile.memoryUsedBytes).toBe(exposed('warden_gpu_memory_used_bytes'));
    expect(tile.memoryTotalBytes).toBe(exposed('warden_gpu_memory_total_bytes'));
    expect(tile.powerDrawWatts).toBeCloseTo(exposed('warden_gpu_power_draw_watts'), 6);
    expect(tile.temperatureCelsius).toBe(exposed('warden_gpu_temperature_celsius'));
    expect(tile.smClockHertz).toBe(exposed('warden_gpu_sm_clock_hertz'));

    // Run again: a new collection is a new sample, never a duplicate of the first.
    const again = await runExporter(args);
    expect(again.status).toBe(0);
    const stored = await testApp.engines.clickhouse.query({ query: "SELECT count() AS count FROM warden.gpu_samples WHERE node = 'gpu-node-a'", format: 'JSONEachRow' });
    expect(await stored.json()).toEqual([{ count: '2' }]);
  });
});

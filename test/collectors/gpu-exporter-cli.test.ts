/** The real bin, end to end: built with tsc, run with node, against a fake nvidia-smi. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GpuSample } from '../../collectors/src/gpu-exporter/gpu-sample';
import { createFakeNvidiaSmi, healthyScenario, type FakeNvidiaSmi } from './support/fake-nvidia-smi';
import { normalizeExposition, sampleValue } from './support/exporter-run';
import { itWithPromtool, promtoolCheckMetrics } from './support/promtool';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'collectors/bin/warden-gpu-exporter.js');
const H100_LOAD = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3__590.48.01__linux__load.csv';

beforeAll(() => {
  // Always rebuild: a stale dist would test yesterday's exporter.
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'collectors/tsconfig.json')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`collectors build failed:\n${build.stdout}${build.stderr}`);
});

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function fakeFor(capture: string, extra = {}): FakeNvidiaSmi {
  const fake = createFakeNvidiaSmi(healthyScenario(capture, extra));
  cleanups.push(fake.cleanup);
  return fake;
}

/** Starts the exporter serving, and resolves with the port it logged. */
function startServing(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--listen-address', '127.0.0.1', ...args], { env: { PATH: process.env.PATH, ...env } });
  cleanups.push(() => child.kill('SIGKILL'));
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exporter did not start:\n${stderr}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), stderr: () => stderr });
      }
    });
    child.on('exit', (code) => reject(new Error(`exporter exited ${code}:\n${stderr}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('warden-gpu-exporter --once', () => {
  it('prints the same exposition as the golden file and exits 0', async () => {
    const fake = fakeFor(H100_LOAD, { queryComputeApps: { file: 'csv-query-compute-apps__h100-80gb-hbm3__590.48.01__linux__load.csv' } });
    const result = await runCli(['--once', '--nvidia-smi', fake.path, '--node-name', 'test-node', '--query-compute-apps']);
    expect(result.code).toBe(0);
    expect(normalizeExposition(result.stdout)).toBe(readFileSync(path.join(__dirname, 'golden/h100-80gb-hbm3-load.prom'), 'utf8'));
  });

  it('takes nvidia-smi from NVIDIA_SMI_PATH', async () => {
    const fake = fakeFor(H100_LOAD);
    const result = await runCli(['--once', '--node-name', 'test-node'], { NVIDIA_SMI_PATH: fake.path });
    expect(result.code).toBe(0);
    expect(sampleValue(result.stdout, 'warden_gpu_exporter_up')).toBe(1);
  });

  it('still prints the exposition (up 0) and exits 1 when nvidia-smi fails, naming the cause on stderr', async () => {
    const fake = createFakeNvidiaSmi({ all: { file: 'err__driver-library-version-mismatch__exit18__two-line.txt', exitCode: 18 } });
    cleanups.push(fake.cleanup);
    const result = await runCli(['--once', '--nvidia-smi', fake.path]);
    expect(result.code).toBe(1);
    expect(sampleValue(result.stdout, 'warden_gpu_exporter_up')).toBe(0);
    expect(result.stderr).toMatch(/nvidia-smi failed.*driver_library_mismatch.*exit 18/);
  });
});

describe('command line errors', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown flag --bogus/],
    [['--port', 'abc'], /--port must be an integer/],
    [['--port'], /--port needs a value/],
    [['--interval', '0'], /--interval must be a positive number/],
    [['--push-url', 'not a url', '--ingest-key', 'k'], /--push-url must be an http\(s\) URL/],
    [['--push-url', 'http://127.0.0.1:4000/api/v1/ingest/gpu'], /--push-url needs --ingest-key or WARDEN_INGEST_KEY/],
    [['--once=yes'], /--once takes no value/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')} exits 2 naming the flag`, async () => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  }

  it('--help prints usage and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--nvidia-smi', '--port', '--push-url', '--once', '--interval', '--node-name', '--ingest-key', '--query-compute-apps']) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe('warden-gpu-exporter serving', () => {
  itWithPromtool('serves /metrics over HTTP, lint-clean with its own process metrics, and stops on SIGTERM', async () => {
    const fake = fakeFor(H100_LOAD);
    const { child, port } = await startServing(['--nvidia-smi', fake.path, '--node-name', 'test-node']);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(sampleValue(body, 'warden_gpu_power_draw_watts', { gpu: '0' })).toBe(631.95);
    expect(sampleValue(body, 'warden_gpu_exporter_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(body, 'warden_gpu_exporter_cpu_seconds_total')).toBeGreaterThan(0);
    const check = promtoolCheckMetrics(body);
    expect(check.output).toBe('');
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('pushes samples to --push-url every --interval with the ingest key', async () => {
    const received: { authorization: string | undefined; samples: GpuSample[] }[] = [];
    const ingest = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ authorization: request.headers.authorization, samples: (JSON.parse(body) as { samples: GpuSample[] }).samples });
        response.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => ingest.close());
    const url = `http://127.0.0.1:${(ingest.address() as AddressInfo).port}/api/v1/ingest/gpu`;
    const fake = fakeFor(H100_LOAD);
    const { child } = await startServing(['--nvidia-smi', fake.path, '--node-name', 'test-node', '--push-url', url, '--interval', '0.3'], { WARDEN_INGEST_KEY: 'from-env' });
    const deadline = Date.now() + 10_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);

    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received[0]?.authorization).toBe('Bearer from-env');
    const first = received[0]?.samples[0];
    expect(first?.gpuUuid).toBe('GPU-00000000-0000-0000-0000-000000000000');
    expect(first?.node).toBe('test-node');
    expect(first?.memoryUsedBytes).toBe(19818 * 1048576);
    expect(first?.utilizationRatio).toBe(1);
    const timestamps = received.flatMap((batch) => batch.samples.map((sample) => sample.timestamp));
    expect([...timestamps].sort()).toEqual(timestamps);
  });
});

/** The pusher against a real local HTTP server that refuses, then accepts. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../collectors/src/gpu-exporter/command-line';
import { toGpuSamples, type GpuSample } from '../../collectors/src/gpu-exporter/gpu-sample';
import { createExporter } from '../../collectors/src/gpu-exporter/main';
import { SamplePusher } from '../../collectors/src/gpu-exporter/sample-pusher';
import { createFakeNvidiaSmi, healthyScenario } from './support/fake-nvidia-smi';
import { sampleValue } from './support/exporter-run';

interface Received {
  readonly authorization: string | undefined;
  readonly samples: GpuSample[];
}

interface IngestServer {
  readonly url: string;
  readonly accepted: Received[];
  readonly server: Server;
  /** Refuse every request from now on (true) or accept again (false). */
  refuse(refusing: boolean): void;
}

/** Answers the first `refusals` requests with `refusalStatus`, then 200; records accepted batches. */
async function ingestServer(refusals: number, refusalStatus = 503): Promise<IngestServer> {
  const accepted: Received[] = [];
  let requests = 0;
  let refusing = false;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      if (requests <= refusals || refusing) {
        response.writeHead(refusalStatus).end('{"error":"not now"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { samples: GpuSample[] };
      accepted.push({ authorization: request.headers.authorization, samples: body.samples });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/ingest/gpu`,
    accepted,
    server,
    refuse: (value) => {
      refusing = value;
    },
  };
}

function sample(sequence: number): GpuSample {
  return {
    timestamp: new Date(Date.UTC(2026, 6, 14, 9, 0, sequence)).toISOString(),
    node: 'test-node',
    gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
    gpuIndex: 0,
    gpuName: 'NVIDIA H100 80GB HBM3',
    migInstance: null,
    utilizationRatio: sequence / 100,
    memoryUtilizationRatio: null,
    memoryUsedBytes: null,
    memoryTotalBytes: null,
    powerDrawWatts: null,
    powerLimitWatts: null,
    temperatureCelsius: null,
    smClockHertz: null,
    eccErrorsTotal: null,
    throttleReasons: null,
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

async function until(condition: () => boolean, timeoutMilliseconds = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function pusherFor(url: string, registry: Registry, overrides: Partial<ConstructorParameters<typeof SamplePusher>[0]> = {}): SamplePusher {
  const pusher = new SamplePusher({
    url,
    ingestKey: 'test-ingest-key',
    registry,
    log: () => undefined,
    initialRetryDelayMilliseconds: 20,
    maxRetryDelayMilliseconds: 50,
    ...overrides,
  });
  cleanups.push(() => pusher.stop());
  return pusher;
}

describe('sample pusher', () => {
  it('keeps samples while the server refuses (503), then delivers each once, in order, with the bearer key', async () => {
    const ingest = await ingestServer(2);
    cleanups.push(() => ingest.server.close());
    const registry = new Registry();
    const pusher = pusherFor(ingest.url, registry, { batchSize: 2 });

    pusher.enqueue([sample(1), sample(2), sample(3)]);
    expect(await pusher.flush()).toBe(false);
    expect(pusher.bufferedSampleCount).toBe(3);
    pusher.enqueue([sample(4), sample(5)]);
    await until(() => pusher.bufferedSampleCount === 0 && ingest.accepted.length === 3);
    // A batch leaves the buffer while in flight and is counted when the answer arrives: wait for that count too.
    const deadline = Date.now() + 5_000;
    while (sampleValue(await registry.metrics(), 'warden_gpu_exporter_push_delivered_samples_total') !== 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const delivered = ingest.accepted.flatMap((batch) => batch.samples.map((s) => s.timestamp));
    expect(delivered).toEqual([1, 2, 3, 4, 5].map((n) => sample(n).timestamp));
    expect(ingest.accepted.every((batch) => batch.samples.length <= 2)).toBe(true);
    expect(ingest.accepted.every((batch) => batch.authorization === 'Bearer test-ingest-key')).toBe(true);
    const metrics = await registry.metrics();
    expect(sampleValue(metrics, 'warden_gpu_exporter_push_delivered_samples_total')).toBe(5);
    expect(sampleValue(metrics, 'warden_gpu_exporter_push_failures_total')).toBe(2);
    expect(sampleValue(metrics, 'warden_gpu_exporter_push_dropped_samples_total', { reason: 'buffer_full' })).toBe(0);
  });

  it('bounds the buffer while the server is down: drops the oldest and counts them', async () => {
    const ingest = await ingestServer(0);
    ingest.refuse(true);
    cleanups.push(() => ingest.server.close());
    const registry = new Registry();
    const pusher = pusherFor(ingest.url, registry, { maxBufferedSamples: 5, initialRetryDelayMilliseconds: 60_000 });

    pusher.enqueue([1, 2, 3, 4, 5, 6].map(sample));
    expect(await pusher.flush()).toBe(false);
    pusher.enqueue([7, 8].map(sample));
    expect(pusher.bufferedSampleCount).toBe(5);
    const metrics = await registry.metrics();
    expect(sampleValue(metrics, 'warden_gpu_exporter_push_dropped_samples_total', { reason: 'buffer_full' })).toBe(3);
    expect(sampleValue(metrics, 'warden_gpu_exporter_push_buffered_samples')).toBe(5);

    // The server comes back: what is left arrives oldest first.
    ingest.refuse(false);
    expect(await pusher.flush()).toBe(true);
    expect(ingest.accepted.flatMap((batch) => batch.samples.map((s) => s.timestamp))).toEqual([4, 5, 6, 7, 8].map((n) => sample(n).timestamp));
  });

  it('drops a batch the server rejects as invalid (400) instead of blocking every later sample', async () => {
    const ingest = await ingestServer(1, 400);
    cleanups.push(() => ingest.server.close());
    const registry = new Registry();
    const pusher = pusherFor(ingest.url, registry, { batchSize: 1 });
    pusher.enqueue([sample(1), sample(2)]);
    expect(await pusher.flush()).toBe(true);
    expect(ingest.accepted.flatMap((batch) => batch.samples.map((s) => s.timestamp))).toEqual([sample(2).timestamp]);
    const metrics = await registry.metrics();
    expect(sampleValue(metrics, 'warden_gpu_exporter_push_dropped_samples_total', { reason: 'rejected' })).toBe(1);
  });

  it('builds camelCase samples in base units from a real capture, null where nvidia-smi had no value', async () => {
    const capture = 'csv-query-gpu-AUTO-all-fields__h100-80gb-hbm3-MIG__590.48.01__linux__load.csv';
    const fake = createFakeNvidiaSmi(healthyScenario(capture, { list: { file: 'txt-list-gpus-L__h100-80gb-hbm3-MIG__590.48.01__linux.txt' } }));
    cleanups.push(fake.cleanup);
    const parsed = parseCommandLine(['--nvidia-smi', fake.path, '--node-name', 'test-node'], {});
    if (!parsed.ok) throw new Error(parsed.error);
    const exporter = createExporter(parsed.options, () => undefined);
    const snapshot = await exporter.collector.collect();
    const [gpu] = toGpuSamples(snapshot, 'test-node');
    expect(gpu).toEqual({
      timestamp: snapshot.collectedAt.toISOString(),
      node: 'test-node',
      gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
      gpuIndex: 0,
      gpuName: 'NVIDIA H100 80GB HBM3',
      migInstance: null,
      utilizationRatio: null, // [N/A] with MIG on
      memoryUtilizationRatio: null,
      memoryUsedBytes: 11125 * 1048576,
      memoryTotalBytes: 81559 * 1048576,
      powerDrawWatts: 433.78,
      powerLimitWatts: 700,
      temperatureCelsius: 53,
      smClockHertz: 1980e6,
      eccErrorsTotal: 0,
      throttleReasons: [],
    });
  });
});

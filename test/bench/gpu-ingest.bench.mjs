#!/usr/bin/env node
// Benchmark of GPU telemetry on the server (not part of npm test). Needs the build: `npm run build -w server`.
// Run: node test/bench/gpu-ingest.bench.mjs   (embedded engines in a temp DATA_DIR: chDB + PGlite)
//
// 1. Ingest: POST /api/v1/ingest/gpu over real HTTP with {"samples": [...]} batches of 500 (the exporter's batch
//    size), BENCH_CONCURRENCY requests in flight, for BENCH_INGEST_SECONDS. Every sample is validated, deduplicated
//    (a ClickHouse key lookup per flush) and written through the batching writer into gpu_samples and both rollups.
//    Target: 1,000 nodes × 8 GPUs every 15 s = 533 rows/s sustained; the headroom is measured rows/s ÷ 533.
// 2. Fleet summary over 30 days: BENCH_NODES nodes × 8 GPUs, one sample per BENCH_SAMPLE_SECONDS for BENCH_DAYS
//    days, loaded with one INSERT … SELECT (the materialized views fill both rollups as they would at ingest), the
//    last hour at 15 s like a live fleet; then GpuFleetService.fleet() (what the gpuFleet GraphQL query runs), p50/p95.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'server/dist/server/src');
require('reflect-metadata');
const { loadConfig } = require(path.join(dist, 'engine/config/config.js'));
const { startEngines } = require(path.join(dist, 'engine/engines.js'));
const { postgresEntities } = require(path.join(dist, 'entities.js'));
const { createHttpApp } = require(path.join(dist, 'http-app.js'));
const { TenancyService } = require(path.join(dist, 'modules/tenancy/tenancy.service.js'));
const { GpuFleetService } = require(path.join(dist, 'modules/gpu/gpu-fleet.service.js'));
const { GpuIdleHotSpotsService } = require(path.join(dist, 'modules/gpu/gpu-idle-hot-spots.service.js'));
const { GpuSeriesService } = require(path.join(dist, 'modules/gpu/gpu-series.service.js'));

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const INGEST_SECONDS = env('BENCH_INGEST_SECONDS', 20);
// A fleet pushes from many nodes at once; 32 pushers in flight let the writer coalesce them as it does in production
// (4 in flight measures the latency-bound case: about 20k rows/s here).
const CONCURRENCY = env('BENCH_CONCURRENCY', 32);
const BATCH = 500;
const NODES = env('BENCH_NODES', 100);
const GPUS_PER_NODE = 8;
// 1 sample / 60 s (34.5M rows) did not finish loading within 10 min on the 2-core dev box; 300 s (7.1M rows) loads in ~80 s.
const SAMPLE_SECONDS = env('BENCH_SAMPLE_SECONDS', 300);
const DAYS = env('BENCH_DAYS', 30);
const FLEET_RUNS = env('BENCH_FLEET_RUNS', 20);
const TARGET_ROWS_PER_SECOND = (1000 * 8) / 15;
const INGEST_KEY = 'wk_bench_ingest_key_0123456789abcdef';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-gpu-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, WARDEN_INGEST_KEY: INGEST_KEY, WARDEN_ADMIN_PASSWORD: 'bench password 123', WARDEN_RETENTION_DAYS: '3650', LOG_LEVEL: 'error' });
const engines = await startEngines(config, { log: () => undefined, error: (line) => console.error(line) }, postgresEntities);
const app = await createHttpApp(engines, { logger: ['error'] });
await app.init();
await app.get(TenancyService).bootstrap(() => undefined);
await app.listen(0, '127.0.0.1');
const baseUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

// ---- 1. Ingest over HTTP ----
const ingestStart = Date.parse('2026-03-02T00:00:00Z');
let sequence = 0;
function nextBatch() {
  const samples = [];
  for (let i = 0; i < BATCH; i += 1, sequence += 1) {
    const gpu = sequence % 8000;
    const step = Math.floor(sequence / 8000);
    samples.push({
      timestamp: new Date(ingestStart + step * 15_000).toISOString(), node: `node-${String(Math.floor(gpu / 8)).padStart(4, '0')}`,
      gpuUuid: `GPU-${gpu}`, gpuIndex: gpu % 8, gpuName: 'NVIDIA H100 80GB HBM3', migInstance: null,
      utilizationRatio: (gpu % 100) / 100, memoryUtilizationRatio: 0.3, memoryUsedBytes: 40 * 2 ** 30, memoryTotalBytes: 80 * 2 ** 30,
      powerDrawWatts: 300 + (gpu % 50) + 0.25, powerLimitWatts: 700, temperatureCelsius: 60 + (gpu % 25), smClockHertz: 1_980_000_000,
      eccErrorsTotal: 0, throttleReasons: gpu % 10 === 0 ? ['sw_power_cap'] : [],
    });
  }
  return JSON.stringify({ samples });
}
let posted = 0;
const latencies = [];
const deadline = Date.now() + INGEST_SECONDS * 1000;
const began = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (Date.now() < deadline) {
    const body = nextBatch();
    const start = performance.now();
    const response = await fetch(`${baseUrl}/api/v1/ingest/gpu`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_KEY}` }, body });
    const answer = await response.json();
    if (answer.accepted !== BATCH) throw new Error(`unexpected answer ${JSON.stringify(answer).slice(0, 300)}`);
    latencies.push(performance.now() - start);
    posted += BATCH;
  }
}));
const seconds = (performance.now() - began) / 1000;
const rowsPerSecond = posted / seconds;
const stored = await (await engines.clickhouse.query({ query: 'SELECT count() AS c FROM warden.gpu_samples', format: 'JSONEachRow' })).json();
console.log(`GPU ingest over HTTP: ${posted} samples in ${seconds.toFixed(1)} s = ${Math.round(rowsPerSecond)} rows/s sustained ` +
  `(batches of ${BATCH}, ${CONCURRENCY} in flight; request p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms; stored ${stored[0].c})`);
console.log(`  target 1,000 nodes × 8 GPUs / 15 s = ${TARGET_ROWS_PER_SECOND.toFixed(0)} rows/s → headroom ×${(rowsPerSecond / TARGET_ROWS_PER_SECOND).toFixed(1)}`);

// ---- 2. Fleet summary over 30 days ----
const at = new Date('2026-06-30T12:00:00Z');
const gpus = NODES * GPUS_PER_NODE;
const historyStart = new Date(at.getTime() - DAYS * 86400_000);
const historySteps = Math.floor((DAYS * 86400 - 3600) / SAMPLE_SECONDS);
const liveSteps = 3600 / 15;
const insert = (steps, stepSeconds, fromMs) => `
  INSERT INTO warden.gpu_samples
  SELECT fromUnixTimestamp64Milli(toInt64(${fromMs} + intDiv(number, ${gpus}) * ${stepSeconds * 1000}), 'UTC') AS timestamp,
         concat('node-', toString(intDiv(number % ${gpus}, ${GPUS_PER_NODE}))) AS node, concat('GPU-', toString(number % ${gpus})) AS gpu_uuid,
         toUInt16(number % ${GPUS_PER_NODE}) AS gpu_index, 'NVIDIA H100 80GB HBM3' AS gpu_name, '' AS mig_instance,
         toFloat32((number % 97) / 100) AS utilization_ratio, toFloat32(0.3) AS memory_utilization_ratio,
         toUInt64(42949672960) AS memory_used_bytes, toUInt64(85899345920) AS memory_total_bytes, 300 + (number % 50) AS power_draw_watts,
         700 AS power_limit_watts, toFloat32(55 + number % 35) AS temperature_celsius, toUInt64(1980000000) AS sm_clock_hertz, toUInt64(0) AS ecc_errors_total,
         if(number % 13 = 0, ['sw_power_cap'], []) AS throttle_reasons, toUInt16(3650) AS retention_days, now64(3) AS ingested_at
  FROM numbers(${steps * gpus})`;
let loadStart = performance.now();
await engines.clickhouse.command({ query: insert(historySteps, SAMPLE_SECONDS, historyStart.getTime()), clickhouse_settings: { max_insert_block_size: '1048576' } });
await engines.clickhouse.command({ query: insert(liveSteps, 15, at.getTime() - 3600_000 + 15_000) });
const loadSeconds = (performance.now() - loadStart) / 1000;
const loaded = historySteps * gpus + liveSteps * gpus;
console.log(`Fleet data: ${NODES} nodes × ${GPUS_PER_NODE} GPUs = ${gpus} GPUs, ${DAYS} days at 1 sample / ${SAMPLE_SECONDS} s plus the last hour at 1 / 15 s` +
  ` = ${loaded.toLocaleString('en')} rows (+ both rollups), loaded in ${loadSeconds.toFixed(1)} s`);
const fleetService = app.get(GpuFleetService);
const options = { at, staleAfterMinutes: 5, idleBelowRatio: 0.05, hotAboveCelsius: 85 };
const warm = await fleetService.fleet(options);
if (warm.gpus !== gpus || warm.reportingGpus !== gpus) throw new Error(`fleet saw ${warm.gpus} GPUs, ${warm.reportingGpus} reporting; expected ${gpus}`);
const runs = [];
for (let run = 0; run < FLEET_RUNS; run += 1) {
  const start = performance.now();
  await fleetService.fleet(options);
  runs.push(performance.now() - start);
}
console.log(`Fleet summary (gpuFleet: ${gpus} tiles + totals) over that data: p50 ${percentile(runs, 50).toFixed(0)} ms, p95 ${percentile(runs, 95).toFixed(0)} ms (${FLEET_RUNS} runs)`);
const idleRuns = [];
for (let run = 0; run < 5; run += 1) {
  const start = performance.now();
  await app.get(GpuIdleHotSpotsService).idleGpus(at, 24, 0.05);
  idleRuns.push(performance.now() - start);
}
const seriesRuns = [];
for (let run = 0; run < 5; run += 1) {
  const start = performance.now();
  await app.get(GpuSeriesService).nodeSeries(historyStart, at, 'node-1');
  seriesRuns.push(performance.now() - start);
}
console.log(`Idle finder (24 h, hourly rollup): p50 ${percentile(idleRuns, 50).toFixed(0)} ms; node series over ${DAYS} days (hourly rollup): p50 ${percentile(seriesRuns, 50).toFixed(0)} ms`);

await app.close();
await engines.close();
fs.rmSync(dataDir, { recursive: true, force: true });

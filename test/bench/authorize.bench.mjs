#!/usr/bin/env node
// Benchmark of the decision engine as callers see it (not part of npm test): POST /api/v1/authorize over loopback
// HTTP, and DecisionService.authorize called in the process (the decision itself: policies in memory, PII scan of
// the text, every quota reserved in one atomic step, reservation id signed, the decision queued for ClickHouse).
// Each counter driver runs in its own child process (one embedded ClickHouse per process): in-process counters,
// then Redis on loopback (REDIS_URL, default redis://127.0.0.1:6379; skipped when unreachable).
// Target: p99 < 2 ms for the decision itself. Needs the build: `npm run build -w server` (npm run bench does).
// Run: node test/bench/authorize.bench.mjs   (BENCH_ITERATIONS, BENCH_CONCURRENCY, BENCH_SECONDS to change the load)
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBuilt, requireFromServer, temporaryDirectory } from './support.mjs';

const TARGET_P99_MS = 2;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3000);
const WARMUP = 300;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const driverArgument = process.argv.find((arg) => arg.startsWith('--driver='))?.slice('--driver='.length);

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
const percentile = (sorted, fraction) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
const format = (milliseconds) => `${milliseconds.toFixed(3)} ms`;

async function measure(operation) {
  for (let run = 0; run < WARMUP; run += 1) await operation(run);
  const samples = new Float64Array(ITERATIONS);
  for (let run = 0; run < ITERATIONS; run += 1) {
    const started = process.hrtime.bigint();
    await operation(run);
    samples[run] = Number(process.hrtime.bigint() - started) / 1e6;
  }
  samples.sort();
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), max: samples[samples.length - 1] };
}

function line(label, result) {
  const verdict = result.p99 < TARGET_P99_MS ? 'under' : 'OVER';
  return `  ${label.padEnd(44)} p50 ${format(result.p50)}  p99 ${format(result.p99)}  max ${format(result.max)}  (${verdict} the ${TARGET_P99_MS} ms target)`;
}

/** One driver, in this process: a real HTTP app on embedded Postgres and ClickHouse, counters per `driver`. */
async function benchDriver(driver) {
  requireFromServer('reflect-metadata');
  const { loadConfig } = requireBuilt('engine/config/config.js');
  const { startEngines } = requireBuilt('engine/engines.js');
  const { postgresEntities } = requireBuilt('entities.js');
  const { createHttpApp } = requireBuilt('http-app.js');
  const { TenancyService } = requireBuilt('modules/tenancy/tenancy.service.js');
  const { ApiKeysService } = requireBuilt('modules/tenancy/api-keys.service.js');
  const { PoliciesService } = requireBuilt('modules/policies/policies.service.js');
  const { DecisionService } = requireBuilt('modules/policies/decision.service.js');
  const { Pool } = requireFromServer('undici');
  const autocannon = (await import('autocannon')).default;

  const dataDir = temporaryDirectory('authorize');
  const environment = { DATA_DIR: dataDir, WARDEN_ADMIN_PASSWORD: 'bench password 123', LOG_LEVEL: 'error', ...(driver === 'redis' ? { REDIS_URL: redisUrl } : {}) };
  const engines = await startEngines(loadConfig(environment), { log: () => undefined, error: (message) => console.error(message) }, postgresEntities);
  const app = await createHttpApp(engines, { logger: ['error'] });
  await app.init();
  await app.get(TenancyService).bootstrap(() => undefined);
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  try {
    const secret = `wk_bench_${randomUUID().replaceAll('-', '')}`;
    const key = await app.get(ApiKeysService, { strict: false }).register('bench authorize', secret, ['authorize']);
    const run = randomUUID().slice(0, 8);
    const team = `claims-${run}`;
    const policies = app.get(PoliciesService);
    await policies.put(
      {
        name: `org-${run}`,
        scope: { org: true },
        models: { allowAll: true, deny: ['*-preview'] },
        quotas: [{ name: 'org-rpm', metric: 'requests', limit: 1e12, period: 'minute' }],
        pii: { detectors: { email: 'mask', phone: 'mask', secret: 'block' } },
      },
      'bench',
    );
    await policies.put(
      {
        name: `claims-${run}`,
        scope: { team },
        models: { allow: ['gpt-4o*', 'llama-3.*'], deny: ['*-preview'] },
        quotas: [
          { name: 'monthly', metric: 'costUsd', limit: '1000000000', period: 'month', timeZone: 'Asia/Shanghai', enforcement: 'hard', models: ['gpt-4o*'] },
          { name: 'tokens-per-day', metric: 'tokens', limit: 1e15, period: 'day', timeZone: 'Europe/Berlin', enforcement: 'soft' },
        ],
        pii: { detectors: { email: 'mask', cn_resident_id: 'block' }, keepOnPremises: false },
      },
      'bench',
    );
    const text = 'Summarise the claim of the customer who wrote from claimant@example.com about policy 4411-22, filed last Tuesday at the branch.';
    const body = { team, user: 'bench-user', model: 'gpt-4o-mini', inputTokens: 1200, maxOutputTokens: 400, estimatedCostUsd: '0.0042', text };
    const decisions = app.get(DecisionService);

    const service = await measure(async () => {
      const answer = await decisions.authorize(body, { source: 'http', keyId: key.id });
      if (!answer.allowed) throw new Error(`refused: ${answer.message}`);
    });
    let reservations = [];
    const serviceWithSettle = await measure(async () => {
      const answer = await decisions.authorize(body, { source: 'http', keyId: key.id });
      await decisions.settle({ reservationId: answer.reservationId, inputTokens: 1100, outputTokens: 300, costUsd: '0.0031' });
    });

    const pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
    const payload = JSON.stringify(body);
    const http = await measure(async () => {
      const response = await pool.request({ path: '/api/v1/authorize', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: payload });
      const answer = await response.body.json();
      if (response.statusCode !== 200 || !answer.allowed) throw new Error(`HTTP ${response.statusCode}: ${JSON.stringify(answer)}`);
      reservations.push(answer.reservationId);
    });
    reservations = [];
    await pool.close();

    const loaded = await autocannon({
      url: `${baseUrl}/api/v1/authorize`,
      method: 'POST',
      connections: CONCURRENCY,
      duration: SECONDS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: payload,
    });
    await engines.writer.flush();
    return { service, serviceWithSettle, http, loaded };
  } finally {
    await app.close();
    await engines.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function redisReachable() {
  const { Redis } = requireFromServer('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const started = process.hrtime.bigint();
    for (let index = 0; index < 200; index += 1) await redis.ping();
    return Number(process.hrtime.bigint() - started) / 1e6 / 200;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

if (driverArgument) {
  const result = await benchDriver(driverArgument);
  process.stdout.write(`${JSON.stringify({ ...result, loaded: { requests: result.loaded.requests, latency: result.loaded.latency, non2xx: result.loaded.non2xx, errors: result.loaded.errors } })}\n`);
  process.exit(0);
}

console.log(`authorize benchmark: ${ITERATIONS} sequential calls per measure after ${WARMUP} warm-up; ${os.cpus().length} CPUs, load average ${loadAverage()} at start`);
const pingMs = await redisReachable();
const drivers = ['in-process', ...(pingMs === null ? [] : ['redis'])];
if (pingMs === null) console.log(`  Redis at ${redisUrl} unreachable: the Redis run is skipped`);
else console.log(`  Redis at ${redisUrl}: PING round trip ${format(pingMs)} (the floor under any Redis decision)`);
for (const driver of drivers) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--driver=${driver}`], { env: process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) {
    console.error(child.stdout, child.stderr);
    process.exit(child.status ?? 1);
  }
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1));
  console.log(`\n${driver} counters:`);
  console.log(line('DecisionService.authorize (the decision)', result.service));
  console.log(line('authorize + settle, in process', result.serviceWithSettle));
  console.log(line('POST /api/v1/authorize, one in flight', result.http));
  const { latency, requests } = result.loaded;
  console.log(
    `  POST /api/v1/authorize, ${CONCURRENCY} connections for ${SECONDS} s: ${Math.round(requests.average)} req/s, ` +
      `latency p50 ${latency.p50} ms, p99 ${latency.p99} ms, non-2xx ${result.loaded.non2xx}, errors ${result.loaded.errors}`,
  );
}
console.log(`\nload average at the end: ${loadAverage()}`);

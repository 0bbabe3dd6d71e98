#!/usr/bin/env node
// Benchmark of the quota counters and the decision engine (not part of npm test): latency of one reserve + settle
// (three quotas: a team's monthly cost, its requests per minute, its tokens per day) and of one full authorize
// (decide + reserve) + settle, one request at a time, in-process and against Redis on loopback (REDIS_URL, default
// redis://127.0.0.1:6379; skipped when unreachable). Target: p99 < 2 ms.
// Needs the build: `npm run build -w server` (npm run bench does). Run: node test/bench/quota-reserve.bench.mjs
import { randomUUID } from 'node:crypto';
import { requireBuilt, requireFromServer } from './support.mjs';

const { InProcessQuotaCounters, RedisQuotaCounters } = requireBuilt('engine/counters/index.js');
const { parsePolicyDocument } = requireBuilt('modules/policies/document/index.js');
const { authorize, usageFigures } = requireBuilt('modules/policies/rules/index.js');
const { Redis } = requireFromServer('ioredis');

const TARGET_P99_MS = 2;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5000);
const WARMUP = 500;
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const policies = [
  {
    version: 1,
    document: parsePolicyDocument({
      name: 'org',
      scope: { org: true },
      models: { allowAll: true, deny: ['*-preview'] },
      pii: { detectors: { email: 'mask', secret: 'block' } },
      quotas: [{ name: 'org-rpm', metric: 'requests', limit: 1e9, period: 'minute' }],
    }),
  },
  {
    version: 7,
    document: parsePolicyDocument({
      name: 'claims',
      scope: { team: 'claims' },
      models: { allow: ['gpt-4o*', 'llama-3.*', 'claude-*'], deny: ['*-preview'] },
      quotas: [
        { name: 'monthly', metric: 'costUsd', limit: '1000000000', period: 'month', timeZone: 'Asia/Shanghai', models: ['gpt-4o*'] },
        { name: 'tpd', metric: 'tokens', limit: 1e15, period: 'day', timeZone: 'Europe/Berlin' },
      ],
    }),
  },
  { version: 2, document: parsePolicyDocument({ name: 'other', scope: { team: 'legal' }, models: { allow: ['llama-*'] } }) },
];

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

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

const items = () => {
  const now = Date.now();
  return [
    { key: 'bench/monthly/costUsd', limit: 10n ** 20n, amount: 2_500_000n, enforcement: 'hard', unit: 'costUsd', expiresAt: now + 3_600_000 },
    { key: 'bench/rpm/requests', limit: 10n ** 12n, amount: 1n, enforcement: 'hard', unit: 'requests', expiresAt: now + 60_000 },
    { key: 'bench/tpd/tokens', limit: 10n ** 15n, amount: 1500n, enforcement: 'soft', unit: 'tokens', expiresAt: now + 86_400_000 },
  ];
};

async function reserveAndSettle(counters) {
  const outcome = await counters.reserve(items(), { holdMs: 600_000 });
  if (!outcome.admitted) throw new Error('refused');
  await counters.settle(outcome.reservationId, { costUsd: 2_000_000n, tokens: 1234n });
}

async function authorizeAndSettle(counters) {
  const decision = await authorize(
    policies,
    { team: 'claims', keyId: 'key-1', model: 'gpt-4o-mini', estimatedTokens: 1500n, estimatedCostNanoUsd: 2_500_000n, findings: [], at: Date.now() },
    counters,
  );
  if (!decision.allowed) throw new Error(decision.message);
  await counters.settle(decision.reservationId, usageFigures({ inputTokens: 1000, outputTokens: 234, costNanoUsd: 2_000_000n }));
}

function report(name, result) {
  const verdict = result.p99 < TARGET_P99_MS ? 'OK' : 'OVER TARGET';
  console.log(`  ${name}: p50 ${result.p50.toFixed(3)} ms, p99 ${result.p99.toFixed(3)} ms, max ${result.max.toFixed(3)} ms (target p99 < ${TARGET_P99_MS} ms) -> ${verdict}`);
}

console.log(`Quota reserve benchmark (node ${process.version}), ${ITERATIONS} sequential operations after ${WARMUP} warm-up`);
const inProcess = new InProcessQuotaCounters();
report('in-process reserve + settle (3 quotas)', await measure(() => reserveAndSettle(inProcess)));
report('in-process authorize + settle (3 policies, 3 quotas)', await measure(() => authorizeAndSettle(inProcess)));

const connection = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
let reachable = true;
try {
  await connection.connect();
  await connection.ping();
} catch (error) {
  reachable = false;
  console.log(`  Redis at ${redisUrl} unreachable (${error.message}): Redis cases SKIPPED`);
  connection.disconnect();
}
if (reachable) {
  const keyPrefix = `warden:bench:quota:${randomUUID()}:`;
  const redisCounters = new RedisQuotaCounters(connection, { keyPrefix });
  // The floor any Redis operation sits on here: one bare round trip on the same connection.
  report(`redis PING round trip (reference, ${redisUrl})`, await measure(() => connection.ping()));
  report(`redis reserve + settle (3 quotas, ${redisUrl})`, await measure(() => reserveAndSettle(redisCounters)));
  report(`redis authorize + settle (3 policies, 3 quotas, ${redisUrl})`, await measure(() => authorizeAndSettle(redisCounters)));
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await connection.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await connection.quit();
}

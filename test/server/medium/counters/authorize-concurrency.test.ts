import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessQuotaCounters, RedisQuotaCounters, type QuotaCounters } from '../../../../server/src/engine/counters';
import { parsePolicyDocument, type VersionedPolicy } from '../../../../server/src/modules/policies/document';
import { authorize, usageFigures, type Admission } from '../../../../server/src/modules/policies/rules';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('\n*** REDIS_URL is not set: authorize against Redis counters is SKIPPED ***\n');

const AT = Date.UTC(2026, 0, 31, 16, 30, 0);
const BUDGET_NANO_USD = 73n * 10_000_000n; // 0.73 USD: 73 requests of 0.01 USD
const policies: VersionedPolicy[] = [
  {
    version: 3,
    document: parsePolicyDocument({
      name: 'claims',
      scope: { team: 'claims' },
      models: { allow: ['gpt-4o*'] },
      quotas: [
        { name: 'monthly', metric: 'costUsd', limit: '0.73', period: 'month', timeZone: 'Asia/Shanghai' },
        { name: 'rpm', metric: 'requests', limit: 10_000, period: 'minute' },
      ],
    }),
  },
];

const connections: Redis[] = [];
const prefixes: string[] = [];
const drivers: Array<{ name: string; make: () => QuotaCounters[] }> = [
  { name: 'in-process', make: () => [new InProcessQuotaCounters({ now: () => AT })] },
];
if (redisUrl) {
  drivers.push({
    name: 'redis',
    make: () => {
      const keyPrefix = `warden:test:authorize:${randomUUID()}:`;
      prefixes.push(keyPrefix);
      return Array.from({ length: 4 }, () => {
        const connection = new Redis(redisUrl, { enableAutoPipelining: true });
        connections.push(connection);
        return new RedisQuotaCounters(connection, { now: () => AT, keyPrefix });
      });
    },
  });
}

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await connections[0].keys(`${prefix}*`);
    if (keys.length > 0) await connections[0].del(...keys);
  }
  await Promise.all(connections.map((connection) => connection.quit()));
});

describe.each(drivers)('authorize under concurrency: $name counters', ({ make }) => {
  it('500 concurrent decisions against a budget of N admit exactly N, and settled usage frees nothing it used', async () => {
    const clients = make();
    const decisions = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        authorize(policies, { team: 'claims', model: 'gpt-4o-mini', estimatedTokens: 500n, estimatedCostNanoUsd: 10_000_000n, at: AT }, clients[index % clients.length]),
      ),
    );
    const admitted = decisions.filter((decision): decision is Admission => decision.allowed);
    expect(admitted).toHaveLength(73);
    expect(decisions.find((decision) => !decision.allowed)).toMatchObject({ reason: 'insufficient_quota', policy: { name: 'claims', version: 3 } });
    // Every admitted request settles at a third of its estimate: the room freed is exactly the difference.
    await Promise.all(admitted.map((decision) => clients[0].settle(decision.reservationId, usageFigures({ inputTokens: 100, outputTokens: 50, costNanoUsd: 3_333_333n }))));
    const [monthly] = await clients[0].read([{ key: keyOf(admitted[0]), limit: BUDGET_NANO_USD }]);
    expect(monthly.used).toBe(73n * 3_333_333n);
    expect(monthly.held).toBe(0n);
    const more = await Promise.all(
      Array.from({ length: 200 }, () => authorize(policies, { team: 'claims', model: 'gpt-4o', estimatedTokens: 1n, estimatedCostNanoUsd: 10_000_000n, at: AT }, clients[0])),
    );
    // (0.73 - 73 × 0.003333333) / 0.01 = 48.666… → 48 more fit.
    expect(more.filter((decision) => decision.allowed)).toHaveLength(48);
  });
});

/** The monthly quota's counter key, as the decision computed it. */
function keyOf(admission: Admission): string {
  const resetsAt = admission.quotas.find((quota) => quota.quota === 'monthly')!.resetsAt;
  expect(resetsAt.toISOString()).toBe('2026-02-28T16:00:00.000Z');
  return `claims/monthly/team:claims/costUsd/month/Asia/Shanghai/${Date.UTC(2026, 0, 31, 16)}`;
}

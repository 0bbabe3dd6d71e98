import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  InProcessQuotaCounters,
  RedisQuotaCounters,
  type CounterItem,
  type QuotaCounterOptions,
  type QuotaCounters,
  type ReserveOutcome,
} from '../../../../server/src/engine/counters';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('\n*** REDIS_URL is not set: the Redis quota-counter tests are SKIPPED (only the in-process driver runs) ***\n');

const MINUTE = 60_000;
const HOLD_MS = 30_000;
const SETTLE_WINDOW_MS = 10 * MINUTE;
const START = Date.UTC(2026, 0, 31, 16, 29, 0);

/** A frozen clock the test moves by hand. */
const clock = { now: START };

interface DriverUnderTest {
  name: string;
  /** One or more drivers sharing one store (several Redis connections: atomic across clients, not only in one). */
  make(count: number): QuotaCounters[];
}

const redisConnections: Redis[] = [];
const keyPrefixes: string[] = [];

const drivers: DriverUnderTest[] = [
  {
    name: 'in-process',
    make(count) {
      const shared = new InProcessQuotaCounters({ now: () => clock.now, settleWindowMs: SETTLE_WINDOW_MS });
      return Array.from({ length: count }, () => shared);
    },
  },
];
if (redisUrl) {
  drivers.push({
    name: 'redis',
    make(count) {
      const keyPrefix = `warden:test:quota:${randomUUID()}:`;
      keyPrefixes.push(keyPrefix);
      const options: QuotaCounterOptions & { keyPrefix: string } = { now: () => clock.now, settleWindowMs: SETTLE_WINDOW_MS, keyPrefix };
      return Array.from({ length: count }, () => {
        const connection = new Redis(redisUrl, { enableAutoPipelining: true });
        redisConnections.push(connection);
        return new RedisQuotaCounters(connection, options);
      });
    },
  });
}

afterAll(async () => {
  if (redisConnections.length === 0) return;
  const cleaner = redisConnections[0];
  for (const prefix of keyPrefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await cleaner.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  await Promise.all(redisConnections.map((connection) => connection.quit()));
});

function item(key: string, limit: bigint, amount: bigint, overrides: Partial<CounterItem> = {}): CounterItem {
  return { key, limit, amount, enforcement: 'hard', unit: 'requests', expiresAt: START + MINUTE, ...overrides };
}

describe.each(drivers)('quota counters: $name driver', (driver) => {
  let counters: QuotaCounters;

  beforeEach(() => {
    clock.now = START;
    [counters] = driver.make(1);
  });

  it('admits exactly N of 500 concurrent reservations against a budget of N, across several clients', async () => {
    const budget = 137n;
    const clients = driver.make(4);
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, index) => clients[index % clients.length].reserve([item('burst', budget, 1n)], { holdMs: HOLD_MS })),
    );
    expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(Number(budget));
    const [state] = await clients[0].read([{ key: 'burst', limit: budget }]);
    expect(state).toEqual({ key: 'burst', limit: budget, used: 0n, held: budget, remaining: 0n });
  });

  it('checks every quota and holds all or nothing', async () => {
    const admitted = await counters.reserve([item('team', 10n, 4n), item('key', 5n, 4n)], { holdMs: HOLD_MS });
    expect(admitted.admitted).toBe(true);
    const refused = await counters.reserve([item('team', 10n, 4n), item('key', 5n, 4n)], { holdMs: HOLD_MS });
    expect(refused).toMatchObject({ admitted: false, refusedIndex: 1 });
    expect(refused.readings.map((reading) => reading.remaining)).toEqual([6n, 1n]);
    // The refused reservation held nothing on the quota that had room.
    expect((await counters.read([{ key: 'team', limit: 10n }]))[0].held).toBe(4n);
  });

  it('settles with the actual usage, counted even when it exceeds the hold (and the limit)', async () => {
    const reserved = await counters.reserve([item('tokens', 1000n, 100n, { unit: 'tokens' }), item('requests', 10n, 1n)], { holdMs: HOLD_MS });
    if (!reserved.admitted) throw new Error('expected admission');
    const settled = await counters.settle(reserved.reservationId, { tokens: 1250n });
    expect(settled.status).toBe('settled');
    expect(settled.readings).toEqual([
      { key: 'tokens', limit: 1000n, used: 1250n, held: 0n, remaining: -250n },
      // No actual figure for "requests": the held amount is what counts.
      { key: 'requests', limit: 10n, used: 1n, held: 0n, remaining: 9n },
    ]);
    const next = await counters.reserve([item('tokens', 1000n, 0n, { unit: 'tokens' })], { holdMs: HOLD_MS });
    expect(next.admitted).toBe(false);
  });

  it('settling twice counts once', async () => {
    const reserved = await counters.reserve([item('twice', 100n, 10n, { unit: 'tokens' })], { holdMs: HOLD_MS });
    if (!reserved.admitted) throw new Error('expected admission');
    expect((await counters.settle(reserved.reservationId, { tokens: 7n })).status).toBe('settled');
    expect((await counters.settle(reserved.reservationId, { tokens: 7n })).status).toBe('already_settled');
    expect(await counters.release(reserved.reservationId)).toBe('already_settled');
    expect((await counters.read([{ key: 'twice', limit: 100n }]))[0]).toMatchObject({ used: 7n, held: 0n });
  });

  it("frees a killed caller's room when its hold lapses, and still counts its late settle", async () => {
    const killed = await counters.reserve([item('crash', 3n, 3n)], { holdMs: HOLD_MS });
    if (!killed.admitted) throw new Error('expected admission');
    expect((await counters.reserve([item('crash', 3n, 1n)], { holdMs: HOLD_MS })).admitted).toBe(false);
    clock.now += HOLD_MS - 1;
    expect((await counters.reserve([item('crash', 3n, 1n)], { holdMs: HOLD_MS })).admitted).toBe(false);
    clock.now += 1;
    const after = await counters.reserve([item('crash', 3n, 2n)], { holdMs: HOLD_MS });
    expect(after.admitted).toBe(true);
    // The caller comes back after all: its usage counts, the answer says the hold had lapsed.
    const late = await counters.settle(killed.reservationId, { requests: 1n });
    expect(late.status).toBe('expired');
    expect((await counters.read([{ key: 'crash', limit: 3n }]))[0]).toMatchObject({ used: 1n, held: 2n, remaining: 0n });
  });

  it('release drops the hold without counting', async () => {
    const reserved = await counters.reserve([item('release', 5n, 5n)], { holdMs: HOLD_MS });
    if (!reserved.admitted) throw new Error('expected admission');
    expect(await counters.release(reserved.reservationId)).toBe('released');
    expect((await counters.read([{ key: 'release', limit: 5n }]))[0]).toMatchObject({ used: 0n, held: 0n, remaining: 5n });
    expect(await counters.release(randomUUID())).toBe('unknown');
  });

  it('forgets a reservation its only settler settled or released: counted once, no record left behind', async () => {
    const settledOnce = await counters.reserve([item('forget', 100n, 10n, { unit: 'tokens' })], { holdMs: HOLD_MS });
    if (!settledOnce.admitted) throw new Error('expected admission');
    const settled = await counters.settle(settledOnce.reservationId, { tokens: 7n }, { forget: true });
    expect(settled).toEqual({ status: 'settled', readings: [{ key: 'forget', limit: 100n, used: 7n, held: 0n, remaining: 93n }] });
    // Gone at once, not a settle window later: asked again, the counters no longer know it (and count nothing).
    expect(await counters.settle(settledOnce.reservationId, { tokens: 7n })).toEqual({ status: 'unknown', readings: [] });
    expect(await counters.release(settledOnce.reservationId)).toBe('unknown');

    const releasedOnce = await counters.reserve([item('forget', 100n, 50n, { unit: 'tokens' })], { holdMs: HOLD_MS });
    if (!releasedOnce.admitted) throw new Error('expected admission');
    expect((await counters.read([{ key: 'forget', limit: 100n }]))[0]).toMatchObject({ used: 7n, held: 50n });
    expect(await counters.release(releasedOnce.reservationId, { forget: true })).toBe('released');
    expect(await counters.release(releasedOnce.reservationId)).toBe('unknown');
    expect((await counters.read([{ key: 'forget', limit: 100n }]))[0]).toMatchObject({ used: 7n, held: 0n, remaining: 93n });
  });

  it('counts the usage of an unknown reservation on the fallback counters', async () => {
    const fallback = [item('fallback', 100n, 1n, { unit: 'tokens' })];
    const settled = await counters.settle(randomUUID(), { tokens: 42n }, { fallbackItems: fallback });
    expect(settled.status).toBe('unknown');
    expect(settled.readings).toEqual([{ key: 'fallback', limit: 100n, used: 42n, held: 0n, remaining: 58n }]);
    expect((await counters.settle(randomUUID(), { tokens: 42n })).readings).toEqual([]);
  });

  it('a reservation older than the settle window is unknown', async () => {
    const reserved = await counters.reserve([item('window', 5n, 1n)], { holdMs: HOLD_MS });
    if (!reserved.admitted) throw new Error('expected admission');
    clock.now += HOLD_MS + SETTLE_WINDOW_MS;
    expect((await counters.settle(reserved.reservationId, { requests: 1n })).status).toBe('unknown');
  });

  it('never refuses a soft quota and reports it over its limit', async () => {
    await counters.reserve([item('soft', 2n, 2n, { enforcement: 'soft' })], { holdMs: HOLD_MS });
    const over = await counters.reserve([item('hard-ok', 10n, 1n), item('soft', 2n, 1n, { enforcement: 'soft' })], { holdMs: HOLD_MS });
    expect(over).toMatchObject({ admitted: true, softOverLimit: [1] });
    expect(over.readings[1].remaining).toBe(-1n);
  });

  it('needs some room even for an amount of 0 (an unknown cost)', async () => {
    const spent = await counters.reserve([item('zero', 5n, 5n)], { holdMs: HOLD_MS });
    expect(spent.admitted).toBe(true);
    expect((await counters.reserve([item('zero', 5n, 0n)], { holdMs: HOLD_MS })).admitted).toBe(false);
    expect((await counters.reserve([item('zero-room', 5n, 0n)], { holdMs: HOLD_MS })).admitted).toBe(true);
  });

  it('is exact beyond 2^53: amounts in nano-USD of a very large budget', async () => {
    const limit = 10n ** 24n - 1n;
    const almostAll = limit - 3n;
    expect((await counters.reserve([item('big', limit, almostAll)], { holdMs: HOLD_MS })).admitted).toBe(true);
    expect((await counters.reserve([item('big', limit, 4n)], { holdMs: HOLD_MS })).admitted).toBe(false);
    const last = await counters.reserve([item('big', limit, 3n)], { holdMs: HOLD_MS });
    expect(last.admitted).toBe(true);
    if (!last.admitted) return;
    const settled = await counters.settle(last.reservationId, { requests: 2n ** 70n });
    expect(settled.readings[0].used).toBe(2n ** 70n);
    expect(settled.readings[0].held).toBe(almostAll);
  });

  it('rolls over atomically at a period boundary during a burst: each period admits its own budget', async () => {
    const budget = 50n;
    const periodKey = (now: number) => `rpm:${now - (now % MINUTE)}`;
    clock.now = START + MINUTE - 5; // five milliseconds before the minute ends
    const calls: Array<Promise<ReserveOutcome>> = [];
    for (let call = 0; call < 200; call += 1) {
      if (call === 100) clock.now = START + MINUTE; // the boundary passes mid-burst
      const key = periodKey(clock.now);
      const periodEnd = clock.now - (clock.now % MINUTE) + MINUTE;
      calls.push(counters.reserve([item(key, budget, 1n, { expiresAt: periodEnd })], { holdMs: HOLD_MS }));
    }
    const outcomes = await Promise.all(calls);
    const admitted = outcomes.map((outcome) => outcome.admitted);
    expect(admitted.slice(0, 100).filter(Boolean)).toHaveLength(50);
    expect(admitted.slice(100).filter(Boolean)).toHaveLength(50);
    const [oldPeriod, newPeriod] = await counters.read([
      { key: periodKey(START), limit: budget },
      { key: periodKey(START + MINUTE), limit: budget },
    ]);
    expect([oldPeriod.held, newPeriod.held]).toEqual([50n, 50n]);
    const first = outcomes[0];
    if (!first.admitted) throw new Error('expected admission');
    expect((await counters.settle(first.reservationId, { requests: 1n })).readings[0]).toMatchObject({ used: 1n, held: 49n });
    // The old period's counter is dropped once its period and the settle window are over.
    clock.now = START + MINUTE + HOLD_MS + SETTLE_WINDOW_MS + 1;
    expect((await counters.read([{ key: periodKey(START), limit: budget }]))[0]).toMatchObject({ used: 0n, held: 0n });
  });

  it('refuses amounts it cannot count: negative, duplicate keys, no hold time', async () => {
    await expect(counters.reserve([item('negative', 5n, -1n)], { holdMs: HOLD_MS })).rejects.toThrow(RangeError);
    await expect(counters.reserve([item('twice', 5n, 1n), item('twice', 5n, 1n)], { holdMs: HOLD_MS })).rejects.toThrow(/twice/);
    await expect(counters.reserve([item('hold', 5n, 1n)], { holdMs: 0 })).rejects.toThrow(/holdMs/);
  });
});

describe.skipIf(!redisUrl)('quota counters: redis key expiry', () => {
  it('sets every key to expire after its period and the settle window, measured on the caller clock', async () => {
    const keyPrefix = `warden:test:quota:${randomUUID()}:`;
    keyPrefixes.push(keyPrefix);
    const connection = new Redis(redisUrl!);
    redisConnections.push(connection);
    clock.now = START;
    const counters = new RedisQuotaCounters(connection, { now: () => clock.now, settleWindowMs: SETTLE_WINDOW_MS, keyPrefix });
    const periodEnd = START + MINUTE;
    const reserved = await counters.reserve([item('ttl', 10n, 1n, { expiresAt: periodEnd })], { holdMs: HOLD_MS });
    if (!reserved.admitted) throw new Error('expected admission');
    const expected = periodEnd + SETTLE_WINDOW_MS - START;
    for (const key of [`${keyPrefix}c:ttl`, `${keyPrefix}c:ttl:h`]) {
      const ttl = await connection.pttl(key);
      expect(ttl).toBeGreaterThan(expected - 5_000);
      expect(ttl).toBeLessThanOrEqual(expected);
    }
    const recordTtl = await connection.pttl(`${keyPrefix}r:${reserved.reservationId}`);
    expect(recordTtl).toBeGreaterThan(HOLD_MS + SETTLE_WINDOW_MS - 5_000);
    expect(recordTtl).toBeLessThanOrEqual(HOLD_MS + SETTLE_WINDOW_MS);
    // Settled by a caller that forgets it (the gateway): the record's key is deleted, not left to its TTL.
    await counters.settle(reserved.reservationId, { requests: 1n }, { forget: true });
    expect(await connection.exists(`${keyPrefix}r:${reserved.reservationId}`)).toBe(0);
  });
});

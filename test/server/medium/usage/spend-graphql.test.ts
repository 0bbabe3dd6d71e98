import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

type Dimension = 'TEAM' | 'MODEL' | 'PROVIDER' | 'NODE' | 'USER' | 'DAY' | 'HOUR';

interface SentEvent {
  id: string;
  timestamp: string;
  team: string;
  user: string;
  provider: string;
  node: string;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  latencyMs: number;
  status: 'ok' | 'error';
  costUsd?: string;
}

const teams = ['search', 'legal', 'support'];
const users = ['ana@example.com', 'ben@example.com', 'cho@example.com'];
const hours = ['2026-03-02T09', '2026-03-02T10', '2026-03-02T11', '2026-03-03T14'];

function usdOfNano(nano: bigint): string {
  return `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** 48 events over four hours on two days: catalog-priced, sender-priced and unpriced, several teams, users and nodes. */
const events: SentEvent[] = Array.from({ length: 48 }, (_, index) => {
  const kind = index % 4;
  const base = {
    id: `spend-${index}`,
    timestamp: `${hours[Math.floor(index / 12)]}:${String((index * 7) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}Z`,
    team: teams[index % 3],
    user: users[Math.floor(index / 3) % 3],
    inputTokens: 100 + index * 37,
    cachedInputTokens: (index * 13) % 50,
    outputTokens: 20 + index * 11,
    latencyMs: 100 + index * 23,
    status: index % 5 === 0 ? ('error' as const) : ('ok' as const),
  };
  if (kind <= 1) return { ...base, provider: 'openai', node: '', model: 'gpt-4o' };
  if (kind === 2) return { ...base, provider: 'vllm', node: index % 3 === 0 ? 'gpu-01' : 'gpu-02', model: 'llama-3-70b', costUsd: usdOfNano(1_000_003n * BigInt(index + 1)) };
  return { ...base, provider: 'vllm', node: 'gpu-02', model: 'in-house-mystery-model' };
});

/** The cost the test expects, computed here: gpt-4o from the default catalog ($2.50 / $1.25 cached / $10 per million). */
function expectedCostNanoUsd(event: SentEvent): bigint | null {
  if (event.costUsd !== undefined) {
    const [whole, fraction] = event.costUsd.split('.');
    return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  }
  if (event.model === 'gpt-4o') {
    return BigInt(event.inputTokens - event.cachedInputTokens) * 2500n + BigInt(event.cachedInputTokens) * 1250n + BigInt(event.outputTokens) * 10_000n;
  }
  return null;
}

const dimensionValue: Record<Dimension, (event: SentEvent) => string> = {
  TEAM: (event) => event.team,
  MODEL: (event) => event.model,
  PROVIDER: (event) => event.provider,
  NODE: (event) => event.node,
  USER: (event) => event.user,
  DAY: (event) => `${event.timestamp.slice(0, 10)}T00:00:00.000Z`,
  HOUR: (event) => `${event.timestamp.slice(0, 13)}:00:00.000Z`,
};

interface Totals {
  key: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costNanoUsd: string;
  unpricedRequests: number;
}

function expectedSpend(groupBy: Dimension[], selected: SentEvent[]): Totals[] {
  const groups = new Map<string, Totals & { cost: bigint }>();
  for (const event of selected) {
    const key = groupBy.map((dimension) => dimensionValue[dimension](event)).join('|');
    const group = groups.get(key) ?? { key, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costNanoUsd: '', unpricedRequests: 0, cost: 0n };
    const cost = expectedCostNanoUsd(event);
    group.requests += 1;
    group.errors += event.status === 'error' ? 1 : 0;
    group.inputTokens += event.inputTokens;
    group.outputTokens += event.outputTokens;
    group.cachedInputTokens += event.cachedInputTokens;
    group.cost += cost ?? 0n;
    group.unpricedRequests += cost === null ? 1 : 0;
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ cost, ...group }) => ({ ...group, costNanoUsd: cost.toString() }))
    .sort((first, second) => first.key.localeCompare(second.key));
}

interface SpendRow {
  team: string | null;
  model: string | null;
  provider: string | null;
  node: string | null;
  user: string | null;
  day: string | null;
  hour: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costNanoUsd: string;
  costUsd: number;
  unpricedRequests: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

const rowKeyField: Record<Dimension, keyof SpendRow> = { TEAM: 'team', MODEL: 'model', PROVIDER: 'provider', NODE: 'node', USER: 'user', DAY: 'day', HOUR: 'hour' };

// Whole hours: served from the hourly rollup. Off the hour by a millisecond: served from the request rows.
const rollupRange = { from: '2026-03-02T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' };
const rawRange = { from: '2026-03-01T23:59:59.999Z', to: '2026-03-04T00:00:00.001Z' };

describe('spend over GraphQL on real engines', () => {
  let testApp: TestApp;

  async function spend(range: { from: string; to: string }, groupBy: Dimension[], filter?: Record<string, string>): Promise<SpendRow[]> {
    const answer = await testApp.graphql<{ spend: SpendRow[] }>(
      `query Spend($from: DateTime!, $to: DateTime!, $groupBy: [SpendDimension!]!, $filter: SpendFilter) {
        spend(from: $from, to: $to, groupBy: $groupBy, filter: $filter) {
          team model provider node user day hour requests errors inputTokens outputTokens cachedInputTokens
          costNanoUsd costUsd unpricedRequests latencyP50Ms latencyP95Ms
        }
      }`,
      { ...range, groupBy, filter },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.spend;
  }

  function totalsOf(groupBy: Dimension[], rows: SpendRow[]): Totals[] {
    return rows
      .map((row) => ({
        key: groupBy.map((dimension) => String(row[rowKeyField[dimension]])).join('|'),
        requests: row.requests,
        errors: row.errors,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        cachedInputTokens: row.cachedInputTokens,
        costNanoUsd: row.costNanoUsd,
        unpricedRequests: row.unpricedRequests,
      }))
      .sort((first, second) => first.key.localeCompare(second.key));
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    const answer = await postEvents(testApp, events);
    expect(answer.body).toMatchObject({ accepted: events.length, rejected: 0, duplicates: 0 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('totals everything to the nano-dollar, on the rollup and on the raw rows', async () => {
    const expected = expectedSpend([], events);
    expect(expected[0].unpricedRequests).toBe(12);
    for (const range of [rollupRange, rawRange]) {
      const rows = await spend(range, []);
      expect(totalsOf([], rows)).toEqual(expected);
      expect(rows[0].costUsd).toBeCloseTo(Number(expected[0].costNanoUsd) / 1e9, 9);
    }
  });

  for (const dimension of ['TEAM', 'MODEL', 'PROVIDER', 'NODE', 'USER', 'DAY', 'HOUR'] as const) {
    it(`groups by ${dimension} with the same answer from both paths and from the events sent`, async () => {
      const expected = expectedSpend([dimension], events);
      expect(expected.length).toBeGreaterThan(1);
      const fromRollup = await spend(rollupRange, [dimension]);
      const fromRawRows = await spend(rawRange, [dimension]);
      expect(totalsOf([dimension], fromRollup)).toEqual(expected);
      expect(totalsOf([dimension], fromRawRows)).toEqual(expected);
    });
  }

  it('groups by several dimensions at once', async () => {
    const groupBy: Dimension[] = ['DAY', 'TEAM', 'MODEL'];
    const expected = expectedSpend(groupBy, events);
    expect(totalsOf(groupBy, await spend(rollupRange, groupBy))).toEqual(expected);
    expect(totalsOf(groupBy, await spend(rawRange, groupBy))).toEqual(expected);
  });

  const filters: Array<[string, Record<string, string>, (event: SentEvent) => boolean]> = [
    ['team', { team: 'legal' }, (event) => event.team === 'legal'],
    ['model', { model: 'gpt-4o' }, (event) => event.model === 'gpt-4o'],
    ['provider', { provider: 'vllm' }, (event) => event.provider === 'vllm'],
    ['node', { node: 'gpu-02' }, (event) => event.node === 'gpu-02'],
    ['user', { user: 'ben@example.com' }, (event) => event.user === 'ben@example.com'],
    ['team and model together', { team: 'search', model: 'llama-3-70b' }, (event) => event.team === 'search' && event.model === 'llama-3-70b'],
  ];
  for (const [name, filter, matches] of filters) {
    it(`filters by ${name}`, async () => {
      const selected = events.filter(matches);
      expect(selected.length).toBeGreaterThan(0);
      expect(selected.length).toBeLessThan(events.length);
      for (const range of [rollupRange, rawRange]) {
        expect(totalsOf(['HOUR'], await spend(range, ['HOUR'], filter))).toEqual(expectedSpend(['HOUR'], selected));
      }
    });
  }

  it('answers a partial range the same from the rollup and from the raw rows', async () => {
    const inRange = events.filter((event) => event.timestamp >= '2026-03-02T10' && event.timestamp < '2026-03-02T12');
    const expected = expectedSpend(['TEAM'], inRange);
    const fromRollup = await spend({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T12:00:00.000Z' }, ['TEAM']);
    const fromRawRows = await spend({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T11:59:59.999Z' }, ['TEAM']);
    expect(totalsOf(['TEAM'], fromRollup)).toEqual(expected);
    expect(totalsOf(['TEAM'], fromRawRows)).toEqual(expected);
    // A range that cuts an hour in half is exact, not rounded out to the whole hour.
    const halfHour = events.filter((event) => event.timestamp >= '2026-03-02T10:00' && event.timestamp < '2026-03-02T10:30');
    expect(totalsOf([], await spend({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T10:30:00.000Z' }, []))).toEqual(expectedSpend([], halfHour));
  });

  it('gives latency p50 and p95 within the latencies sent, on both paths', async () => {
    for (const range of [rollupRange, rawRange]) {
      const rows = await spend(range, ['MODEL']);
      for (const row of rows) {
        const latencies = events.filter((event) => event.model === row.model).map((event) => event.latencyMs);
        expect(row.latencyP50Ms, `p50 of ${row.model}`).not.toBeNull();
        expect(row.latencyP95Ms, `p95 of ${row.model}`).not.toBeNull();
        expect(row.latencyP50Ms!).toBeGreaterThanOrEqual(Math.min(...latencies));
        expect(row.latencyP95Ms!).toBeLessThanOrEqual(Math.max(...latencies));
        expect(row.latencyP50Ms!).toBeLessThan(row.latencyP95Ms!);
      }
    }
  });

  it('answers an empty range with one zero row, not an error and not a made-up latency', async () => {
    const rows = await spend({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z' }, []);
    expect(rows).toEqual([expect.objectContaining({ requests: 0, costNanoUsd: '0', unpricedRequests: 0, latencyP50Ms: null, latencyP95Ms: null })]);
    expect(await spend({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z' }, ['TEAM'])).toEqual([]);
  });

  it('refuses a range whose end is not after its start, or longer than 400 days', async () => {
    const backwards = await testApp.graphql(`{ spend(from: "2026-03-03T00:00:00Z", to: "2026-03-02T00:00:00Z", groupBy: []) { requests } }`);
    expect(backwards.errors?.[0]).toMatchObject({ message: '"from" must be before "to"', extensions: { code: 'BAD_USER_INPUT' } });
    const tooLong = await testApp.graphql(`{ spend(from: "2024-01-01T00:00:00Z", to: "2026-03-02T00:00:00Z", groupBy: []) { requests } }`);
    expect(tooLong.errors?.[0]).toMatchObject({ message: 'The range may span at most 400 days', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

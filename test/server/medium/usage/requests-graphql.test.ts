import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

interface SentEvent {
  id: string;
  timestamp: string;
  team: string;
  user: string;
  provider: string;
  node: string;
  model: string;
  latencyMs: number;
  status: 'ok' | 'error';
  errorType?: string;
  costUsd?: string;
  inputTokens: number;
  outputTokens: number;
  prompt?: string;
  metadata?: Record<string, string>;
}

const teams = ['search', 'legal', 'support'];
const users = ['ana@example.com', 'ben@example.com', 'cho@example.com'];

/** Twelve events with distinct times, costs and latencies, so every sort has one right answer. */
const events: SentEvent[] = Array.from({ length: 12 }, (_, index) => {
  const kind = index % 4;
  const costNano = ((index * 62) % 97 + 1) * 1000;
  return {
    id: `req-${String(index).padStart(2, '0')}`,
    timestamp: `2026-03-02T${String(8 + Math.floor(index / 4)).padStart(2, '0')}:${String((index % 4) * 15).padStart(2, '0')}:00Z`,
    team: teams[index % 3],
    user: users[(index + 1) % 3],
    provider: kind === 3 || kind === 2 ? 'vllm' : 'openai',
    node: kind === 3 ? 'gpu-02' : kind === 2 ? 'gpu-01' : '',
    model: kind === 3 ? 'in-house-mystery-model' : kind === 2 ? 'llama-3-70b' : 'gpt-4o',
    latencyMs: ((index * 53) % 101) * 10 + 5,
    status: index === 1 || index === 6 ? 'error' : 'ok',
    errorType: index === 1 ? 'timeout' : index === 6 ? 'rate_limited' : undefined,
    costUsd: kind === 3 ? undefined : `0.${String(costNano).padStart(9, '0')}`,
    inputTokens: 10 + index,
    outputTokens: 5 + index,
    prompt: index === 0 ? 'Summarise the quarterly report' : undefined,
    metadata: index === 0 ? { region: 'eu', app: 'search-ui' } : undefined,
  };
});

const costOf = (event: SentEvent) => (event.costUsd === undefined ? null : Number(event.costUsd));
const idsOf = (selected: Array<{ id: string }>) => selected.map((event) => event.id);

describe('allRequests, _allRequestsMeta and Request over GraphQL on real engines', () => {
  let testApp: TestApp;

  async function list(args: Record<string, unknown>): Promise<{ ids: string[]; count: number }> {
    const answer = await testApp.graphql<{ allRequests: Array<{ id: string }>; _allRequestsMeta: { count: number } }>(
      `query List($page: Int, $perPage: Int, $sortField: String, $sortOrder: String, $filter: RequestFilter) {
        allRequests(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { id }
        _allRequestsMeta(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { count }
      }`,
      { perPage: 100, ...args },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return { ids: idsOf(answer.data!.allRequests), count: answer.data!._allRequestsMeta.count };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    const answer = await postEvents(testApp, events);
    expect(answer.body).toMatchObject({ accepted: events.length, rejected: 0 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('lists newest first by default and counts everything', async () => {
    const { ids, count } = await list({});
    expect(ids).toEqual(idsOf([...events].sort((first, second) => second.timestamp.localeCompare(first.timestamp))));
    expect(count).toBe(events.length);
  });

  it('pages without gaps or overlaps (page is 0-based)', async () => {
    const pages: string[][] = [];
    for (const page of [0, 1, 2, 3]) pages.push((await list({ page, perPage: 5, sortField: 'timestamp', sortOrder: 'ASC' })).ids);
    expect(pages.map((ids) => ids.length)).toEqual([5, 5, 2, 0]);
    expect(pages.flat()).toEqual(idsOf([...events].sort((first, second) => first.timestamp.localeCompare(second.timestamp))));
    expect((await list({ page: 1, perPage: 5 })).count).toBe(events.length);
  });

  it('sorts by timestamp, latencyMs and costUsd in both directions', async () => {
    const byTimestamp = [...events].sort((first, second) => first.timestamp.localeCompare(second.timestamp));
    expect((await list({ sortField: 'timestamp', sortOrder: 'ASC' })).ids).toEqual(idsOf(byTimestamp));
    expect((await list({ sortField: 'timestamp', sortOrder: 'DESC' })).ids).toEqual(idsOf(byTimestamp).reverse());

    const byLatency = [...events].sort((first, second) => first.latencyMs - second.latencyMs);
    expect((await list({ sortField: 'latencyMs', sortOrder: 'ASC' })).ids).toEqual(idsOf(byLatency));
    expect((await list({ sortField: 'latencyMs', sortOrder: 'desc' })).ids).toEqual(idsOf(byLatency).reverse());

    const priced = events.filter((event) => event.costUsd !== undefined).sort((first, second) => costOf(first)! - costOf(second)!);
    expect((await list({ sortField: 'costUsd', sortOrder: 'ASC', filter: { priceKnown: true } })).ids).toEqual(idsOf(priced));
    expect((await list({ sortField: 'costUsd', sortOrder: 'DESC', filter: { priceKnown: true } })).ids).toEqual(idsOf(priced).reverse());
  });

  const filters: Array<[string, Record<string, unknown>, (event: SentEvent) => boolean]> = [
    ['team', { team: 'legal' }, (event) => event.team === 'legal'],
    ['model', { model: 'llama-3-70b' }, (event) => event.model === 'llama-3-70b'],
    ['provider', { provider: 'openai' }, (event) => event.provider === 'openai'],
    ['node', { node: 'gpu-02' }, (event) => event.node === 'gpu-02'],
    ['user', { user: 'cho@example.com' }, (event) => event.user === 'cho@example.com'],
    ['status', { status: 'error' }, (event) => event.status === 'error'],
    ['priceKnown false', { priceKnown: false }, (event) => event.costUsd === undefined],
    ['priceKnown true', { priceKnown: true }, (event) => event.costUsd !== undefined],
    ['ids', { ids: ['req-03', 'req-07', 'no-such-id'] }, (event) => event.id === 'req-03' || event.id === 'req-07'],
    ['inclusive timestamp bounds', { timestamp_gte: '2026-03-02T08:30:00Z', timestamp_lte: '2026-03-02T09:15:00Z' },
      (event) => event.timestamp >= '2026-03-02T08:30:00Z' && event.timestamp <= '2026-03-02T09:15:00Z'],
    ['q on a user, case-insensitive', { q: 'ANA@' }, (event) => event.user === 'ana@example.com'],
    ['q on an error type', { q: 'timeout' }, (event) => event.errorType === 'timeout'],
    ['q on an exact id', { q: 'req-05' }, (event) => event.id === 'req-05'],
    ['several filters together', { team: 'search', provider: 'openai', status: 'ok' },
      (event) => event.team === 'search' && event.provider === 'openai' && event.status === 'ok'],
  ];
  for (const [name, filter, matches] of filters) {
    it(`filters by ${name}, in the list and in the count`, async () => {
      const expected = events.filter(matches).sort((first, second) => first.timestamp.localeCompare(second.timestamp));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(events.length);
      const { ids, count } = await list({ sortField: 'timestamp', sortOrder: 'ASC', filter });
      expect(ids).toEqual(idsOf(expected));
      expect(count).toBe(expected.length);
    });
  }

  it('refuses a sort field it cannot sort by, with a clear GraphQL error', async () => {
    const answer = await testApp.graphql('{ allRequests(sortField: "prompt") { id } }');
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].message).toMatch(/^sortField must be one of: timestamp, costUsd, .*latencyMs/);
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const meta = await testApp.graphql('{ _allRequestsMeta(sortField: "prompt") { count } }');
    expect(meta.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const order = await testApp.graphql('{ allRequests(sortOrder: "RANDOM") { id } }');
    expect(order.errors?.[0].message).toBe('sortOrder must be ASC or DESC');
  });

  it('reads one request with everything sent, and its cost', async () => {
    const answer = await testApp.graphql<{ Request: Record<string, unknown> }>(
      `{ Request(id: "req-00") { id timestamp team user provider node model operation inputTokens outputTokens latencyMs status
          costNanoUsd costUsd costSource priceKnown prompt metadata { key value } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const sent = events[0];
    expect(answer.data?.Request).toEqual({
      id: 'req-00',
      timestamp: '2026-03-02T08:00:00.000Z',
      team: sent.team,
      user: sent.user,
      provider: 'openai',
      node: '',
      model: 'gpt-4o',
      operation: 'chat',
      inputTokens: sent.inputTokens,
      outputTokens: sent.outputTokens,
      latencyMs: sent.latencyMs,
      status: 'ok',
      costNanoUsd: String(BigInt(sent.costUsd!.split('.')[1])),
      costUsd: Number(sent.costUsd),
      costSource: 'event',
      priceKnown: true,
      prompt: 'Summarise the quarterly report',
      metadata: expect.arrayContaining([{ key: 'region', value: 'eu' }, { key: 'app', value: 'search-ui' }]),
    });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const answer = await testApp.graphql('{ Request(id: "never-sent") { id } }');
    expect(answer.errors?.[0]).toMatchObject({ message: 'No request with id never-sent', extensions: { code: 'NOT_FOUND' } });
  });
});

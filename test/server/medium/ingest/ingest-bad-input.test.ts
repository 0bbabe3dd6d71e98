import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

const day = { from: '2026-04-07T00:00:00Z', to: '2026-04-08T00:00:00Z' };
const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  timestamp: '2026-04-07T09:30:00Z',
  team: 'bad-input',
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 10,
  outputTokens: 5,
  costUsd: '0.01',
  ...extra,
});

describe('bad input never costs another caller anything', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  async function teamTotals(team: string, range: { from: string; to: string } = day) {
    const answer = await testApp.graphql<{ spend: Array<{ requests: number; costNanoUsd: string }> }>(
      'query Spend($from: DateTime!, $to: DateTime!, $team: String) { spend(from: $from, to: $to, groupBy: [TEAM, DAY], filter: { team: $team }) { requests costNanoUsd } }',
      { ...range, team },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.spend;
  }

  it('stores an event with a lone UTF-16 surrogate (repaired to U+FFFD) beside clean batches of other clients', async () => {
    // "\ud83d" is what an SDK sends when it cuts a prompt in the middle of an emoji.
    const cut = '[{"id":"cut-1","timestamp":"2026-04-07T09:30:00Z","team":"surrogates","model":"gpt-4o","costUsd":"0.01","prompt":"hello \\ud83d","user":"\\udc00x"}]';
    const [clean, dirty, other] = await Promise.all([
      postEvents(testApp, Array.from({ length: 50 }, (_, index) => event(`clean-${index}`, { team: 'surrogates' }))),
      postEvents(testApp, cut),
      postEvents(testApp, Array.from({ length: 50 }, (_, index) => event(`other-${index}`, { team: 'surrogates' }))),
    ]);
    expect(clean).toMatchObject({ status: 200, body: { accepted: 50, rejected: 0 } });
    expect(dirty).toMatchObject({ status: 200, body: { accepted: 1, rejected: 0 } });
    expect(other).toMatchObject({ status: 200, body: { accepted: 50, rejected: 0 } });
    const stored = await testApp.graphql<{ Request: { prompt: string; user: string } }>('{ Request(id: "cut-1") { prompt user } }');
    expect(stored.data?.Request).toEqual({ prompt: 'hello \ufffd', user: '\ufffdx' });
    expect(await teamTotals('surrogates')).toEqual([{ requests: 101, costNanoUsd: String(101n * 10_000_000n) }]);
  });

  it('sums costs exactly past the Int64 range: ten events at the largest accepted cost', async () => {
    const largest = '999999999.999999999';
    const answer = await postEvents(testApp, Array.from({ length: 10 }, (_, index) => event(`huge-${index}`, { team: 'overflow', costUsd: largest })));
    expect(answer.body).toMatchObject({ accepted: 10 });
    const expected = (10n * 999_999_999_999_999_999n).toString();
    // Whole hours read the rollup; a range off the hour reads the rows: both exact, neither wrapped negative.
    expect(await teamTotals('overflow')).toEqual([{ requests: 10, costNanoUsd: expected }]);
    expect(await teamTotals('overflow', { from: '2026-04-07T00:00:00.001Z', to: day.to })).toEqual([{ requests: 10, costNanoUsd: expected }]);
    const refused = await postEvents(testApp, [event('too-much', { team: 'overflow', costUsd: '1000000000' })]);
    expect(refused.status).toBe(400);
  });

  it('answers a large body of identical bad items in a few entries, with every item counted', async () => {
    // Under the 100,000-item limit of one body.
    const items = 90_000;
    const body = `[${Array.from({ length: items }, () => '{}').join(',')}]`;
    const answer = await postEvents(testApp, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ accepted: 0, rejected: items });
    const results = answer.body.results as Array<{ status: string; count?: number; indexes?: number[] }>;
    // The first hundred are listed one by one; the rest share one entry with a count.
    expect(results).toHaveLength(101);
    expect(results[100]).toMatchObject({ status: 'rejected', count: items - 100 });
    expect(results[100].indexes).toHaveLength(1000);
    expect(JSON.stringify(answer.body).length).toBeLessThan(100_000);
  });

  it('refuses a duplicate id of another team as its own event: ids are unique per team', async () => {
    const first = await postEvents(testApp, [event('shared-id', { team: 'alpha' }), event('shared-id', { team: 'beta' })]);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0 });
    const again = await postEvents(testApp, [event('shared-id', { team: 'alpha' })]);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

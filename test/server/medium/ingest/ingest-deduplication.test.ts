import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

const event = (id: string, minute: number) => ({
  id,
  timestamp: `2026-03-02T10:${String(minute).padStart(2, '0')}:00Z`,
  team: 'search',
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 1000,
  outputTokens: 100,
});

describe('ingest never counts an id twice, and says which item was kept', () => {
  let testApp: TestApp;

  async function storedCount(ids: string[]): Promise<number> {
    const answer = await testApp.graphql<{ _allRequestsMeta: { count: number } }>(
      'query Count($ids: [ID!]) { _allRequestsMeta(filter: { ids: $ids }) { count } }',
      { ids },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!._allRequestsMeta.count;
  }

  async function spendRequests(from: string, to: string): Promise<number> {
    const answer = await testApp.graphql<{ spend: Array<{ requests: number }> }>(`{ spend(from: "${from}", to: "${to}", groupBy: []) { requests } }`);
    return answer.data!.spend[0].requests;
  }

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('keeps the first of an id repeated inside one request and reports only the repeats as duplicates', async () => {
    const answer = await postEvents(testApp, [event('same-1', 1), event('same-1', 2), event('other-1', 3), event('same-1', 4)]);
    expect(answer.body).toMatchObject({ accepted: 2, duplicates: 2, rejected: 0 });
    const statuses = (answer.body.results as Array<{ id: string; status: string }>).map((result) => `${result.id}:${result.status}`);
    expect(statuses).toEqual(['same-1:accepted', 'same-1:duplicate', 'other-1:accepted', 'same-1:duplicate']);
    expect(await storedCount(['same-1', 'other-1'])).toBe(2);
    const stored = await testApp.graphql<{ Request: { timestamp: string } }>('{ Request(id: "same-1") { timestamp } }');
    expect(stored.data?.Request.timestamp).toBe('2026-03-02T10:01:00.000Z');
  });

  it('accepts an id exactly once when concurrent requests carry it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, caller) => postEvents(testApp, [event('raced-1', 10), event(`own-${caller}`, 11)])),
    );
    expect(answers.reduce((sum, answer) => sum + Number(answer.body.accepted), 0)).toBe(7);
    expect(answers.reduce((sum, answer) => sum + Number(answer.body.duplicates), 0)).toBe(5);
    expect(await storedCount(['raced-1'])).toBe(1);
  });

  it('answers a re-send as a duplicate and the totals stay put', async () => {
    const before = await spendRequests('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z');
    expect(before).toBe(2 + 7);
    const again = await postEvents(testApp, [event('same-1', 1), event('raced-1', 10), event('other-1', 3)]);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await spendRequests('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')).toBe(before);
    expect(await spendRequests('2026-03-02T09:59:59.999Z', '2026-03-02T11:00:00Z')).toBe(before);
  });
});

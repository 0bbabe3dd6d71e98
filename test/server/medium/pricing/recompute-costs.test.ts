import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

/**
 * Every test app consumes the same BullMQ queue names, so on a shared Redis another test file's worker could take
 * this file's recompute job and run it against its own ClickHouse. A Redis database of our own keeps it here.
 */
function redisOfOurOwn(): Record<string, string> {
  if (!process.env.REDIS_URL) return {};
  const url = new URL(process.env.REDIS_URL);
  url.pathname = `/${1 + (process.pid % 15)}`;
  return { REDIS_URL: url.toString() };
}

const day = { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
const offHourDay = { from: '2026-03-01T23:59:59.999Z', to: '2026-03-03T00:00:00.001Z' };

const unpricedEvents = Array.from({ length: 5 }, (_, index) => ({
  id: `recompute-${index}`,
  timestamp: `2026-03-02T${10 + (index % 2)}:${String(index * 11).padStart(2, '0')}:00Z`,
  team: index % 2 === 0 ? 'search' : 'legal',
  provider: 'acme',
  model: 'acme-recompute-model',
  inputTokens: 1000 + index * 100,
  cachedInputTokens: 0,
  outputTokens: 200 + index * 50,
}));
const senderPriced = { ...unpricedEvents[0], id: 'recompute-sender-priced', costUsd: '0.5' };
const catalogPriced = { ...unpricedEvents[0], id: 'recompute-gpt-4o', provider: 'openai', model: 'gpt-4o' };

// The new price: $2 per million input tokens, $8 per million output tokens = 2,000 and 8,000 nano-USD per token.
const newPriceCost = (event: { inputTokens: number; outputTokens: number }) => BigInt(event.inputTokens) * 2000n + BigInt(event.outputTokens) * 8000n;
// gpt-4o in the default catalog: $2.50 per million input, $10 per million output (nothing cached here).
const gpt4oCost = BigInt(catalogPriced.inputTokens) * 2500n + BigInt(catalogPriced.outputTokens) * 10_000n;
const senderCost = 500_000_000n;

interface Totals {
  requests: number;
  unpricedRequests: number;
  costNanoUsd: string;
}

describe('recomputeCosts on real engines', () => {
  let testApp: TestApp;

  async function totals(range: { from: string; to: string }): Promise<Totals> {
    const answer = await testApp.graphql<{ spend: Totals[] }>(
      'query Spend($from: DateTime!, $to: DateTime!) { spend(from: $from, to: $to, groupBy: []) { requests unpricedRequests costNanoUsd } }',
      range,
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.spend[0];
  }

  async function requestCount(): Promise<number> {
    const answer = await testApp.graphql<{ _allRequestsMeta: { count: number } }>('{ _allRequestsMeta { count } }');
    return answer.data!._allRequestsMeta.count;
  }

  async function recomputeAndWait(range: { from: string; to: string }): Promise<void> {
    const started = await testApp.graphql<{ recomputeCosts: { id: string; name: string; state: string } }>(
      'mutation Recompute($from: DateTime!, $to: DateTime!) { recomputeCosts(from: $from, to: $to) { id name state } }',
      range,
    );
    expect(started.errors, JSON.stringify(started.errors)).toBeUndefined();
    const job = started.data!.recomputeCosts;
    expect(job.name).toBe('pricing.recompute-costs');
    const deadline = Date.now() + 45_000;
    for (;;) {
      const polled = await testApp.graphql<{ job: { state: string; progress: number; error: string | null } }>(
        'query Job($id: ID!) { job(id: $id) { state progress error } }',
        { id: job.id },
      );
      const state = polled.data?.job;
      if (state?.state === 'completed') {
        expect(state.progress).toBe(100);
        return;
      }
      if (state?.state === 'failed') throw new Error(`recompute job failed: ${state.error}`);
      if (Date.now() > deadline) throw new Error(`recompute job still ${state?.state} after 45 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    testApp = await startTestApp(redisOfOurOwn());
    const answer = await postEvents(testApp, [...unpricedEvents, senderPriced, catalogPriced]);
    expect(answer.body).toMatchObject({ accepted: 7, rejected: 0, unpriced: 5 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('starts with the model unpriced: cost unknown, never zero', async () => {
    expect(await totals(day)).toEqual({ requests: 7, unpricedRequests: 5, costNanoUsd: String(senderCost + gpt4oCost) });
    const request = await testApp.graphql<{ Request: { priceKnown: boolean; costNanoUsd: string | null } }>('{ Request(id: "recompute-1") { priceKnown costNanoUsd } }');
    expect(request.data?.Request).toEqual({ priceKnown: false, costNanoUsd: null });
  });

  it('re-prices the stored requests once a price exists, counting nothing twice', async () => {
    const price = await testApp.graphql(
      `mutation { createPrice(modelPattern: "acme-recompute-model", provider: "acme", inputPerMillionUsd: 2, outputPerMillionUsd: 8,
                              effectiveFrom: "2026-03-01T00:00:00Z") { id } }`,
    );
    expect(price.errors).toBeUndefined();

    await recomputeAndWait(day);

    const expectedCost = unpricedEvents.reduce((sum, event) => sum + newPriceCost(event), 0n) + senderCost + gpt4oCost;
    const expected = { requests: 7, unpricedRequests: 0, costNanoUsd: expectedCost.toString() };
    expect(await totals(day)).toEqual(expected);
    expect(await totals(offHourDay)).toEqual(expected);
    expect(await requestCount()).toBe(7);

    const requests = await testApp.graphql<Record<string, { priceKnown: boolean; costNanoUsd: string; costSource: string }>>(`{
      repriced: Request(id: "recompute-1") { priceKnown costNanoUsd costSource }
      sender: Request(id: "recompute-sender-priced") { priceKnown costNanoUsd costSource }
      catalog: Request(id: "recompute-gpt-4o") { priceKnown costNanoUsd costSource }
    }`);
    expect(requests.data).toEqual({
      repriced: { priceKnown: true, costNanoUsd: newPriceCost(unpricedEvents[1]).toString(), costSource: 'catalog' },
      sender: { priceKnown: true, costNanoUsd: senderCost.toString(), costSource: 'event' },
      catalog: { priceKnown: true, costNanoUsd: gpt4oCost.toString(), costSource: 'catalog' },
    });
    const unpriced = await testApp.graphql<{ unpricedModels: unknown[] }>(`{ unpricedModels(from: "${day.from}", to: "${day.to}") { model } }`);
    expect(unpriced.data?.unpricedModels).toEqual([]);
  });

  it('gives the same answer when run again over an overlapping range', async () => {
    const before = await totals(day);
    await recomputeAndWait({ from: '2026-03-02T10:30:00.000Z', to: '2026-03-02T12:00:00.000Z' });
    expect(await totals(day)).toEqual(before);
    expect(await totals(offHourDay)).toEqual(before);
    expect(await requestCount()).toBe(7);
  });

  it('refuses a range whose end is not after its start', async () => {
    const answer = await testApp.graphql(`mutation { recomputeCosts(from: "${day.to}", to: "${day.from}") { id } }`);
    expect(answer.errors?.[0]).toMatchObject({ message: '"from" must be before "to"', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

/** A Redis database of this file's own, so another test app's worker cannot take this file's recompute job. */
function redisOfOurOwn(): Record<string, string> {
  if (!process.env.REDIS_URL) return {};
  const url = new URL(process.env.REDIS_URL);
  url.pathname = `/${1 + ((process.pid + 7) % 15)}`;
  return { REDIS_URL: url.toString() };
}

const day = { from: '2026-03-05T00:00:00.000Z', to: '2026-03-06T00:00:00.000Z' };

describe('editing a price never re-prices the past', () => {
  let testApp: TestApp;

  async function recomputeAndWait(range: { from: string; to: string }): Promise<void> {
    const started = await testApp.graphql<{ recomputeCosts: { id: string } }>(
      'mutation Recompute($from: DateTime!, $to: DateTime!) { recomputeCosts(from: $from, to: $to) { id } }',
      range,
    );
    expect(started.errors, JSON.stringify(started.errors)).toBeUndefined();
    const deadline = Date.now() + 45_000;
    for (;;) {
      const polled = await testApp.graphql<{ job: { state: string; error: string | null } }>('query Job($id: ID!) { job(id: $id) { state error } }', {
        id: started.data!.recomputeCosts.id,
      });
      if (polled.data?.job.state === 'completed') return;
      if (polled.data?.job.state === 'failed') throw new Error(`recompute failed: ${polled.data.job.error}`);
      if (Date.now() > deadline) throw new Error(`recompute still ${polled.data?.job.state} after 45 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function cost(id: string): Promise<string | null> {
    const answer = await testApp.graphql<{ Request: { costNanoUsd: string | null } }>('query($id: ID!) { Request(id: $id) { costNanoUsd } }', { id });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.Request.costNanoUsd;
  }

  beforeAll(async () => {
    testApp = await startTestApp(redisOfOurOwn());
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('keeps an old event at its old price after the edit, also when its day is re-priced', async () => {
    const created = await testApp.graphql<{ createPrice: { id: string } }>(
      `mutation { createPrice(modelPattern: "kept-model", provider: "acme", inputPerMillionUsd: "1", outputPerMillionUsd: "2", effectiveFrom: "2026-01-01T00:00:00Z") { id } }`,
    );
    expect(created.errors).toBeUndefined();
    const posted = await postEvents(testApp, [{ id: 'kept-before-edit', timestamp: '2026-03-05T10:00:00Z', provider: 'acme', model: 'kept-model', inputTokens: 1000, outputTokens: 500 }]);
    expect(posted.body).toMatchObject({ accepted: 1 });
    // 1000 × $1/M + 500 × $2/M = $0.002.
    expect(await cost('kept-before-edit')).toBe('2000000');

    // Finance edits the rates the way the console does: no date, so the new version starts now.
    const edited = await testApp.graphql<{ updatePrice: { id: string; effectiveFrom: string } }>(
      `mutation($id: ID!) { updatePrice(id: $id, modelPattern: "kept-model", provider: "acme", inputPerMillionUsd: "3", outputPerMillionUsd: "4") { id effectiveFrom } }`,
      { id: created.data!.createPrice.id },
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updatePrice.id).not.toBe(created.data!.createPrice.id);

    await recomputeAndWait(day);
    // The landed code rewrote the row in place: re-pricing the day then charged $0.005 for the March event.
    expect(await cost('kept-before-edit')).toBe('2000000');
    const spend = await testApp.graphql<{ spend: Array<{ costNanoUsd: string }> }>(
      'query($from: DateTime!, $to: DateTime!) { spend(from: $from, to: $to, groupBy: []) { costNanoUsd } }',
      day,
    );
    expect(spend.data?.spend[0].costNanoUsd).toBe('2000000');

    // An event after the new version's start pays the new rates: 1000 × $3/M + 500 × $4/M = $0.005.
    const later = new Date(Date.parse(edited.data!.updatePrice.effectiveFrom) + 1000).toISOString();
    await postEvents(testApp, [{ id: 'kept-after-edit', timestamp: later, provider: 'acme', model: 'kept-model', inputTokens: 1000, outputTokens: 500 }]);
    expect(await cost('kept-after-edit')).toBe('5000000');
  });
});

import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../support/test-app';

const day = '2026-03-02';
const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  timestamp: `${day}T10:15:00Z`,
  team: 'search',
  user: 'ana@example.com',
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 1000,
  outputTokens: 500,
  cachedInputTokens: 200,
  latencyMs: 900,
  ...extra,
});

describe('POST /api/v1/ingest/requests on real engines', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('keeps good items, refuses bad ones by field, and never counts a re-sent id twice', async () => {
    const first = await postEvents(testApp, [event('e1'), event('e2', { team: 'legal' }), { timestamp: 'yesterday', model: 'gpt-4o', input_tokens: 5 }]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
    const rejected = (first.body.results as Array<{ status: string; errors?: Array<{ field: string }> }>)[2];
    expect(rejected.errors?.map((problem) => problem.field).sort()).toEqual(['input_tokens', 'timestamp']);

    const again = await postEvents(testApp, [event('e1'), event('e3')]);
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });

    const { data } = await testApp.graphql<{ spend: Array<{ requests: number; costNanoUsd: string }> }>(
      `{ spend(from: "${day}T00:00:00Z", to: "2026-03-03T00:00:00Z", groupBy: []) { requests costNanoUsd } }`,
    );
    // gpt-4o in the default catalog: $2.50/M input, $1.25/M cached input, $10/M output.
    // Per event: 800 × 2.5 + 200 × 1.25 + 500 × 10 = 7,250 micro-USD = 7,250,000 nano-USD.
    expect(data?.spend).toEqual([{ requests: 3, costNanoUsd: String(3 * 7_250_000) }]);
  });

  it('accepts NDJSON and gzip, and refuses a bad line as one bad item', async () => {
    const ndjson = [JSON.stringify(event('n1')), '{not json', JSON.stringify(event('n2'))].join('\n');
    const plain = await postEvents(testApp, ndjson, { 'content-type': 'application/x-ndjson' });
    expect(plain.body).toMatchObject({ accepted: 2, rejected: 1 });
    const gzipped = await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${testApp.ingestKey}` },
      body: zlib.gzipSync(JSON.stringify([event('g1')])),
    });
    expect(await gzipped.json()).toMatchObject({ accepted: 1 });
  });

  it('answers 401 without a key, 400 for malformed JSON, 413 for an oversized body', async () => {
    const noKey = await fetch(`${testApp.baseUrl}/api/v1/ingest/requests`, { method: 'POST', body: '[]' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    const wrongKey = await postEvents(testApp, '[]', { authorization: 'Bearer wk_nope' });
    expect(wrongKey.status).toBe(401);
    const malformed = await postEvents(testApp, '[{"id": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'malformed_payload' } });
    const huge = await postEvents(testApp, `[${'"x",'.repeat(6_000_000)}"x"]`);
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('stores an unknown model with cost unknown and lists it, never priced at zero', async () => {
    await postEvents(testApp, [event('u1', { model: 'internal-mystery-model', provider: 'vllm' })]);
    const { data } = await testApp.graphql<{
      Request: { priceKnown: boolean; costNanoUsd: string | null; costSource: string };
      unpricedModels: Array<{ model: string; requests: number }>;
    }>(`{ Request(id: "u1") { priceKnown costNanoUsd costSource }
          unpricedModels(from: "${day}T00:00:00Z", to: "2026-03-03T00:00:00Z") { model requests } }`);
    expect(data?.Request).toEqual({ priceKnown: false, costNanoUsd: null, costSource: 'unknown' });
    expect(data?.unpricedModels).toContainEqual({ model: 'internal-mystery-model', requests: 1 });
  });

  it('refuses GraphQL without a session', async () => {
    const answer = await testApp.graphql('{ allPrices { id } }', {}, 'not-a-token');
    expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

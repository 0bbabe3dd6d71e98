import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { hallucinationRate, postEvents, postScores, requestEvent } from './evals-support';

const from = '2026-03-02T00:00:00Z';
const to = '2026-03-03T00:00:00Z';

describe('scores: exactly once, late arrival, definitions', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('counts a score once by id, whether re-sent, repeated in a body or sent by racing callers', async () => {
    await postEvents(testApp, [requestEvent('once-1')]);
    const score = { id: 'score-once-1', requestId: 'once-1', team: 'support', name: 'hhem-2.1', value: 0.2, evaluator: 'hhem-2.1', timestamp: '2026-03-02T11:00:00Z' };
    const first = await postScores(testApp, [score, score]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
    expect(first.body.results.map((result) => result.status)).toEqual(['accepted', 'duplicate']);
    const raced = await Promise.all(Array.from({ length: 5 }, () => postScores(testApp, [{ ...score, id: 'score-once-2', value: 0.9, timestamp: '2026-03-02T12:00:00Z' }])));
    expect(raced.reduce((sum, answer) => sum + answer.body.accepted, 0)).toBe(1);
    expect(raced.reduce((sum, answer) => sum + answer.body.duplicates, 0)).toBe(4);
    const again = await postScores(testApp, [score]);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const [row] = await hallucinationRate(testApp, from, to, [], { team: 'support', model: 'gpt-4o' });
    // Two scores of one name on one request: the latest verdict counts (0.9 an hour after 0.2: not hallucinated).
    expect(row).toMatchObject({ requests: 1, scored: 1, hallucinated: 0, rate: 0 });
    const stored = await testApp.engines.clickhouse.query({ query: "SELECT count() AS count FROM warden.scores FINAL WHERE team = 'support' AND id LIKE 'score-once-%'", format: 'JSONEachRow' });
    expect(await stored.json()).toEqual([{ count: '2' }]);
  });

  it('joins a score that arrived before its request once the request is stored', async () => {
    const early = await postScores(testApp, [{ id: 'late-score', requestId: 'late-1', team: 'search', name: 'ragas.faithfulness', value: 0.3 }]);
    expect(early.body).toMatchObject({ accepted: 1 });
    expect(await hallucinationRate(testApp, from, to, [], { team: 'search' })).toEqual([
      expect.objectContaining({ requests: 0, scored: 0, hallucinated: 0, rate: null }),
    ]);
    await postEvents(testApp, [requestEvent('late-1', { team: 'search', model: 'gpt-4o-mini' })]);
    expect(await hallucinationRate(testApp, from, to, [], { team: 'search' })).toEqual([
      expect.objectContaining({ requests: 1, scored: 1, hallucinated: 1, rate: 1 }),
    ]);
  });

  it('refuses a score whose name has no definition, naming how to define one', async () => {
    const answer = await postScores(testApp, [{ requestId: 'once-1', team: 'support', name: 'my.custom.metric', value: 3 }]);
    expect(answer.status).toBe(400);
    expect(answer.body.results[0].errors).toEqual([
      { field: 'name', message: 'no score definition is named "my.custom.metric": create one first (createScoreDefinition)' },
    ]);
  });

  it('refuses a value out of range with the range named, and keeps the other items', async () => {
    const answer = await postScores(testApp, [
      { id: 'range-1', requestId: 'once-1', team: 'support', name: 'hhem-2.1', value: 1.5 },
      { id: 'range-2', requestId: 'once-1', team: 'support', name: 'azure.groundedness', value: 0 },
      { id: 'range-3', requestId: 'once-1', team: 'support', name: 'azure.groundedness', value: 4 },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(answer.body.results[0].errors).toEqual([{ field: 'value', message: '1.5 is outside [0, 1], the range of "hhem-2.1"' }]);
    expect(answer.body.results[1].errors).toEqual([{ field: 'value', message: '0 is outside [1, 5], the range of "azure.groundedness"' }]);
  });

  it('takes NDJSON and gzip, and names a bad line', async () => {
    const { gzipSync } = await import('node:zlib');
    const lines = [
      JSON.stringify({ id: 'nd-1', requestId: 'once-1', team: 'support', name: 'llm_judge.hallucination', value: true }),
      '{not json',
    ].join('\n');
    const response = await fetch(`${testApp.baseUrl}/api/v1/ingest/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', authorization: `Bearer ${testApp.ingestKey}` },
      body: new Uint8Array(gzipSync(lines)),
    });
    const body = (await response.json()) as { accepted: number; rejected: number; results: Array<{ errors?: Array<{ field: string; message: string }> }> };
    expect(body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(body.results[1].errors?.[0].message).toMatch(/^line 2 is not valid JSON/);
  });

  it('refuses a request without an ingest key', async () => {
    const response = await fetch(`${testApp.baseUrl}/api/v1/ingest/scores`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(response.status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

describe('dates on every surface', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  async function graphql(query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const response = await fetch(`${testApp.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.sessionToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  const spendWithVariables = `query Spend($from: DateTime!, $to: DateTime!) { spend(from: $from, to: $to, groupBy: [TEAM]) { team } }`;

  it('a date the calendar lacks, written in the query: 400 BAD_USER_INPUT naming the argument, never rolled into March', async () => {
    const answer = await graphql(`query { spend(from: "2026-02-30T00:00:00Z", to: "2026-03-05T00:00:00Z", groupBy: [TEAM]) { team } }`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors![0].message).toBe('Argument "from": "2026-02-30T00:00:00Z" is not a valid DateTime: February 2026 has no day 30');
  });

  it('sent as a variable: 400 BAD_USER_INPUT naming the argument the variable feeds', async () => {
    const answer = await graphql(spendWithVariables, { from: '2026-03-01T00:00:00Z', to: 'yesterday' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors![0].message).toBe('Argument "to" (variable $to): "yesterday" is not a valid DateTime: expected ISO-8601: 2026-03-01 or 2026-03-01T10:00:00Z');
  });

  it('a date-time without a zone, an impossible time, a number: refused the same way', async () => {
    const zoneless = await graphql(spendWithVariables, { from: '2026-03-01T10:00:00', to: '2026-03-02T00:00:00Z' });
    expect(zoneless.body.errors![0]).toMatchObject({
      message: 'Argument "from" (variable $from): "2026-03-01T10:00:00" is not a valid DateTime: a date-time needs a zone (Z or an offset such as +02:00)',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const midnight = await graphql(`query { unpricedModels(from: "2026-03-01T24:00:00Z", to: "2026-03-02") { model } }`);
    expect(midnight.body.errors![0]).toMatchObject({ message: expect.stringMatching(/^Argument "from": .*is not a time of day/), extensions: { code: 'BAD_USER_INPUT' } });
    const number = await graphql(spendWithVariables, { from: 1740787200000, to: '2026-03-02T00:00:00Z' });
    expect(number.body.errors![0]).toMatchObject({ message: expect.stringMatching(/^Argument "from" \(variable \$from\): 1740787200000 is not a valid DateTime/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('inside an input object and in a mutation: the argument path is named', async () => {
    const filtered = await graphql(`query { allRequests(filter: { timestamp_gte: "2026-13-01T00:00:00Z" }) { id } }`);
    expect(filtered.status).toBe(400);
    expect(filtered.body.errors![0]).toMatchObject({
      message: 'Argument "filter.timestamp_gte": "2026-13-01T00:00:00Z" is not a valid DateTime: there is no month 13',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const recompute = await graphql(`mutation { recomputeCosts(from: "2026-03-01", to: "2026-04-31") { id } }`);
    expect(recompute.body.errors![0]).toMatchObject({ message: expect.stringMatching(/^Argument "to": .*April 2026 has no day 31/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('accepts a plain date (midnight UTC) and an offset, and answers in UTC', async () => {
    const answer = await graphql(spendWithVariables, { from: '2026-03-01', to: '2026-03-02T02:00:00+02:00' });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ spend: [] });
  });

  it('ingest refuses an event dated on a day the calendar lacks, by field, and keeps the good one', async () => {
    const answer = await postEvents(testApp, [
      { id: 'date-bad', timestamp: '2026-02-30T10:00:00Z', model: 'gpt-4o', provider: 'openai', inputTokens: 1, outputTokens: 1 },
      { id: 'date-good', timestamp: '2026-02-28T10:00:00Z', model: 'gpt-4o', provider: 'openai', inputTokens: 1, outputTokens: 1 },
    ]);
    expect(answer.status).toBe(200);
    const results = answer.body.results as Array<{ status: string; errors?: Array<{ field: string }> }>;
    expect(results[0].status).toBe('rejected');
    expect(results[0].errors?.map((problem) => problem.field)).toEqual(['timestamp']);
    expect(results[1].status).toBe('accepted');
  });
});

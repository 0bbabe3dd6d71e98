import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlLimits } from '../../../../server/src/engine/graphql/graphql-protection';
import { startTestApp, type TestApp } from '../../../support/test-app';

interface Answer {
  status: number;
  bytes: number;
  milliseconds: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

// The documents an outside tester sent: thousands of aliased introspection fields (on the landed code one of these
// ran 12 s and answered 107 MB), fewer aliases that stay under the token limit, and nesting past the depth limit.
const aliasedIntrospection = (count: number) => `{ ${Array.from({ length: count }, (_unused, index) => `a${index}: __schema { types { name fields { name } } }`).join(' ')} }`;
const aliasedTypename = (count: number) => `{ ${Array.from({ length: count }, (_unused, index) => `a${index}: __typename`).join(' ')} }`;
const deepQuery = `{ __type(name: "Query") { ${'fields { type { '.repeat(6)}name${' } }'.repeat(6)} } }`;

describe('GraphQL limits on every caller, and no schema for anonymous callers', () => {
  let testApp: TestApp;
  let viewer: string;

  async function post(payload: unknown, token?: string): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${testApp.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
    });
    const text = await response.text();
    return { status: response.status, bytes: text.length, milliseconds: performance.now() - started, body: JSON.parse(text) as Answer['body'] };
  }
  const codes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);

  beforeAll(async () => {
    testApp = await startTestApp();
    viewer = (await testApp.signIn('viewer')).token;
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('refuses thousands of aliased introspection fields unparsed, anonymous or signed in, in a small answer', async () => {
    for (const token of [undefined, viewer]) {
      const answer = await post({ query: aliasedIntrospection(3000) }, token);
      console.log(`alias flood (${token ? 'signed in' : 'anonymous'}): ${answer.status} in ${answer.milliseconds.toFixed(0)} ms, ${answer.bytes} bytes`);
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(answer.body.errors?.[0].message).toMatch(new RegExp(`more tha[nt] ${graphqlLimits.maxTokens} tokens`));
      expect(answer.body.data).toBeUndefined();
      expect(answer.bytes).toBeLessThan(1000);
    }
  });

  it(`refuses more than ${graphqlLimits.maxAliases} aliases by the alias rule, before anything runs`, async () => {
    for (const [query, token] of [
      [aliasedIntrospection(graphqlLimits.maxAliases + 10), undefined],
      [aliasedIntrospection(graphqlLimits.maxAliases + 10), viewer],
      [aliasedTypename(graphqlLimits.maxAliases + 1), undefined],
    ] as const) {
      const answer = await post({ query }, token);
      expect(answer.status).toBe(400);
      expect(codes(answer)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.map((error) => error.message).join('\n')).toMatch(/Aliases limit of 50 exceeded/);
      expect(answer.body.data).toBeUndefined();
    }
  });

  it(`refuses a query nested deeper than ${graphqlLimits.maxDepth}, anonymous or signed in`, async () => {
    for (const token of [undefined, viewer]) {
      const answer = await post({ query: deepQuery }, token);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((error) => error.message).join('\n')).toMatch(/Query validation error|Query Depth limit|depth/i);
      expect(answer.body.data).toBeUndefined();
    }
  });

  it(`refuses a fragment bomb by its cost (over ${graphqlLimits.maxCost}), though it is short`, async () => {
    // Each fragment spreads the next twice: 2^16 copies of a selection from about 200 tokens.
    const levels = 16;
    const fragments = Array.from({ length: levels }, (_unused, level) => `fragment F${level} on RequestModel { id ...F${level + 1} ...F${level + 1} }`).join(' ');
    const query = `{ allRequests(perPage: 1) { ...F0 } } ${fragments} fragment F${levels} on RequestModel { id model }`;
    const answer = await post({ query }, viewer);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.message).join('\n')).toMatch(/Query Cost limit of 5000 exceeded/);
    expect(answer.body.data).toBeUndefined();
  });

  it(`refuses a document asking for more than ${graphqlLimits.maxListRows} rows in all, however it is spread`, async () => {
    const fields = 'id timestamp team model inputTokens outputTokens costNanoUsd prompt completion';
    const literal = `{ ${Array.from({ length: 40 }, (_unused, index) => `r${index}: allRequests(perPage: 1000) { ${fields} }`).join(' ')} }`;
    const answer = await post({ query: literal }, viewer);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].message).toBe(`This document asks for 40000 rows; at most ${graphqlLimits.maxListRows} per request`);
    const byVariable = await post({ query: 'query($n: Int) { a: allRequests(perPage: $n) { id } b: allPrices(perPage: $n) { id } }', variables: { n: 1000 } }, viewer);
    // Exactly at the budget: served.
    expect(byVariable.status).toBe(200);
    expect(byVariable.body.errors).toBeUndefined();
    const tooMany = await post({ query: 'query($n: Int) { a: allRequests(perPage: $n) { id } b: allPrices(perPage: $n) { id } }', variables: { n: 1001 } }, viewer);
    expect(tooMany.status).toBe(400);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it('serves the schema to signed-in users only', async () => {
    const anonymous = await post({ query: getIntrospectionQuery() });
    expect(anonymous.status).toBe(401);
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.body.data ?? undefined).toBeUndefined();
    for (const query of ['{ __type(name: "Query") { name } }', '{ spend: __schema { queryType { name } } }', 'query { ...Schema } fragment Schema on Query { __schema { types { name } } }']) {
      expect(codes(await post({ query }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(codes(await post({ query: getIntrospectionQuery() }, 'not-a-session'))).toEqual(['UNAUTHENTICATED']);

    const signedIn = await post({ query: getIntrospectionQuery() }, viewer);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.errors).toBeUndefined();
    expect((signedIn.body.data?.__schema as { types: unknown[] }).types.length).toBeGreaterThan(20);
    // Nothing else is open to anonymous callers either: every field needs a session.
    const data = await post({ query: '{ allPrices(perPage: 1) { id } }' });
    expect(codes(data)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses batched operations (one request, many documents)', async () => {
    const answer = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }], viewer);
    expect(answer.status).toBe(400);
  });

  it('keeps /healthz answering while floods are refused', async () => {
    const floods = Array.from({ length: 20 }, () => post({ query: aliasedIntrospection(5000) }));
    const health = await fetch(`${testApp.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    for (const answer of await Promise.all(floods)) expect(answer.status).toBe(400);
  });
});

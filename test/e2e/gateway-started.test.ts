import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '../support/fake-openai-upstream';
import { graphqlRequest, signInOverApi, startServerAsUser, type StartedServer } from '../support/started-server';

// The gateway on Warden started as a user starts it (`npm start`, empty DATA_DIR, embedded engines): an admin
// registers a node and a gateway key through the public GraphQL API, puts a policy through the REST API, and an
// application speaks to /v1 with the official openai client. Everything the gateway logs is read back over GraphQL.
describe('gateway on a started server, with the official openai client', () => {
  let server: StartedServer;
  let upstream: FakeOpenAiUpstream;
  let token: string;
  let client: OpenAI;
  const team = 'gateway-e2e';

  const graphql = <T>(query: string, variables: Record<string, unknown> = {}) => graphqlRequest<T>(server.baseUrl, token, query, variables);

  beforeAll(async () => {
    upstream = await startFakeOpenAiUpstream({ models: ['house-chat-7b'], replyText: 'Hello from our own node.' });
    server = await startServerAsUser();
    token = await signInOverApi(server.baseUrl, server.adminPassword);
    await graphql(
      `mutation ($baseUrl: String) { createNode(name: "house-node", kind: "openai-compatible", baseUrl: $baseUrl, location: "on-premises", models: ["house-chat-7b"], enabled: true) { id } }`,
      { baseUrl: upstream.url },
    );
    const policy = await fetch(`${server.baseUrl}/api/v1/policies/${team}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: team, scope: { team }, models: { allow: ['house-chat-*'] }, pii: { detectors: { email: 'mask' } } }),
    });
    expect(policy.status).toBe(200);
    await graphql(`mutation ($team: String!) { createTeam(name: $team) { id } }`, { team });
    const { createApiKey } = await graphql<{ createApiKey: { secret: string } }>(
      `mutation ($team: String) { createApiKey(name: "e2e gateway key", team: $team, scopes: ["gateway"]) { secret } }`,
      { team },
    );
    client = new OpenAI({ apiKey: createApiKey.secret, baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await upstream?.close();
  });

  it('lists the models the key may use and streams a chat completion, personal data masked before the node', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['house-chat-7b']);

    const stream = await client.chat.completions.create({
      model: 'house-chat-7b',
      messages: [{ role: 'user', content: 'Write to jane.doe@example.com please' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from our own node.');
    const seen = upstream.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(seen).toHaveLength(1);
    expect(seen[0].rawBody).not.toContain('jane.doe@example.com');
  });

  it('refuses a model outside the allow-list in OpenAI\'s shape before any byte goes upstream', async () => {
    const before = upstream.requests.length;
    const refusal = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refusal as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('model_not_allowed');
    expect(upstream.requests.length).toBe(before);
    const badKey = new OpenAI({ apiKey: 'wk_not_a_key', baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
    const unauthorised = await badKey.models.list().catch((error: unknown) => error);
    expect(unauthorised).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('logs the served request with its usage, node, decision and masked content', async () => {
    const answer = await client.chat.completions.create({ model: 'house-chat-7b', messages: [{ role: 'user', content: 'count me' }] }).withResponse();
    const requestId = answer.response.headers.get('x-request-id');
    expect(requestId).toMatch(/^req_/);
    expect(answer.data.choices[0].message.content).toBe('Hello from our own node.');
    let logged: Array<{ id: string; team: string; node: string; model: string; inputTokens: number; outputTokens: number; status: string; decisionId: string; location: string }> = [];
    for (let attempt = 0; attempt < 60 && logged.length < 2; attempt += 1) {
      ({ allRequests: logged } = await graphql<{ allRequests: typeof logged }>(
        `query ($filter: RequestFilter) { allRequests(filter: $filter, perPage: 10) { id team node model inputTokens outputTokens status decisionId location } }`,
        { filter: { team } },
      ));
      if (logged.length < 2) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(logged).toHaveLength(2);
    const served = logged.find((request) => request.id === requestId);
    expect(served).toMatchObject({ team, node: 'house-node', model: 'house-chat-7b', status: 'ok', location: 'on-premises' });
    expect(served!.outputTokens).toBe(answer.data.usage!.completion_tokens);
    expect(served!.inputTokens).toBe(answer.data.usage!.prompt_tokens);
    expect(served!.decisionId).not.toBe('');
    const { Request: masked } = await graphql<{ Request: { prompt: string } }>(
      `query ($id: ID!) { Request(id: $id) { prompt } }`,
      { id: logged.find((request) => request.id !== requestId)!.id },
    );
    expect(masked.prompt).not.toContain('jane.doe@example.com');
    expect(masked.prompt).toContain('Write to');
  });
});

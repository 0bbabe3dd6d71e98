import { createServer } from 'node:net';
import type OpenAI from 'openai';
import { APIError, AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '../../../support/fake-openai-upstream';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { createScopedKey, unique } from '../policies/policy-test-support';
import { createNode, gatewayClient, putPolicy, waitForLogged } from './gateway-support';

/** A port nothing listens on: a node that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const longReply = Array.from({ length: 40 }, (_unused, index) => `word${index}`).join(' ');

// The gateway end to end: the official openai client against Warden, Warden against real HTTP upstreams.
describe('gateway: OpenAI-compatible, policy enforced, routed, logged', () => {
  let testApp: TestApp;
  let key: string;
  let local: FakeOpenAiUpstream;
  let external: FakeOpenAiUpstream;
  let anthropic: FakeOpenAiUpstream;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_NODE_HEALTH_INTERVAL_SECONDS: '3600', WARDEN_GATEWAY_MAX_BODY_BYTES: '65536' });
    key = (await createScopedKey(testApp, 'gateway')).secret;
    local = await startFakeOpenAiUpstream({ models: ['gpt-4o-mini', 'text-embedding-3-small', 'llama-local'] });
    external = await startFakeOpenAiUpstream({ models: ['gpt-4o-mini', 'ext-only-model'], apiKey: 'sk-external-secret' });
    anthropic = await startFakeOpenAiUpstream({ models: ['claude-3-5-haiku-latest'], apiKey: 'sk-ant-secret' });
    await createNode(testApp, { name: 'local-vllm', kind: 'vllm', baseUrl: local.url, location: 'on-premises', models: ['gpt-4o-mini', 'text-embedding-3-small', 'llama-local'], routingPreference: 10 });
    await createNode(testApp, { name: 'hosted-openai', kind: 'openai', baseUrl: external.baseUrl, apiKey: 'sk-external-secret', location: 'external', models: ['gpt-4o-mini', 'ext-only-model'], routingPreference: 1 });
    await createNode(testApp, { name: 'hosted-claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'sk-ant-secret', location: 'external', models: ['claude-3-5-haiku-latest'] });
  });
  afterAll(async () => {
    await testApp?.close();
    await Promise.all([local, external, anthropic].map((upstream) => upstream?.close()));
  });

  it('streams an allowed model through unchanged, and logs the request with its usage, price, node and decision', async () => {
    const team = unique('stream');
    const client = gatewayClient(testApp, key, team);
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to the test' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the fake upstream, one word at a time.');
    expect(usage).toEqual({ prompt_tokens: 5, completion_tokens: 10, total_tokens: 15 });
    // The preferred node (routingPreference 1) is the hosted one, reached with its own key.
    const seen = external.requests.at(-1)!;
    expect(seen.headers.authorization).toBe('Bearer sk-external-secret');
    const [row] = await waitForLogged(testApp, team, 1);
    expect(row).toMatchObject({ node: 'hosted-openai', location: 'external', model: 'gpt-4o-mini', operation: 'chat', input_tokens: 5, output_tokens: 10, status: 'ok', source: 'gateway' });
    expect(row.id).toMatch(/^req_/);
    expect(row.decision_id).not.toBe('');
    expect(BigInt(row.cost_nano_usd ?? '0')).toBeGreaterThan(0n);
    expect(row.ttft_ms).not.toBeNull();
    expect(row.completion).toBe(text);
  });

  it('holds back the usage chunk it asked for on the caller\'s behalf, and still counts it', async () => {
    const team = unique('nousage');
    const client = gatewayClient(testApp, key, team);
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi there' }], stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    const seenBody = external.requests.at(-1)!.body as { stream_options?: unknown };
    expect(seenBody.stream_options).toEqual({ include_usage: true });
    const [row] = await waitForLogged(testApp, team, 1);
    expect([row.input_tokens, row.output_tokens]).toEqual([2, 10]);
  });

  it('counts tokens with a tokenizer when the node reports no usage', async () => {
    const team = unique('tokenizer');
    local.configure({ omitUsage: true });
    try {
      const client = gatewayClient(testApp, key, team);
      const answer = await client.completions.create({ model: 'llama-local', prompt: 'Hello world, how are you?' });
      expect(answer.choices[0].text).toBe('Hello from the fake upstream, one word at a time.');
      const [row] = await waitForLogged(testApp, team, 1);
      // cl100k_base: "Hello world, how are you?" is 7 tokens; the reply 12.
      expect([row.input_tokens, row.output_tokens]).toEqual([7, 12]);
    } finally {
      local.configure({ omitUsage: false });
    }
  });

  it('serves embeddings and lists the models the key may use', async () => {
    const team = unique('models');
    await putPolicy(testApp, { name: unique('allow'), scope: { team }, models: { allow: ['gpt-4o-mini', 'text-embedding-*'] } });
    const client = gatewayClient(testApp, key, team);
    const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'] });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.data[0].embedding).toHaveLength(8);
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models.sort()).toEqual(['gpt-4o-mini', 'text-embedding-3-small']);
    expect((await client.models.retrieve('gpt-4o-mini')).id).toBe('gpt-4o-mini');
    await expect(client.models.retrieve('llama-local')).rejects.toBeInstanceOf(NotFoundError);
    const rows = await waitForLogged(testApp, team, 1);
    expect(rows[0]).toMatchObject({ operation: 'embedding', input_tokens: 2, node: 'local-vllm' });
  });

  it('refuses a denied model before any byte goes upstream', async () => {
    const team = unique('denied');
    await putPolicy(testApp, { name: unique('deny'), scope: { team }, models: { allow: ['llama-*'] } });
    const before = external.requests.length + local.requests.length;
    const client = gatewayClient(testApp, key, team);
    const refusal = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PermissionDeniedError);
    expect(refusal).toMatchObject({ status: 403, code: 'model_not_allowed', type: 'invalid_request_error' });
    expect((refusal as APIError).headers?.get('x-request-id')).toMatch(/^req_/);
    expect(external.requests.length + local.requests.length).toBe(before);
  });

  it('stops a token budget within one request of its limit under 50 concurrent streams, then answers insufficient_quota without retries', async () => {
    const team = unique('budget');
    const limit = 600;
    const maxTokens = 10;
    await putPolicy(testApp, { name: unique('budget'), scope: { team }, quotas: [{ name: 'daily-tokens', metric: 'tokens', limit, period: 'day', enforcement: 'hard' }] });
    local.configure({ replyText: longReply });
    external.configure({ replyText: longReply });
    try {
      let calls = 0;
      const countingFetch: typeof fetch = (input, init) => {
        calls += 1;
        return fetch(input, init);
      };
      const client = gatewayClient(testApp, key, team, { maxRetries: 2, fetch: countingFetch });
      const streamOnce = async (): Promise<'ok' | 'insufficient_quota'> => {
        try {
          const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Count to forty please' }], stream: true, max_tokens: maxTokens });
          for await (const _chunk of stream) void _chunk;
          return 'ok';
        } catch (error) {
          if (error instanceof RateLimitError && error.code === 'insufficient_quota') return 'insufficient_quota';
          throw error;
        }
      };
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => streamOnce()));
      expect(outcomes).toContain('insufficient_quota');
      // Settled usage is under the holds: a few more may fit; go on until refused.
      let served = outcomes.filter((outcome) => outcome === 'ok').length;
      for (let attempt = 0; attempt < 50 && (await streamOnce()) === 'ok'; attempt += 1) served += 1;
      const rows = await waitForLogged(testApp, team, served);
      const used = rows.reduce((sum, row) => sum + row.input_tokens + row.output_tokens, 0);
      expect(used).toBeLessThanOrEqual(limit);
      expect(used).toBeGreaterThanOrEqual(limit - (maxTokens + 8));
      // The refusal: 429 insufficient_quota with x-should-retry: false, and the client did not retry it.
      calls = 0;
      const refusal = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Count to forty please' }], max_tokens: maxTokens }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(RateLimitError);
      expect(refusal).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
      expect((refusal as APIError).headers?.get('x-should-retry')).toBe('false');
      expect(calls).toBe(1);
    } finally {
      local.configure({ replyText: 'Hello from the fake upstream, one word at a time.' });
      external.configure({ replyText: 'Hello from the fake upstream, one word at a time.' });
    }
  });

  it('answers rate_limit_exceeded with retry-after, and x-ratelimit-remaining-* while a limit applies', async () => {
    const team = unique('rate');
    await putPolicy(testApp, { name: unique('rate'), scope: { team }, quotas: [{ name: 'per-hour', metric: 'requests', limit: 2, period: 'hour' }] });
    const client = gatewayClient(testApp, key, team);
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one' }] }).withResponse();
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'two' }] });
    const refusal = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'three' }] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RateLimitError);
    expect(refusal).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(Number((refusal as APIError).headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('masks personal data before the node sees it, and keeps such a request on premises though an external node comes first', async () => {
    const team = unique('pii');
    await putPolicy(testApp, { name: unique('pii'), scope: { team }, pii: { detectors: { email: 'mask' }, keepOnPremises: true } });
    const client = gatewayClient(testApp, key, team);
    const localBefore = local.requests.length;
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Write to alice@example.com today' }] });
    expect(local.requests.length).toBe(localBefore + 1);
    const seen = local.requests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(seen.messages.map((message) => message.content)).toEqual(['Be brief.', 'Write to [EMAIL_1] today']);
    expect(JSON.stringify(external.requests.map((request) => request.body))).not.toContain('alice@example.com');
    // Without personal data the preferred (external) node serves it.
    const externalBefore = external.requests.length;
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Nothing personal here' }] });
    expect(external.requests.length).toBe(externalBefore + 1);
    const rows = await waitForLogged(testApp, team, 2);
    const personal = rows.find((row) => row.node === 'local-vllm')!;
    expect(personal).toMatchObject({ location: 'on-premises', pii_action: 'mask' });
    expect(personal.pii_findings).toEqual({ email: 1 });
    expect(personal.prompt).not.toContain('alice@example.com');
    // No on-premises node serves this model: refused rather than sent outside.
    const refusal = await client.chat.completions.create({ model: 'ext-only-model', messages: [{ role: 'user', content: 'mail bob@example.com' }] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PermissionDeniedError);
    expect(refusal).toMatchObject({ code: 'on_premises_required' });
  });

  it('blocks a request whose personal data a policy blocks: 400 content_policy_violation', async () => {
    const team = unique('block');
    await putPolicy(testApp, { name: unique('block'), scope: { team }, pii: { detectors: { email: 'block' } } });
    const before = external.requests.length + local.requests.length;
    const refusal = await gatewayClient(testApp, key, team).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'carol@example.com' }] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestError);
    expect(refusal).toMatchObject({ status: 400, code: 'content_policy_violation' });
    expect(external.requests.length + local.requests.length).toBe(before);
  });

  it('fails over to the next node when the first is down, and answers 502 when every node is', async () => {
    const model = unique('failover-model');
    const backup = await startFakeOpenAiUpstream({ models: [model] });
    try {
      await createNode(testApp, { name: unique('dead'), baseUrl: `http://127.0.0.1:${await closedPort()}`, models: [model], routingPreference: 0 });
      await createNode(testApp, { name: unique('backup'), baseUrl: backup.url, models: [model], routingPreference: 5 });
      const team = unique('failover');
      const client = gatewayClient(testApp, key, team);
      const answer = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'still there?' }], stream: true });
      let text = '';
      for await (const chunk of answer) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('Hello from the fake upstream, one word at a time.');
      // A 5xx also fails over to the next node, when nothing was sent yet.
      backup.configure({ error: { status: 503, message: 'overloaded' } });
      const refusal = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'and now?' }] }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(APIError);
      expect((refusal as APIError).status).toBe(503);
      expect((refusal as APIError).message).toContain('overloaded');
      await backup.refuseConnections();
      const down = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'anyone?' }] }).catch((error: unknown) => error);
      expect((down as APIError).status).toBe(502);
      expect((down as APIError).message).not.toContain('127.0.0.1');
      const rows = await waitForLogged(testApp, team, 3);
      expect(rows.map((row) => row.status)).toEqual(['ok', 'error', 'error']);
    } finally {
      await backup.close();
    }
  });

  it('answers 502 when a node breaks off a good answer it began (a broken-off 5xx fails over), and drops the call when a JSON caller leaves', async () => {
    const model = unique('broken-model');
    const broken = await startFakeOpenAiUpstream({ models: [model], breakOffAnswerWithStatus: 200 });
    const second = await startFakeOpenAiUpstream({ models: [model] });
    try {
      await createNode(testApp, { name: unique('broken'), baseUrl: broken.url, models: [model], routingPreference: 0 });
      await createNode(testApp, { name: unique('second'), baseUrl: second.url, models: [model], routingPreference: 5 });
      const team = unique('broken-off');
      const client = gatewayClient(testApp, key, team);
      const refusal = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'half an answer?' }] }).catch((error: unknown) => error);
      expect((refusal as APIError).status).toBe(502);
      expect((refusal as APIError).message).toContain('broke off');
      // The node had begun answering: the request ran there, so it is not sent to the next node.
      expect(second.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(0);
      const [row] = await waitForLogged(testApp, team, 1);
      expect(row).toMatchObject({ status: 'error', error_type: 'upstream_disconnected' });

      // A 5xx that breaks off is still a 5xx: the next node answers.
      broken.configure({ breakOffAnswerWithStatus: 503 });
      const failedOver = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'anyone else?' }] });
      expect(failedOver.choices[0].message.content).toBe('Hello from the fake upstream, one word at a time.');
      expect(second.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(1);

      // A caller that leaves before a JSON answer comes: the node's call is dropped, and the request logged.
      broken.configure({ breakOffAnswerWithStatus: undefined, firstTokenDelayMilliseconds: 5_000 });
      const abort = new AbortController();
      const leaving = client.chat.completions.create({ model, messages: [{ role: 'user', content: 'take your time' }] }, { signal: abort.signal }).catch(() => undefined);
      await broken.waitFor(() => broken.requests.filter((request) => request.path === '/v1/chat/completions').length >= 3, 'the third call reached the node');
      abort.abort();
      await leaving;
      await broken.waitFor(() => broken.abortedCount() >= 1, 'the node call dropped');
      const rows = await waitForLogged(testApp, team, 3);
      expect(rows.map((logged) => logged.error_type).sort()).toEqual(['', 'client_disconnected', 'upstream_disconnected']);
    } finally {
      await broken.close();
      await second.close();
    }
  });

  it('aborts the upstream call when the client disconnects mid-stream, and logs and settles what was used', async () => {
    const team = unique('disconnect');
    const limit = 100_000;
    await putPolicy(testApp, { name: unique('tokens'), scope: { team }, quotas: [{ name: 'tokens', metric: 'tokens', limit, period: 'day', enforcement: 'hard' }] });
    local.configure({ replyText: longReply, chunkDelayMilliseconds: 40 });
    external.configure({ replyText: longReply, chunkDelayMilliseconds: 40 });
    try {
      const client = gatewayClient(testApp, key, team);
      const abort = new AbortController();
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Count slowly' }], stream: true, max_tokens: 30 }, { signal: abort.signal });
      let contentChunks = 0;
      await (async () => {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta?.content) contentChunks += 1;
          if (contentChunks === 3) abort.abort();
        }
      })().catch(() => undefined);
      await external.waitFor(() => external.abortedCount() >= 1, 'the upstream call aborted');
      const [row] = await waitForLogged(testApp, team, 1);
      expect(row).toMatchObject({ status: 'error', error_type: 'client_disconnected', node: 'hosted-openai' });
      expect(row.output_tokens).toBeGreaterThanOrEqual(3);
      expect(row.output_tokens).toBeLessThan(30);
      // Settled: the next request's hold starts from what the broken one used, not from its hold.
      const next = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).withResponse();
      const remaining = Number(next.response.headers.get('x-ratelimit-remaining-tokens'));
      const used = row.input_tokens + row.output_tokens;
      expect(limit - used - remaining).toBeGreaterThanOrEqual(5);
      expect(limit - used - remaining).toBeLessThanOrEqual(10);
    } finally {
      local.configure({ replyText: 'Hello from the fake upstream, one word at a time.', chunkDelayMilliseconds: 0 });
      external.configure({ replyText: 'Hello from the fake upstream, one word at a time.', chunkDelayMilliseconds: 0 });
    }
  });

  it('reaches anthropic nodes through the Messages API and answers in OpenAI\'s shape, streaming too', async () => {
    const team = unique('claude');
    const client = gatewayClient(testApp, key, team);
    const answer = await client.chat.completions.create({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: 'Hello Claude' }], max_tokens: 50 });
    expect(answer.object).toBe('chat.completion');
    expect(answer.choices[0].message.content).toBe('Hello from the fake upstream, one word at a time.');
    expect(answer.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 10 });
    const seen = anthropic.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['x-api-key']).toBe('sk-ant-secret');
    expect(seen.body).toMatchObject({ system: 'Be kind.', messages: [{ role: 'user', content: 'Hello Claude' }], max_tokens: 50 });
    const stream = await client.chat.completions.create({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'Stream it' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the fake upstream, one word at a time.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 10 });
    const rows = await waitForLogged(testApp, team, 2);
    expect(rows.every((row) => row.node === 'hosted-claude' && row.status === 'ok')).toBe(true);
  });

  it('answers bad input and bad keys in OpenAI\'s shape, with nothing forwarded', async () => {
    const before = external.requests.length + local.requests.length;
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${testApp.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body });
    const malformed = await post('{"model": "gpt-4o-mini", ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await malformed.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null, message: expect.any(String) as string } });
    const missingModel = await post(JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(missingModel.status).toBe(400);
    expect(await missingModel.json()).toMatchObject({ error: { param: 'model' } });
    const oversized = await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'request_too_large' } });
    const unknownModel = await gatewayClient(testApp, key, unique('unknown')).chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(unknownModel).toBeInstanceOf(NotFoundError);
    expect(unknownModel).toMatchObject({ code: 'model_not_found' });
    const badKey = await gatewayClient(testApp, 'wk_not_a_key_at_all_000000000', 'x').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(badKey).toBeInstanceOf(AuthenticationError);
    expect(badKey).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    // An ingest key is not a gateway key.
    const wrongScope = await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }), { authorization: `Bearer ${testApp.ingestKey}` });
    expect(wrongScope.status).toBe(401);
    expect(((await wrongScope.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    expect(external.requests.length + local.requests.length).toBe(before);
  });
});

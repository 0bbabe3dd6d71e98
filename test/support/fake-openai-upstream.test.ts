/**
 * The fake upstream, driven by the official openai client (v6) as the gateway tests will drive it through
 * Warden, and by plain fetch for Anthropic's Messages API: each behaviour switch does what it says, and the
 * request log shows what the upstream saw.
 */
import OpenAI, { APIConnectionError, BadRequestError, InternalServerError, NotFoundError, RateLimitError, AuthenticationError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPortBaseUrl, replyChunks, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from './fake-openai-upstream';

const REPLY = 'Hello from the fake upstream, one word at a time.';

let upstream: FakeOpenAiUpstream;
beforeAll(async () => {
  upstream = await startFakeOpenAiUpstream();
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await upstream.close();
});

const client = (options: { maxRetries?: number; apiKey?: string; baseURL?: string } = {}): OpenAI =>
  new OpenAI({ apiKey: options.apiKey ?? 'sk-test', baseURL: options.baseURL ?? upstream.baseUrl, maxRetries: options.maxRetries ?? 0 });

describe('fake OpenAI upstream, through the openai client', () => {
  it('lists its models', async () => {
    upstream.configure({ models: ['llama-3.1-8b', 'bge-small'] });
    const page = await client().models.list();
    expect(page.data.map((model) => model.id)).toEqual(['llama-3.1-8b', 'bge-small']);
  });

  it('answers a chat completion with usage, and records what it received', async () => {
    const completion = await client().chat.completions.create({
      model: 'fake-chat-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello to the gateway please' },
      ],
      temperature: 0,
    });
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 8, completion_tokens: 10, total_tokens: 18 });

    expect(upstream.requests).toHaveLength(1);
    const seen = upstream.requests[0];
    expect(seen).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, aborted: false });
    expect(seen?.headers.authorization).toBe('Bearer sk-test');
    expect(seen?.body).toEqual({
      model: 'fake-chat-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello to the gateway please' },
      ],
      temperature: 0,
    });
    expect(seen?.receivedAt).toBeInstanceOf(Date);
  });

  it('streams chat chunks, then a usage chunk with no choices when include_usage is asked, then [DONE]', async () => {
    upstream.configure({ replyText: 'one two three', promptTokens: 42, completionTokens: 3 });
    const stream = await client().chat.completions.create({
      model: 'fake-chat-model',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 42, completion_tokens: 3, total_tokens: 45 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(upstream.requests[0]?.chunksSent).toBe(3);
  });

  it('omits usage when told to (as engines without usage reporting do), even with include_usage', async () => {
    upstream.configure({ omitUsage: true });
    const stream = await client().chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage !== undefined)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const plain = await client().chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.usage).toBeUndefined();
  });

  it('cuts the reply at max_tokens with finish_reason length', async () => {
    const completion = await client().chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 3 });
    expect(completion.choices[0]?.message.content).toBe(replyChunks(REPLY).slice(0, 3).join(''));
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('answers legacy completions, plain and streamed', async () => {
    const completion = await client().completions.create({ model: 'fake-chat-model', prompt: 'Once upon a time' });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toBe(REPLY);
    expect(completion.usage).toEqual({ prompt_tokens: 4, completion_tokens: 10, total_tokens: 14 });
    const stream = await client().completions.create({ model: 'fake-chat-model', prompt: 'Once', stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(REPLY);
    expect(usage).toEqual({ prompt_tokens: 1, completion_tokens: 10, total_tokens: 11 });
  });

  it('embeds deterministically, in base64 (the client\'s default) and as floats', async () => {
    const viaBase64 = await client().embeddings.create({ model: 'fake-embedding-model', input: ['alpha beta', 'gamma'] });
    expect(upstream.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
    expect(viaBase64.data).toHaveLength(2);
    expect(viaBase64.data[0]?.embedding).toHaveLength(8);
    expect(viaBase64.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    const viaFloats = await client().embeddings.create({ model: 'fake-embedding-model', input: 'alpha beta', encoding_format: 'float' });
    // float32 in base64 loses precision beyond ~7 digits; the vectors are the same otherwise.
    viaFloats.data[0]?.embedding.forEach((value, index) => expect(viaBase64.data[0]?.embedding[index]).toBeCloseTo(value, 6));
    expect(viaBase64.data[1]?.embedding).not.toEqual(viaBase64.data[0]?.embedding);
  });
});

describe('fake OpenAI upstream: failures the gateway must handle', () => {
  it('5xx as InternalServerError; the client retries it unless x-should-retry: false', async () => {
    upstream.configure({ error: { status: 500, message: 'engine crashed' } });
    const failure = await client().chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InternalServerError);
    expect((failure as InternalServerError).error).toEqual({ message: 'engine crashed', type: 'server_error', param: null, code: null });
    expect(upstream.requests).toHaveLength(1);

    upstream.reset();
    upstream.configure({ error: { status: 503, message: 'overloaded', times: 1 } });
    const retried = await new OpenAI({ apiKey: 'sk-test', baseURL: upstream.baseUrl, maxRetries: 2 }).chat.completions.create(
      { model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }] },
      { timeout: 10_000 },
    );
    expect(retried.choices[0]?.message.content).toBe(REPLY);
    expect(upstream.requests.map((request) => request.status)).toEqual([503, 200]);

    upstream.reset();
    upstream.configure({ error: { status: 500, headers: { 'x-should-retry': 'false' } } });
    await expect(new OpenAI({ apiKey: 'sk-test', baseURL: upstream.baseUrl, maxRetries: 2 }).models.list()).rejects.toBeInstanceOf(InternalServerError);
    expect(upstream.requests).toHaveLength(1);
  });

  it('4xx in OpenAI\'s shape: rate limit, unknown model, bad request, bad key', async () => {
    upstream.configure({ error: { status: 429, message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } } });
    const limited = await client().chat.completions.create({ model: 'fake-chat-model', messages: [] }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).code).toBe('rate_limit_exceeded');
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('1');

    upstream.reset();
    const unknown = await client().chat.completions.create({ model: 'gpt-nonexistent', messages: [] }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).code).toBe('model_not_found');

    const malformed = await fetch(`${upstream.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const missingModel = await client().chat.completions.create({ messages: [] } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((error: unknown) => error);
    expect(missingModel).toBeInstanceOf(BadRequestError);
    expect((missingModel as BadRequestError).param).toBe('model');

    upstream.configure({ apiKey: 'node-secret' });
    await expect(client({ apiKey: 'wrong' }).models.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect((await client({ apiKey: 'node-secret' }).models.list()).data.length).toBe(2);
  });

  it('refused connections as APIConnectionError: a closed port, and the upstream switched off and on', async () => {
    const closed = await client({ baseURL: await closedPortBaseUrl() }).models.list().catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(APIConnectionError);

    await upstream.refuseConnections();
    await expect(client().models.list()).rejects.toBeInstanceOf(APIConnectionError);
    await upstream.acceptConnections();
    expect((await client().models.list()).data.length).toBe(2);
  });

  it('disconnects mid-stream after K chunks: the client has K chunks and an error; not counted as a client abort', async () => {
    upstream.configure({ disconnectAfterChunks: 2, chunkDelayMilliseconds: 5 });
    const stream = await client().chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(received.join('')).toBe(replyChunks(REPLY).slice(0, 2).join(''));
    await upstream.waitFor(() => upstream.inFlight() === 0, 'the stream closed');
    expect(upstream.requests[0]).toMatchObject({ chunksSent: 2, disconnectedByUpstream: true, aborted: false });
    expect(upstream.abortedCount()).toBe(0);
  });

  it('holds the first token for firstTokenDelay, then streams', async () => {
    upstream.configure({ firstTokenDelayMilliseconds: 300 });
    const started = performance.now();
    const stream = await client().chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let firstContentAt: number | undefined;
    for await (const chunk of stream) if (firstContentAt === undefined && chunk.choices[0]?.delta.content) firstContentAt = performance.now();
    // A lower bound only: the delay is the upstream's own wait, never shortened by load.
    expect((firstContentAt as number) - started).toBeGreaterThanOrEqual(290);
  });

  it('counts requests in flight and sees a client that aborts mid-stream', async () => {
    upstream.configure({ chunkDelayMilliseconds: 100, replyText: Array.from({ length: 50 }, (_, index) => `w${index}`).join(' ') });
    const openai = client();
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const streams = await Promise.all(
      controllers.map((controller) => openai.chat.completions.create({ model: 'fake-chat-model', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal })),
    );
    await upstream.waitFor(() => upstream.inFlight() === 3, 'three requests in flight');
    expect(upstream.maxInFlight()).toBe(3);

    const iterations = streams.map(async (stream) => {
      let chunks = 0;
      try {
        for await (const _chunk of stream) chunks += 1;
      } catch {
        // aborted by the test
      }
      return chunks;
    });
    await upstream.waitFor(() => upstream.requests.every((request) => request.chunksSent >= 2), 'two chunks on each stream');
    for (const controller of controllers) controller.abort();
    const counts = await Promise.all(iterations);
    await upstream.waitFor(() => upstream.inFlight() === 0, 'the upstream to see the aborts');
    expect(upstream.abortedCount()).toBe(3);
    expect(upstream.requests.every((request) => request.aborted && request.chunksSent < 50)).toBe(true);
    expect(counts.every((count) => count >= 2 && count < 50)).toBe(true);
  });
});

describe('fake upstream: Anthropic Messages API', () => {
  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${upstream.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test', ...headers },
      body: JSON.stringify(body),
    });

  it('answers a message with usage', async () => {
    upstream.configure({ models: ['claude-sonnet-4-5'] });
    const response = await post({ model: 'claude-sonnet-4-5', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'msg-fake-1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: REPLY }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 4, output_tokens: 10 },
    });
    expect(upstream.requests[0]?.headers['x-api-key']).toBe('sk-ant-test');
  });

  it('streams Anthropic\'s event sequence', async () => {
    upstream.configure({ models: ['claude-sonnet-4-5'], replyText: 'a b c' });
    const response = await post({ model: 'claude-sonnet-4-5', max_tokens: 2, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        const data = JSON.parse((dataLine ?? '').replace(/^data: /, '')) as { type: string; delta?: { text?: string; stop_reason?: string }; usage?: unknown };
        expect(eventLine).toBe(`event: ${data.type}`);
        return data;
      });
    expect(events.map((event) => event.type)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(events.filter((event) => event.type === 'content_block_delta').map((event) => event.delta?.text).join('')).toBe('a b ');
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 2 } });
  });

  it('answers errors in Anthropic\'s shape, and checks x-api-key', async () => {
    upstream.configure({ models: ['claude-sonnet-4-5'], error: { status: 529, message: 'Overloaded' } });
    const overloaded = await post({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] });
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

    upstream.reset();
    upstream.configure({ models: ['claude-sonnet-4-5'], apiKey: 'sk-ant-right' });
    expect((await post({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] })).status).toBe(401);
    expect((await post({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] }, { 'x-api-key': 'sk-ant-right' })).status).toBe(200);
  });
});

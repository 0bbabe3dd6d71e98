/**
 * A fake upstream inference node for gateway tests: a real HTTP server (node:http, loopback, random port)
 * speaking the OpenAI protocol (and Anthropic's Messages API, for anthropic-kind nodes), never a mocked call.
 *
 *   GET  /v1/models, /v1/models/{id}
 *   POST /v1/chat/completions   JSON, or SSE with `stream: true` (`stream_options.include_usage` → a last chunk
 *                               with `choices: []` and `usage`, as OpenAI sends it), then `data: [DONE]`
 *   POST /v1/completions        the same, as text_completion
 *   POST /v1/embeddings         deterministic vectors; `encoding_format: "base64"` (the openai client's default)
 *                               answers little-endian float32 in base64
 *   POST /v1/messages           Anthropic: a message, or its SSE events (message_start … message_stop)
 *
 * The reply is `replyText` cut into word chunks (one chunk = one completion token; `max_tokens` /
 * `max_completion_tokens` cut it short with finish_reason `length`). Prompt tokens are the words of the prompt
 * unless `promptTokens` is set. A model not in `models` gets OpenAI's 404 `model_not_found`; bad JSON or a missing
 * `model` get 400 `invalid_request_error`. With `apiKey` set, OpenAI paths need `Authorization: Bearer <key>`
 * and /v1/messages needs `x-api-key: <key>`.
 *
 * Tests switch behaviour with `configure()` (or per request with `behaviourFor`), read what the upstream saw
 * in `requests` (method, path, headers, parsed body, time, aborted), and watch `inFlight()`, `abortedCount()`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface UpstreamErrorAnswer {
  readonly status: number;
  readonly message?: string;
  /** OpenAI's `error.type` (default: `server_error` for 5xx, `invalid_request_error` otherwise); on /v1/messages Anthropic's. */
  readonly type?: string;
  readonly code?: string | null;
  readonly param?: string | null;
  /** Extra response headers: `retry-after`, `x-should-retry`, … */
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer this many requests with the error, then behave normally; undefined: every request. */
  readonly times?: number;
}

export interface UpstreamBehaviour {
  readonly models: readonly string[];
  readonly replyText: string;
  /** undefined: the words of the prompt. */
  readonly promptTokens?: number;
  /** undefined: the number of chunks sent. */
  readonly completionTokens?: number;
  /** No `usage` anywhere (OpenAI paths), as some engines answer. */
  readonly omitUsage: boolean;
  /** Wait before the first token (streaming: the headers go at once, the first chunk after the wait). */
  readonly firstTokenDelayMilliseconds: number;
  readonly chunkDelayMilliseconds: number;
  /** Streaming: destroy the connection after this many content chunks. Non-streaming: destroy it instead of answering. */
  readonly disconnectAfterChunks?: number;
  /** Non-streaming: answer this status with its headers and half a body, then destroy the connection. */
  readonly breakOffAnswerWithStatus?: number;
  readonly error?: UpstreamErrorAnswer;
  readonly apiKey?: string;
  readonly embeddingDimensions: number;
}

export const DEFAULT_UPSTREAM_BEHAVIOUR: UpstreamBehaviour = {
  models: ['fake-chat-model', 'fake-embedding-model'],
  replyText: 'Hello from the fake upstream, one word at a time.',
  omitUsage: false,
  firstTokenDelayMilliseconds: 0,
  chunkDelayMilliseconds: 0,
  embeddingDimensions: 8,
};

export interface UpstreamRequest {
  /** 1, 2, … in arrival order. */
  readonly sequence: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The JSON body, parsed; undefined when absent or not JSON. */
  readonly body: unknown;
  readonly receivedAt: Date;
  /** HTTP status sent; undefined until the headers went out. */
  status: number | undefined;
  /** The client went away before the answer was complete. */
  aborted: boolean;
  /** The upstream cut the connection on purpose (disconnectAfterChunks). */
  disconnectedByUpstream: boolean;
  /** Content chunks written (streaming). */
  chunksSent: number;
  completedAt: Date | undefined;
}

export interface FakeOpenAiUpstream {
  /** http://127.0.0.1:PORT (no /v1) */
  readonly url: string;
  /** url + '/v1', what the openai client takes as baseURL */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: UpstreamRequest[];
  configure(patch: Partial<UpstreamBehaviour>): void;
  /** Computed per request after the global behaviour; return a patch for that request only. */
  behaviourFor(decide: ((request: UpstreamRequest) => Partial<UpstreamBehaviour> | undefined) | undefined): void;
  /** Back to the defaults (and the options started with); clears the request log and counters. */
  reset(): void;
  inFlight(): number;
  maxInFlight(): number;
  abortedCount(): number;
  /** Closes the port and every connection: new connections are refused until acceptConnections(). */
  refuseConnections(): Promise<void>;
  acceptConnections(): Promise<void>;
  waitFor(condition: () => boolean, description: string, timeoutMilliseconds?: number): Promise<void>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function words(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/** Text of a chat/Anthropic content field: a string, or an array of parts with `text`. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join(' ');
  return '';
}

function promptText(path: string, body: Json): string {
  if (path === '/v1/chat/completions' || path === '/v1/messages') {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const system = path === '/v1/messages' ? contentText(body.system) : '';
    return [system, ...messages.map((message) => (isRecord(message) ? contentText(message.content) : ''))].join(' ');
  }
  const input = path === '/v1/completions' ? body.prompt : body.input;
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) return input.map((item) => (typeof item === 'string' ? item : Array.isArray(item) ? item.join(' ') : String(item))).join(' ');
  return '';
}

/** The reply cut into chunks of one word each, keeping every space, so the chunks join back to the text. */
export function replyChunks(text: string): string[] {
  const chunks = text.match(/\s*\S+\s*/g) ?? [];
  return chunks.length === 0 ? [text] : chunks;
}

function maxTokens(body: Json): number | undefined {
  for (const field of ['max_completion_tokens', 'max_tokens']) {
    const value = body[field];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

/** Deterministic unit-scale vector for a text: the same text always embeds the same. */
function embed(text: string, dimensions: number): number[] {
  const vector: number[] = [];
  for (let index = 0; index < dimensions; index += 1) {
    const digest = createHash('sha256').update(`${index}:${text}`).digest();
    vector.push(Math.round((digest.readUInt32LE(0) / 0xffffffff) * 2_000_000 - 1_000_000) / 1_000_000);
  }
  return vector;
}

function float32Base64(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer.toString('base64');
}

function anthropicErrorType(status: number): string {
  const types: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 529: 'overloaded_error' };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<boolean> {
  if (milliseconds <= 0) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, milliseconds);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export async function startFakeOpenAiUpstream(initial: Partial<UpstreamBehaviour> = {}): Promise<FakeOpenAiUpstream> {
  let behaviour: UpstreamBehaviour = { ...DEFAULT_UPSTREAM_BEHAVIOUR, ...initial };
  let decidePerRequest: ((request: UpstreamRequest) => Partial<UpstreamBehaviour> | undefined) | undefined;
  const requests: UpstreamRequest[] = [];
  let sequence = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let aborted = 0;
  let errorsAnswered = 0;
  const sockets = new Set<Socket>();

  const sendJson = (record: UpstreamRequest, response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    record.status = status;
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake_${record.sequence}`, ...headers }).end(JSON.stringify(body));
  };

  const sendError = (record: UpstreamRequest, response: ServerResponse, error: UpstreamErrorAnswer): void => {
    const message = error.message ?? `The fake upstream answers ${error.status}.`;
    const body =
      record.path === '/v1/messages'
        ? { type: 'error', error: { type: error.type ?? anthropicErrorType(error.status), message } }
        : { error: { message, type: error.type ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error'), param: error.param ?? null, code: error.code ?? null } };
    sendJson(record, response, error.status, body, { ...error.headers });
  };

  const handle = async (record: UpstreamRequest, response: ServerResponse, signal: AbortSignal): Promise<void> => {
    const rules: UpstreamBehaviour = { ...behaviour, ...(decidePerRequest?.(record) ?? {}) };
    const route = `${record.method} ${record.path.startsWith('/v1/models/') ? '/v1/models/{id}' : record.path}`;
    const anthropic = record.path === '/v1/messages';

    if (rules.apiKey !== undefined) {
      const presented = anthropic ? record.headers['x-api-key'] : record.headers.authorization;
      if (presented !== (anthropic ? rules.apiKey : `Bearer ${rules.apiKey}`)) {
        return sendError(record, response, { status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' });
      }
    }
    if (rules.error !== undefined && (rules.error.times === undefined || errorsAnswered < rules.error.times)) {
      errorsAnswered += 1;
      if (!(await sleep(rules.firstTokenDelayMilliseconds, signal))) return;
      return sendError(record, response, rules.error);
    }

    if (route === 'GET /v1/models') {
      return sendJson(record, response, 200, { object: 'list', data: rules.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake-upstream' })) });
    }
    if (route === 'GET /v1/models/{id}') {
      const id = decodeURIComponent(record.path.slice('/v1/models/'.length));
      if (!rules.models.includes(id)) return sendError(record, response, { status: 404, message: `The model \`${id}\` does not exist or you do not have access to it.`, code: 'model_not_found' });
      return sendJson(record, response, 200, { id, object: 'model', created: 1_700_000_000, owned_by: 'fake-upstream' });
    }
    const postRoutes = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/messages'];
    if (record.method !== 'POST' || !postRoutes.includes(record.path)) {
      return sendError(record, response, { status: 404, message: `Invalid URL (${record.method} ${record.path})` });
    }
    if (!isRecord(record.body)) {
      return sendError(record, response, { status: 400, message: 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)' });
    }
    const body = record.body;
    const model = body.model;
    if (typeof model !== 'string' || model === '') {
      return sendError(record, response, { status: 400, message: 'you must provide a model parameter', param: 'model' });
    }
    if (!rules.models.includes(model)) {
      return sendError(record, response, { status: 404, message: `The model \`${model}\` does not exist or you do not have access to it.`, code: 'model_not_found' });
    }

    const promptTokens = rules.promptTokens ?? words(promptText(record.path, body));
    if (record.path === '/v1/embeddings') {
      const inputs = Array.isArray(body.input) && !body.input.every((item) => typeof item === 'number') ? body.input : [body.input];
      const base64 = body.encoding_format === 'base64';
      const data = inputs.map((input, index) => {
        const vector = embed(typeof input === 'string' ? input : JSON.stringify(input), rules.embeddingDimensions);
        return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
      });
      if (!(await sleep(rules.firstTokenDelayMilliseconds, signal))) return;
      return sendJson(record, response, 200, { object: 'list', data, model, ...(rules.omitUsage ? {} : { usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }) });
    }

    const allChunks = replyChunks(rules.replyText);
    const limit = maxTokens(body);
    const chunks = limit === undefined ? allChunks : allChunks.slice(0, limit);
    const finishReason = chunks.length < allChunks.length ? 'length' : 'stop';
    const completionTokens = rules.completionTokens ?? chunks.length;
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const created = Math.floor(record.receivedAt.getTime() / 1000);
    const id = `${anthropic ? 'msg' : record.path === '/v1/completions' ? 'cmpl' : 'chatcmpl'}-fake-${record.sequence}`;

    if (body.stream !== true) {
      const generation = rules.firstTokenDelayMilliseconds + Math.max(0, chunks.length - 1) * rules.chunkDelayMilliseconds;
      if (!(await sleep(generation, signal))) return;
      if (rules.disconnectAfterChunks !== undefined) {
        record.disconnectedByUpstream = true;
        response.socket?.destroy();
        return;
      }
      if (rules.breakOffAnswerWithStatus !== undefined) {
        record.disconnectedByUpstream = true;
        const promised = JSON.stringify({ id, object: 'chat.completion', created, model, choices: [] });
        response.writeHead(rules.breakOffAnswerWithStatus, { 'content-type': 'application/json', 'content-length': String(promised.length) });
        response.write(promised.slice(0, promised.length / 2), () => response.socket?.destroy());
        return;
      }
      const text = chunks.join('');
      if (anthropic) {
        return sendJson(record, response, 200, {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text }],
          stop_reason: finishReason === 'length' ? 'max_tokens' : 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: promptTokens, output_tokens: completionTokens },
        });
      }
      const choice =
        record.path === '/v1/completions'
          ? { text, index: 0, logprobs: null, finish_reason: finishReason }
          : { index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finishReason };
      return sendJson(record, response, 200, {
        id,
        object: record.path === '/v1/completions' ? 'text_completion' : 'chat.completion',
        created,
        model,
        choices: [choice],
        system_fingerprint: 'fp_fake',
        ...(rules.omitUsage ? {} : { usage }),
      });
    }

    // Streaming: headers now, the first token after its delay, then one chunk per chunkDelay.
    record.status = 200;
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': `req_fake_${record.sequence}` });
    response.flushHeaders();
    const includeUsage = !rules.omitUsage && isRecord(body.stream_options) && body.stream_options.include_usage === true;
    // Resolves once the bytes left for the socket: a disconnect must come after the chunks it follows.
    const event = (data: unknown, name?: string): Promise<void> =>
      new Promise((resolve) => {
        response.write(`${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`, () => resolve());
      });
    const openAiChunk = (choices: unknown[], extra: Json = {}): Promise<void> =>
      event({
        id,
        object: record.path === '/v1/completions' ? 'text_completion' : 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      });
    const contentChoice = (text: string, finish: string | null = null): unknown =>
      record.path === '/v1/completions' ? { text, index: 0, logprobs: null, finish_reason: finish } : { index: 0, delta: finish === null ? { content: text } : {}, logprobs: null, finish_reason: finish };

    if (!(await sleep(rules.firstTokenDelayMilliseconds, signal))) return;
    if (anthropic) {
      void event({ type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: promptTokens, output_tokens: 1 } } }, 'message_start');
      void event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
      void event({ type: 'ping' }, 'ping');
    } else if (record.path === '/v1/chat/completions') {
      void openAiChunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
    }
    for (let index = 0; index < chunks.length; index += 1) {
      if (index > 0 && !(await sleep(rules.chunkDelayMilliseconds, signal))) return;
      if (signal.aborted) return;
      const text = chunks[index] as string;
      const written = anthropic ? event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta') : openAiChunk([contentChoice(text)]);
      record.chunksSent += 1;
      if (rules.disconnectAfterChunks !== undefined && record.chunksSent >= rules.disconnectAfterChunks) {
        await written;
        record.disconnectedByUpstream = true;
        response.socket?.destroy();
        return;
      }
    }
    if (anthropic) {
      void event({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
      void event({ type: 'message_delta', delta: { stop_reason: finishReason === 'length' ? 'max_tokens' : 'end_turn', stop_sequence: null }, usage: { output_tokens: completionTokens } }, 'message_delta');
      void event({ type: 'message_stop' }, 'message_stop');
      response.end();
      return;
    }
    void openAiChunk([contentChoice('', finishReason)]);
    if (includeUsage) void openAiChunk([], { usage });
    response.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const stop = new AbortController();
    let record: UpstreamRequest | undefined;
    response.on('close', () => {
      inFlight -= 1;
      if (!response.writableFinished) {
        stop.abort();
        if (record !== undefined && !record.disconnectedByUpstream) {
          record.aborted = true;
          aborted += 1;
        }
      }
      if (record !== undefined) record.completedAt = new Date();
    });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://upstream');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody === '' ? undefined : (JSON.parse(rawBody) as unknown);
      } catch {
        body = undefined;
      }
      sequence += 1;
      record = {
        sequence,
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        rawBody,
        body,
        receivedAt: new Date(),
        status: undefined,
        aborted: false,
        disconnectedByUpstream: false,
        chunksSent: 0,
        completedAt: undefined,
      };
      requests.push(record);
      const current = record;
      handle(current, response, stop.signal).catch((error: unknown) => {
        if (!response.headersSent) sendError(current, response, { status: 500, message: `fake upstream failed: ${String(error)}` });
        else response.destroy();
      });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  let port = 0;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const closePort = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    configure: (patch) => {
      behaviour = { ...behaviour, ...patch };
      if ('error' in patch) errorsAnswered = 0;
    },
    behaviourFor: (decide) => {
      decidePerRequest = decide;
    },
    reset: () => {
      behaviour = { ...DEFAULT_UPSTREAM_BEHAVIOUR, ...initial };
      sequence = 0;
      decidePerRequest = undefined;
      requests.length = 0;
      maxInFlight = inFlight;
      aborted = 0;
      errorsAnswered = 0;
    },
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    abortedCount: () => aborted,
    refuseConnections: closePort,
    acceptConnections: listen,
    waitFor: async (condition, description, timeoutMilliseconds = 10_000) => {
      const started = Date.now();
      while (!condition()) {
        if (Date.now() - started > timeoutMilliseconds) throw new Error(`fake upstream: timed out waiting for ${description}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: closePort,
  };
}

/** A loopback URL (with /v1) on which nothing listens: connections are refused. */
export async function closedPortBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

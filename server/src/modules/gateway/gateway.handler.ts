import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { ACCESS_PORT, type AccessPort } from '../../engine/auth/access-port';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { RoutableNode } from '../nodes/nodes.service';
import { DecisionService } from '../policies/decision.service';
import type { AuthorizeOutcome } from '../policies/decisions/decision-answers';
import type { ReservationContext } from '../policies/decisions/reservation-token';
import { remainingByMetric } from '../policies/rules';
import { AnthropicStreamTranslator, fromAnthropicError, fromAnthropicMessage, toAnthropicRequest } from './anthropic-translation';
import { GatewayEventLog } from './gateway-event-log';
import { applyRedactedText, estimateInputTokens, operationOfPath, pathOfOperation, readGatewayRequest, textSeparator, type GatewayRequest } from './gateway-request';
import { NodeDirectory } from './node-directory';
import { GatewayError, invalidApiKey, invalidRequest, refusalError, typeForStatus } from './openai-errors';
import { generatedText, OpenAiStreamTracker, usageOf, type ReportedUsage } from './openai-stream-tracker';
import { countTokens } from './token-counter';
import { authHeaders, upstreamTarget } from './upstream-url';
import { AnswerBrokenOff, ClientGoneSignal, requestWhole, type WholeAnswer } from './whole-answer';

/** The caller behind a gateway key, as the access port answers it (a team once keys carry one). */
interface GatewayCaller {
  keyId: string;
  team: string;
}

/** A team for keys that belong to none: the `x-warden-team` header, else this one. */
export const DEFAULT_GATEWAY_TEAM = 'default';

/** What one admitted request did, for settling and the log. */
interface Served {
  node: RoutableNode | null;
  status: 'ok' | 'error';
  errorType: string;
  usage: ReportedUsage | null;
  completion: string;
  ttftMs: number | null;
  /** Something was generated (or may have been): settle rather than release. */
  ran: boolean;
}

const connectErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EPIPE']);
const timeoutErrorCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCode(error: unknown): string {
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof cause === 'string' ? cause : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The OpenAI-compatible gateway (issue 8 §2): authenticate with a `gateway` key → one decision (allow-list, quota
 * reservation, personal data) → route to an enabled, healthy node serving the model → relay the answer unchanged
 * (streams too) → settle the reservation with the real usage → log the request once. Served straight from the HTTP
 * server, ahead of the generic body parser and Nest's routing, so the hot path does no work it does not need; access
 * still goes through the access port, and every answer carries `x-request-id`.
 */
@Injectable()
export class GatewayHandler {
  private readonly logger = new Logger('Gateway');
  private readonly dispatcher: Dispatcher;
  private lastFailureLog = 0;
  /** Key lookups under way: a burst of requests with one key asks the access port once, not once each. */
  private readonly keyLookups = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(ACCESS_PORT) private readonly access: AccessPort,
    private readonly decisions: DecisionService,
    private readonly directory: NodeDirectory,
    private readonly events: GatewayEventLog,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {
    // Pooled keep-alive connections to every node.
    this.dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connect: { timeout: 5_000 } });
  }

  /** Whether a path is the gateway's: the four endpoints and `/v1/models/{id}` (not /v1/traces, OTLP's). */
  static handles(path: string): boolean {
    return Object.hasOwn(operationOfPath, path) || path === '/v1/models' || path.startsWith('/v1/models/');
  }

  /** Every gateway answer carries one (`x-request-id`), refusals included. */
  static newRequestId(): string {
    return `req_${randomUUID().replaceAll('-', '')}`;
  }

  async handle(incoming: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const requestId = GatewayHandler.newRequestId();
    response.setHeader('x-request-id', requestId);
    try {
      await this.serve(incoming, response, path, requestId);
    } catch (error) {
      if (response.headersSent) {
        if (!response.writableEnded) response.end();
        return;
      }
      if (error instanceof GatewayError) return this.sendError(response, error);
      this.logger.error(`request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.sendError(response, new GatewayError(500, 'server_error', 'internal_error', 'The gateway failed to handle the request; the server log has the details'));
    }
  }

  private async serve(incoming: IncomingMessage, response: ServerResponse, path: string, requestId: string): Promise<void> {
    const operation = operationOfPath[path];
    const expectedMethod = operation ? 'POST' : 'GET';
    if (incoming.method !== expectedMethod) {
      incoming.resume();
      throw new GatewayError(405, 'invalid_request_error', 'method_not_allowed', `${incoming.method} is not supported on ${path}: use ${expectedMethod}`);
    }
    const caller = await this.authenticate(incoming);
    if (!operation) return this.listModels(response, caller, path);
    const raw = await this.readBody(incoming);
    const gatewayRequest = readGatewayRequest(operation, raw);
    await this.complete(incoming, response, gatewayRequest, caller, requestId);
  }

  private async authenticate(incoming: IncomingMessage): Promise<GatewayCaller> {
    const header = incoming.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      incoming.resume();
      throw invalidApiKey('You didn\'t provide an API key. Send "Authorization: Bearer <key>" with a Warden key of scope gateway.');
    }
    const secret = match[1];
    let lookup = this.keyLookups.get(secret);
    if (!lookup) {
      lookup = this.access.resolveApiKey(secret, 'gateway').finally(() => this.keyLookups.delete(secret));
      this.keyLookups.set(secret, lookup);
    }
    const principal = (await lookup) as (Record<string, unknown> & { keyId?: string }) | null;
    if (!principal) {
      incoming.resume();
      throw invalidApiKey('Incorrect API key provided: unknown, revoked, expired, or without the gateway scope.');
    }
    const keyTeam = typeof principal.team === 'string' && principal.team !== '' ? principal.team : undefined;
    const headerTeam = incoming.headers['x-warden-team'];
    const team = keyTeam ?? (typeof headerTeam === 'string' && headerTeam.trim() !== '' ? headerTeam.trim().slice(0, 256) : DEFAULT_GATEWAY_TEAM);
    return { keyId: principal.keyId ?? '', team };
  }

  private readBody(incoming: IncomingMessage): Promise<Buffer> {
    const limit = this.config.gateway.maxBodyBytes;
    const tooLarge = () => new GatewayError(413, 'invalid_request_error', 'request_too_large', `The request body is larger than ${limit} bytes (WARDEN_GATEWAY_MAX_BODY_BYTES).`);
    const declared = Number(incoming.headers['content-length']);
    if (declared > limit) {
      incoming.resume();
      return Promise.reject(tooLarge());
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          incoming.removeAllListeners('data');
          incoming.resume();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
      incoming.on('error', reject);
    });
  }

  private async listModels(response: ServerResponse, caller: GatewayCaller, path: string): Promise<void> {
    const served = await this.directory.servedModels();
    const allowed = await this.decisions.allowedModels({ team: caller.team, keyId: caller.keyId }, served);
    const model = (id: string) => ({ id, object: 'model', created: 0, owned_by: 'warden' });
    if (path === '/v1/models') return this.sendJson(response, 200, { object: 'list', data: allowed.map(model) });
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    if (!allowed.includes(id)) throw modelNotFound(id);
    this.sendJson(response, 200, model(id));
  }

  private async decide(gatewayRequest: GatewayRequest, caller: GatewayCaller): Promise<AuthorizeOutcome> {
    try {
      return await this.decisions.authorizeRequest(
        {
          team: caller.team,
          ...(gatewayRequest.user ? { user: gatewayRequest.user } : {}),
          model: gatewayRequest.model,
          inputTokens: estimateInputTokens(gatewayRequest),
          ...(gatewayRequest.maxOutputTokens !== undefined ? { maxOutputTokens: gatewayRequest.maxOutputTokens } : {}),
          ...(gatewayRequest.text !== '' ? { text: gatewayRequest.text } : {}),
        },
        { source: 'gateway', keyId: caller.keyId || undefined, keyTeam: caller.team, recordWith: (row) => this.events.recordDecision(row), settlesHere: true },
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Forbidden) throw new GatewayError(403, 'invalid_request_error', 'forbidden', error.message);
      if (error instanceof DomainError && error.code === ErrorCode.Validation) throw invalidRequest(error.message);
      throw error;
    }
  }

  private async complete(incoming: IncomingMessage, response: ServerResponse, gatewayRequest: GatewayRequest, caller: GatewayCaller, requestId: string): Promise<void> {
    const started = Date.now();
    const startedAt = performance.now();
    const outcome = await this.decide(gatewayRequest, caller);
    const answer = outcome.answer;
    if (!answer.allowed) throw refusalError(answer.reason, answer.message, answer.retryAfterSeconds);
    const promptText = gatewayRequest.text;
    let modified = false;
    if (answer.pii.text !== undefined && answer.pii.text !== gatewayRequest.text) {
      if (!applyRedactedText(gatewayRequest, answer.pii.text)) {
        const policy = await this.decisions.resolvePolicy(caller.team, caller.keyId || undefined);
        for (const slot of gatewayRequest.slots) slot.replace(this.decisions.redactText(slot.text, policy.piiActions).text);
      }
      modified = true;
    }
    const holdsQuota = outcome.quotas.length > 0;
    const rateHeaders = rateLimitHeaders(outcome);
    const { usable, servedAnywhere } = await this.directory.candidates(gatewayRequest.model, outcome.onPremisesOnly);
    const nodes = gatewayRequest.operation === 'chat' ? usable : usable.filter((node) => node.kind !== 'anthropic');
    if (nodes.length === 0) {
      if (holdsQuota) await this.release(outcome.reservation);
      if (!servedAnywhere) throw modelNotFound(gatewayRequest.model);
      if (outcome.onPremisesOnly) {
        throw refusalError('on_premises_required', `The request carries personal data a policy keeps on premises, and no on-premises node serving ${gatewayRequest.model} is available.`, undefined);
      }
      throw new GatewayError(502, 'server_error', 'upstream_unavailable', `No node serving ${gatewayRequest.model} is up right now; retry later.`);
    }
    if (gatewayRequest.stream && !gatewayRequest.includeUsage && gatewayRequest.operation !== 'embedding') {
      // Asked on the caller's behalf, for settling; the usage chunk is held back from the caller.
      gatewayRequest.body.stream_options = { ...(isRecord(gatewayRequest.body.stream_options) ? gatewayRequest.body.stream_options : {}), include_usage: true };
      modified = true;
    }
    const openAiBody = modified ? JSON.stringify(gatewayRequest.body) : gatewayRequest.raw;

    // An EventEmitter is a signal undici's request() accepts ('abort' event, `aborted`), as requestWhole does, and
    // much cheaper to make per request than an AbortController (about 2% of the main thread at 64 connections).
    const abort = new ClientGoneSignal();
    let clientGone = false;
    response.on('close', () => {
      if (!response.writableFinished) {
        clientGone = true;
        abort.abort();
      }
    });
    const served = await this.forward(response, gatewayRequest, nodes, openAiBody, abort, () => clientGone, rateHeaders, startedAt);
    const latencyMs = performance.now() - startedAt;

    // Usage: as the node reported it, else counted with the model family's tokenizer (also after a disconnect).
    let usage = served.usage;
    if (!usage && served.ran) {
      usage = {
        inputTokens: countTokens(gatewayRequest.model, gatewayRequest.text.replaceAll(textSeparator, '\n')),
        outputTokens: countTokens(gatewayRequest.model, served.completion),
        cachedInputTokens: 0,
      };
    }
    if (holdsQuota && outcome.reservation) {
      if (served.ran && usage) {
        this.decisions
          .settleReservation(outcome.reservation, { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens })
          .catch((error: unknown) => this.logger.error(`usage of ${requestId} not settled: ${error instanceof Error ? error.message : String(error)}`));
      } else {
        await this.release(outcome.reservation);
      }
    }
    this.events.record(caller.keyId, {
      id: requestId,
      timestamp: new Date(started),
      team: caller.team,
      user: gatewayRequest.user,
      // Hosted APIs price as their provider; a node of our own as the model's (the catalog infers it from the name).
      provider: served.node?.kind === 'openai' || served.node?.kind === 'anthropic' ? served.node.kind : '',
      node: served.node?.name ?? '',
      model: gatewayRequest.model,
      operation: gatewayRequest.operation,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedInputTokens: usage?.cachedInputTokens ?? 0,
      latencyMs: Math.round(latencyMs),
      ttftMs: served.ttftMs === null ? null : Math.round(served.ttftMs),
      status: served.status,
      errorType: served.errorType,
      costUsd: null,
      // The text as the caller sent it: ingest applies the team's policy (mask, hash, no content) and counts findings.
      prompt: promptText.replaceAll(textSeparator, '\n'),
      completion: served.completion,
      metadata: {},
      decisionId: outcome.decisionId,
      location: served.node?.location ?? '',
    });
  }

  private async release(reservation: ReservationContext | null): Promise<void> {
    if (!reservation) return;
    await this.decisions.releaseReservation(reservation).catch((error: unknown) => this.logger.error(`reservation not released: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * Tries the nodes in order: the next one after a refused connection or a 5xx answer, never once a byte went to the
   * caller. Answers the caller (the relayed answer, or the error) and says what happened.
   */
  private async forward(
    response: ServerResponse,
    gatewayRequest: GatewayRequest,
    nodes: RoutableNode[],
    openAiBody: string | Buffer,
    signal: ClientGoneSignal,
    clientGone: () => boolean,
    rateHeaders: Record<string, string>,
    startedAt: number,
  ): Promise<Served> {
    let failure: GatewayError | null = null;
    let failedNode: RoutableNode | null = null;
    for (const node of nodes) {
      const anthropic = node.kind === 'anthropic';
      const path = anthropic ? '/v1/messages' : pathOfOperation[gatewayRequest.operation];
      const body = anthropic ? JSON.stringify(toAnthropicRequest(gatewayRequest.body, gatewayRequest.maxOutputTokens, gatewayRequest.stream)) : openAiBody;
      const call = {
        ...upstreamTarget(node.baseUrl, path),
        method: 'POST' as const,
        headers: { 'content-type': 'application/json', accept: gatewayRequest.stream ? 'text/event-stream' : 'application/json', ...authHeaders(node) },
        body,
        headersTimeout: this.config.gateway.upstreamTimeoutMs,
        bodyTimeout: this.config.gateway.upstreamTimeoutMs,
      };
      let answer: Dispatcher.ResponseData | WholeAnswer;
      try {
        answer = gatewayRequest.stream ? await this.dispatcher.request({ ...call, signal }) : await requestWhole(this.dispatcher, call, signal);
      } catch (error) {
        if (error instanceof AnswerBrokenOff) {
          // A good answer that broke off is a broken relay; an error answer that broke off is still that error (a 5xx
          // fails over).
          if (error.answer.statusCode < 400) return this.brokeOff(response, node, error, clientGone);
          answer = error.answer;
        } else {
          if (clientGone()) return { node, status: 'error', errorType: 'client_disconnected', usage: null, completion: '', ttftMs: null, ran: false };
          const code = errorCode(error);
          this.logFailure(`node ${node.name} failed (${code || (error instanceof Error ? error.message : String(error))})`);
          failedNode = node;
          if (timeoutErrorCodes.has(code)) {
            failure = new GatewayError(504, 'server_error', 'upstream_timeout', `The node did not answer within ${this.config.gateway.upstreamTimeoutMs / 1000} s.`);
            break;
          }
          this.directory.markDown(node.id);
          failure = new GatewayError(502, 'server_error', 'upstream_unavailable', 'The node serving this model could not be reached.');
          if (connectErrorCodes.has(code)) continue;
          break;
        }
      }
      if (answer.statusCode >= 500) {
        const text = await bodyText(answer);
        this.logFailure(`node ${node.name} answered ${answer.statusCode}`);
        failedNode = node;
        failure = upstreamError(answer, text, anthropic);
        continue;
      }
      if (answer.statusCode >= 400) {
        const text = await bodyText(answer);
        this.sendError(response, upstreamError(answer, text, anthropic));
        return { node, status: 'error', errorType: `upstream_${answer.statusCode}`, usage: null, completion: '', ttftMs: null, ran: false };
      }
      if ('bytes' in answer) return this.relayAnswer(response, gatewayRequest, node, answer, rateHeaders, startedAt);
      try {
        return await this.relayStream(response, gatewayRequest, node, answer, rateHeaders, startedAt);
      } catch (error) {
        return this.brokeOff(response, node, error, clientGone);
      }
    }
    this.sendError(response, failure ?? new GatewayError(502, 'server_error', 'upstream_unavailable', 'No node could serve the request.'));
    return { node: failedNode, status: 'error', errorType: failure?.code ?? 'upstream_unavailable', usage: null, completion: '', ttftMs: null, ran: false };
  }

  /** The node's answer broke off after it began: nothing to fail over to. What was generated is still counted. */
  private brokeOff(response: ServerResponse, node: RoutableNode, error: unknown, clientGone: () => boolean): Served {
    if (!response.headersSent) {
      this.sendError(response, new GatewayError(502, 'server_error', 'upstream_unavailable', 'The node broke off its answer.'));
    } else if (!response.writableEnded) response.destroy();
    this.logFailure(`node ${node.name} broke off (${errorCode(error) || (error instanceof Error ? error.message : String(error))})`);
    const partial = (error as { partial?: Served }).partial;
    return partial ?? { node, status: 'error', errorType: clientGone() ? 'client_disconnected' : 'upstream_disconnected', usage: null, completion: '', ttftMs: null, ran: true };
  }

  private relayAnswer(
    response: ServerResponse,
    gatewayRequest: GatewayRequest,
    node: RoutableNode,
    answer: WholeAnswer,
    rateHeaders: Record<string, string>,
    startedAt: number,
  ): Served {
    const bytes = answer.bytes;
    const ttftMs = performance.now() - startedAt;
    const parse = (): unknown => {
      try {
        return JSON.parse(bytes.toString('utf8'));
      } catch {
        return undefined;
      }
    };
    if (node.kind === 'anthropic') {
      const parsed = parse();
      const translated = fromAnthropicMessage(isRecord(parsed) ? parsed : {}, gatewayRequest.model, Math.floor(Date.now() / 1000));
      this.sendJson(response, 200, translated.body, rateHeaders);
      const usage = translated.usage ? { ...translated.usage, cachedInputTokens: 0 } : null;
      return { node, status: 'ok', errorType: '', usage, completion: translated.text, ttftMs, ran: true };
    }
    response.writeHead(200, { 'content-type': String(answer.headers['content-type'] ?? 'application/json'), ...rateHeaders });
    response.end(bytes);
    // Read for the log once the answer is on its way (end() writes it at once): the caller does not wait on it.
    const parsed = parse();
    return { node, status: 'ok', errorType: '', usage: usageOf(parsed), completion: gatewayRequest.operation === 'embedding' ? '' : generatedText(parsed), ttftMs, ran: true };
  }

  private async relayStream(
    response: ServerResponse,
    gatewayRequest: GatewayRequest,
    node: RoutableNode,
    answer: Dispatcher.ResponseData,
    rateHeaders: Record<string, string>,
    startedAt: number,
  ): Promise<Served> {
    const anthropic = node.kind === 'anthropic';
    const openAi = anthropic ? null : new OpenAiStreamTracker(gatewayRequest.includeUsage);
    const translator = anthropic ? new AnthropicStreamTranslator(gatewayRequest.model, Math.floor(Date.now() / 1000), gatewayRequest.includeUsage) : null;
    const decoder = new StringDecoder('utf8');
    let ttftMs: number | null = null;
    const progress = (): Served => {
      const usage = openAi ? openAi.usage : translator!.sawUsage ? { ...translator!.usage, cachedInputTokens: 0 } : null;
      return { node, status: 'ok', errorType: '', usage, completion: openAi ? openAi.text : translator!.text, ttftMs, ran: true };
    };
    response.writeHead(200, {
      'content-type': anthropic ? 'text/event-stream; charset=utf-8' : String(answer.headers['content-type'] ?? 'text/event-stream'),
      'cache-control': 'no-cache',
      ...rateHeaders,
    });
    // What is written in one turn of the event loop leaves in one system call. Node's own batching ends before the
    // upstream body's end reaches this loop, so a short answer cost two writes (its events, then the terminator).
    let flushPending = false;
    const flushAfterThisTurn = () => {
      if (flushPending) return;
      flushPending = true;
      response.cork();
      setImmediate(() => {
        flushPending = false;
        response.uncork();
      });
    };
    try {
      for await (const chunk of answer.body) {
        const text = decoder.write(chunk as Buffer);
        const out = openAi ? openAi.push(text) : translator!.push(text);
        if (out === '') continue;
        if (ttftMs === null) ttftMs = performance.now() - startedAt;
        flushAfterThisTurn();
        if (!response.write(out)) await new Promise<void>((resolve) => response.once('drain', resolve).once('close', resolve));
      }
      const rest = (openAi ? openAi.push(decoder.end()) + openAi.rest() : translator!.push(decoder.end())) ?? '';
      if (rest !== '') response.write(rest);
      response.end();
    } catch (error) {
      const served = progress();
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
        partial: { ...served, status: 'error' as const, errorType: response.destroyed || response.writableEnded ? 'client_disconnected' : 'upstream_disconnected' },
      });
    }
    const served = progress();
    if (openAi && !openAi.done) return { ...served, status: 'error', errorType: 'upstream_disconnected' };
    return served;
  }

  private logFailure(message: string): void {
    // Named in the server log (never to the caller), at most a few lines a second under a storm.
    const now = Date.now();
    if (now - this.lastFailureLog < 200) return;
    this.lastFailureLog = now;
    this.logger.warn(message);
  }

  private sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (response.headersSent) return;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  }

  private sendError(response: ServerResponse, error: GatewayError): void {
    if (response.headersSent) {
      if (!response.writableEnded) response.end();
      return;
    }
    this.sendJson(response, error.status, error.body(), { ...error.headers });
  }
}

function modelNotFound(model: string): GatewayError {
  return new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`, 'model');
}

/** x-ratelimit-* for the tightest hard quota of each metric the request was held against. */
function rateLimitHeaders(outcome: AuthorizeOutcome): Record<string, string> {
  if (outcome.quotas.length === 0) return {};
  const tightest = remainingByMetric(outcome.quotas);
  const headers: Record<string, string> = {};
  if (tightest.requests) {
    headers['x-ratelimit-limit-requests'] = tightest.requests.limit.toString();
    headers['x-ratelimit-remaining-requests'] = tightest.requests.remaining.toString();
    headers['x-ratelimit-reset-requests'] = periodEndText(tightest.requests.resetsAt);
  }
  if (tightest.tokens) {
    headers['x-ratelimit-limit-tokens'] = tightest.tokens.limit.toString();
    headers['x-ratelimit-remaining-tokens'] = tightest.tokens.remaining.toString();
    headers['x-ratelimit-reset-tokens'] = periodEndText(tightest.tokens.resetsAt);
  }
  return headers;
}

/** The last period end written: every request in a period resets at the same instant. */
const lastPeriodEnd = { at: Number.NaN, text: '' };

function periodEndText(resetsAt: Date): string {
  if (resetsAt.getTime() !== lastPeriodEnd.at) {
    lastPeriodEnd.text = resetsAt.toISOString();
    lastPeriodEnd.at = resetsAt.getTime();
  }
  return lastPeriodEnd.text;
}

/** An answer's body as text, for an error; empty when it cannot be read. */
async function bodyText(answer: Dispatcher.ResponseData | WholeAnswer): Promise<string> {
  return 'bytes' in answer ? answer.bytes.toString('utf8') : answer.body.text().catch(() => '');
}

/** A node's error answer in OpenAI's shape, with its status and the headers that tell clients when to retry. */
function upstreamError(answer: Pick<WholeAnswer, 'statusCode' | 'headers'>, text: string, anthropic: boolean): GatewayError {
  const passed: Record<string, string> = {};
  for (const name of ['retry-after', 'x-should-retry']) {
    const value = answer.headers[name];
    if (typeof value === 'string') passed[name] = value;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (anthropic) {
    const error = fromAnthropicError(parsed, answer.statusCode);
    return new GatewayError(answer.statusCode, error.type, null, error.message, null, passed);
  }
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
  const message = typeof error?.message === 'string' ? error.message : text.slice(0, 500) || `The node answered ${answer.statusCode}`;
  return new GatewayError(
    answer.statusCode,
    typeof error?.type === 'string' ? error.type : typeForStatus(answer.statusCode),
    typeof error?.code === 'string' ? error.code : null,
    message,
    typeof error?.param === 'string' ? error.param : null,
    passed,
  );
}

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, DiagLogLevel, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpTraceRequest } from '../../../../server/src/modules/ingest/otlp/decode-otlp-trace-request';
import { inflateOtlpBody, otlpEncodingOf } from '../../../../server/src/modules/ingest/otlp/otlp-body';
import { encodeExportTraceResponse, otlpPartialSuccess } from '../../../../server/src/modules/ingest/otlp/otlp-responses';
import { translateOtlpTraces, type OtlpTranslation } from '../../../../server/src/modules/ingest/otlp/translate-otlp-traces';

// Spans sent by the official OpenTelemetry JS exporters (JSON over HTTP and protobuf, gzip on and off) to a local
// capture server, decoded and translated by the receiver's units, answered with the receiver's partial success. No
// Warden server: these check the decoding of what real exporters put on the wire, and that they read our answer.

// A frozen clock: spans are timed from here, and the ingest rules measure future timestamps from here.
const now = Date.parse('2026-03-02T10:00:00.000Z');
const start = Date.parse('2026-03-02T09:30:00.000Z');

interface Capture {
  contentType: string;
  contentEncoding: string;
  rawBody: Buffer;
  translation: OtlpTranslation;
}

let server: http.Server;
let baseUrl: string;
const captures: Capture[] = [];
const exporterWarnings: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks);
        const contentType = request.headers['content-type'] ?? '';
        const encoding = otlpEncodingOf(contentType);
        if (!encoding) {
          response.writeHead(415).end();
          return;
        }
        const body = await inflateOtlpBody(rawBody, request.headers['content-encoding'], 64 * 1024 * 1024);
        const translation = translateOtlpTraces(decodeOtlpTraceRequest(body, encoding), { now });
        captures.push({ contentType, contentEncoding: request.headers['content-encoding'] ?? 'identity', rawBody, translation });
        const answer = encodeExportTraceResponse(encoding, otlpPartialSuccess(translation));
        response.writeHead(answer.httpStatus, { 'content-type': answer.contentType }).end(answer.body);
      })().catch((error: unknown) => response.writeHead(500).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  diag.setLogger(
    { warn: (...args: unknown[]) => exporterWarnings.push(args.map(String).join(' ')), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.WARN,
  );
});

afterAll(async () => {
  diag.disable();
  await new Promise((resolve) => server.close(resolve));
});

/** One batch as an instrumented support bot would export it: two model calls, an HTTP call, a broken GenAI span. */
async function exportBatch(exporter: SpanExporter): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'warden.team': 'support' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 100, scheduledDelayMillis: 60_000 })],
  });
  const tracer = provider.getTracer('support-bot-tests', '1.0.0');

  const chat = tracer.startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    startTime: new Date(start),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 200,
      'gen_ai.response.time_to_first_chunk': 0.42,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Can I get a refund after 60 days?' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Yes, refunds are accepted for 90 days.' }], finish_reason: 'stop' }]),
      'user.id': 'ana@example.com',
    },
  });
  chat.addEvent('gen_ai.evaluation.result', {
    'gen_ai.evaluation.name': 'hhem-2.1',
    'gen_ai.evaluation.score.value': 0.12,
    'gen_ai.evaluation.explanation': 'The policy in the context allows 30 days, not 90.',
  }, new Date(start + 5000));
  // An integral score: the JS exporters send it as intValue, not doubleValue.
  chat.addEvent('gen_ai.evaluation.result', {
    'gen_ai.evaluation.name': 'phoenix.hallucination',
    'gen_ai.evaluation.score.value': 1,
    'gen_ai.evaluation.score.label': 'hallucinated',
  }, new Date(start + 6000));
  chat.end(new Date(start + 2500));

  const legacy = tracer.startSpan('anthropic.chat', {
    kind: SpanKind.CLIENT,
    startTime: new Date(start + 10_000),
    attributes: {
      'gen_ai.system': 'Anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.prompt_tokens': 800,
      'gen_ai.usage.completion_tokens': 0,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Summarise ticket 4411.',
      'error.type': 'overloaded_error',
    },
  });
  legacy.setStatus({ code: SpanStatusCode.ERROR, message: '529 Overloaded' });
  legacy.end(new Date(start + 10_750));

  const httpCall = tracer.startSpan('GET /orders/A-1187', { kind: SpanKind.CLIENT, startTime: new Date(start + 20_000), attributes: { 'http.request.method': 'GET' } });
  httpCall.end(new Date(start + 20_030));

  const broken = tracer.startSpan('chat', { kind: SpanKind.CLIENT, startTime: new Date(start + 30_000), attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' } });
  broken.end(new Date(start + 30_100));

  await provider.forceFlush();
  await provider.shutdown();
}

const exporters = [
  { label: 'exporter-trace-otlp-http (JSON)', contentType: 'application/json', create: (compression: 'gzip' | 'none') => new HttpJsonTraceExporter({ url: `${baseUrl}/v1/traces`, compression: compression as never }) },
  { label: 'exporter-trace-otlp-proto (protobuf)', contentType: 'application/x-protobuf', create: (compression: 'gzip' | 'none') => new ProtobufTraceExporter({ url: `${baseUrl}/v1/traces`, compression: compression as never }) },
];

describe.each(exporters)('spans from the official $label exporter', ({ contentType, create }) => {
  it.each(['none', 'gzip'] as const)('decode to the same events and scores, compression %s', async (compression) => {
    captures.length = 0;
    exporterWarnings.length = 0;
    await exportBatch(create(compression));

    expect(captures).toHaveLength(1);
    const [capture] = captures;
    expect(capture.contentType).toBe(contentType);
    expect(capture.contentEncoding).toBe(compression === 'gzip' ? 'gzip' : 'identity');
    if (compression === 'gzip') expect(capture.rawBody.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const { translation } = capture;
    expect(translation).toMatchObject({ spans: 4, droppedNotGenAi: 1, droppedNotModelCall: 0, rejectedSpans: 1, rejectedEvaluations: 0, failedEvaluations: 0 });
    expect(translation.problems).toEqual([
      { traceId: expect.stringMatching(/^[0-9a-f]{32}$/), spanId: expect.stringMatching(/^[0-9a-f]{16}$/), spanName: 'chat', subject: 'span', problems: [{ field: 'model (gen_ai.request.model or gen_ai.response.model)', message: 'is required' }] },
    ]);

    const [chat, legacy] = translation.events;
    expect(translation.events).toHaveLength(2);
    expect(chat).toEqual({
      id: `otlp-${chat.traceId}-${chat.spanId}`,
      timestamp: new Date('2026-03-02T09:30:00.000Z'),
      team: 'support',
      user: 'ana@example.com',
      provider: 'openai',
      node: '',
      model: 'gpt-4o',
      operation: 'chat',
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 200,
      latencyMs: 2500,
      ttftMs: 420,
      status: 'ok',
      errorType: '',
      costUsd: null,
      prompt: 'Can I get a refund after 60 days?',
      completion: 'Yes, refunds are accepted for 90 days.',
      metadata: {
        'otel.span.name': 'chat gpt-4o',
        'otel.scope.name': 'support-bot-tests',
        'service.name': 'support-bot',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.response.finish_reasons': 'stop',
      },
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      responseId: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    });
    expect(legacy).toMatchObject({
      timestamp: new Date('2026-03-02T09:30:10.000Z'),
      team: 'support',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      inputTokens: 800,
      outputTokens: 0,
      cachedInputTokens: 0,
      latencyMs: 750,
      ttftMs: null,
      status: 'error',
      errorType: 'overloaded_error',
      prompt: 'Summarise ticket 4411.',
      completion: '',
      responseId: '',
    });
    expect(legacy.traceId).not.toBe(chat.traceId);

    expect(translation.scores).toEqual([
      {
        id: `otlp-${chat.traceId}-${chat.spanId}-e0`,
        requestId: '',
        traceId: chat.traceId,
        spanId: chat.spanId,
        responseId: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
        team: 'support',
        name: 'hhem-2.1',
        value: 0.12,
        label: '',
        source: 'eval',
        evaluator: 'hhem-2.1',
        comment: 'The policy in the context allows 30 days, not 90.',
        timestamp: new Date('2026-03-02T09:30:05.000Z'),
      },
      expect.objectContaining({ id: `otlp-${chat.traceId}-${chat.spanId}-e1`, name: 'phoenix.hallucination', value: 1, label: 'hallucinated', timestamp: new Date('2026-03-02T09:30:06.000Z') }),
    ]);

    // The exporter read our partial success (it logs it as a warning, and does not retry).
    expect(exporterWarnings).toHaveLength(1);
    expect(exporterWarnings[0]).toContain('Received Partial Success response');
    expect(exporterWarnings[0]).toContain('1 of 4 spans refused');
    expect(exporterWarnings[0]).toMatch(/"rejectedSpans":"?1"?/);
  });
});

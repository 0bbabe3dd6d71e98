import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { diag, DiagLogLevel, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpProtoTypes } from '../../../../server/src/modules/ingest/otlp/otlp-proto-types';
import { fixturesDirectory } from '../../../support/test-engines';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { hallucinationRate, postScores } from '../evals/evals-support';

// The OTLP receiver on the real server and engines: the real OpenLLMetry capture, spans from the official
// OpenTelemetry exporters (JSON and protobuf, gzip on and off) sent by this test process, and bad input.

const capture = fs.readFileSync(path.join(fixturesDirectory, 'data/otlp-genai-example.json'));
const captureTraceId = '77d66be22a4ffc8149309684b3a319f7';
const captureSpanId = '76a26812b532f640';
const maxBodyBytes = 256 * 1024;

let testApp: TestApp;
const exporterWarnings: string[] = [];

beforeAll(async () => {
  testApp = await startTestApp({ WARDEN_MAX_BODY_BYTES: String(maxBodyBytes) });
  diag.setLogger(
    { warn: (...args: unknown[]) => exporterWarnings.push(args.map(String).join(' ')), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.WARN,
  );
});
afterAll(async () => {
  diag.disable();
  await testApp?.close();
});

async function postTraces(body: Buffer | string, headers: Record<string, string>) {
  const response = await fetch(`${testApp.baseUrl}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testApp.ingestKey}`, ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

async function storedRequests(where: string, params: Record<string, unknown>) {
  const result = await testApp.engines.clickhouse.query({
    query: `SELECT id, team, model, source, trace_id, span_id, response_id, input_tokens FROM warden.requests FINAL WHERE ${where} ORDER BY id`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return result.json<Record<string, unknown>>();
}

describe('POST /v1/traces with the real capture', () => {
  it('stores the GenAI span as a request with its span identity, once however often it is sent', async () => {
    const answers = [
      await postTraces(capture, { 'content-type': 'application/json' }),
      await postTraces(gzipSync(capture), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^application\/json/);
      // Full success: an ExportTraceServiceResponse with partialSuccess unset.
      expect(JSON.parse(answer.body.toString())).toEqual({});
    }
    expect(await storedRequests('trace_id = {trace:String}', { trace: captureTraceId })).toEqual([
      {
        id: `otlp-${captureTraceId}-${captureSpanId}`,
        team: 'capture',
        model: 'gpt-4o-mini',
        source: 'otlp',
        trace_id: captureTraceId,
        span_id: captureSpanId,
        response_id: 'chatcmpl-CD8yqQ2y3kZs1o0Wm7bT',
        input_tokens: '412',
      },
    ]);
  });

  it('takes the same capture as protobuf and answers in protobuf', async () => {
    const converted = JSON.parse(capture.toString(), (key, value: unknown) => {
      if ((key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string') return Buffer.from(value, 'hex').toString('base64');
      return value;
    }) as Record<string, unknown>;
    const body = Buffer.from(otlpProtoTypes.exportTraceServiceRequest.encode(otlpProtoTypes.exportTraceServiceRequest.fromObject(converted)).finish());
    const answer = await postTraces(body, { 'content-type': 'application/x-protobuf' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/x-protobuf/);
    expect(otlpProtoTypes.exportTraceServiceResponse.toObject(otlpProtoTypes.exportTraceServiceResponse.decode(answer.body))).toEqual({});
    // The same span: still one request.
    expect(await storedRequests('trace_id = {trace:String}', { trace: captureTraceId })).toHaveLength(1);
  });

  it('joins a score sent earlier by the response id, and one sent by trace and span', async () => {
    const scores = await postScores(testApp, [
      { id: 'capture-hhem', responseId: 'chatcmpl-CD8yqQ2y3kZs1o0Wm7bT', team: 'capture', name: 'hhem-2.1', value: 0.93 },
      { id: 'capture-judge', traceId: captureTraceId, spanId: captureSpanId, team: 'capture', name: 'llm_judge.hallucination', value: true },
    ]);
    expect(scores.body).toMatchObject({ accepted: 2 });
    const rows = await hallucinationRate(testApp, '2026-09-07T00:00:00Z', '2026-09-08T00:00:00Z', ['EVALUATOR'], { team: 'capture' });
    expect(rows.map((row) => [row.evaluator, row.requests, row.scored, row.hallucinated])).toEqual([
      ['hhem-2.1', 1, 1, 0],
      ['llm_judge.hallucination', 1, 1, 1],
    ]);
  });
});

/** One batch as an instrumented support bot exports it: a scored chat call, a failed legacy call, an HTTP call, a span without a model. */
async function exportBatch(exporter: SpanExporter, start: number): Promise<{ traceId: string; spanId: string }> {
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
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
    },
  });
  chat.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'hhem-2.1', 'gen_ai.evaluation.score.value': 0.12 }, new Date(start + 5000));
  chat.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'phoenix.hallucination', 'gen_ai.evaluation.score.value': 1, 'gen_ai.evaluation.score.label': 'hallucinated' }, new Date(start + 6000));
  chat.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'nobody.defined.this', 'gen_ai.evaluation.score.value': 3 }, new Date(start + 7000));
  chat.end(new Date(start + 2500));
  const legacy = tracer.startSpan('anthropic.chat', {
    kind: SpanKind.CLIENT,
    startTime: new Date(start + 10_000),
    attributes: { 'gen_ai.system': 'Anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.usage.prompt_tokens': 800, 'error.type': 'overloaded_error' },
  });
  legacy.setStatus({ code: SpanStatusCode.ERROR, message: '529 Overloaded' });
  legacy.end(new Date(start + 10_750));
  tracer.startSpan('GET /orders/A-1187', { kind: SpanKind.CLIENT, startTime: new Date(start + 20_000), attributes: { 'http.request.method': 'GET' } }).end(new Date(start + 20_030));
  tracer.startSpan('chat', { kind: SpanKind.CLIENT, startTime: new Date(start + 30_000), attributes: { 'gen_ai.operation.name': 'chat' } }).end(new Date(start + 30_100));
  await provider.forceFlush();
  await provider.shutdown();
  return chat.spanContext();
}

const exporters = [
  { label: 'exporter-trace-otlp-http (JSON)', create: (url: string, headers: Record<string, string>, compression: string) => new HttpJsonTraceExporter({ url, headers, compression: compression as never }) },
  { label: 'exporter-trace-otlp-proto (protobuf)', create: (url: string, headers: Record<string, string>, compression: string) => new ProtobufTraceExporter({ url, headers, compression: compression as never }) },
];

describe.each(exporters)('spans from the official $label exporter, sent to the server', ({ create }) => {
  it.each(['none', 'gzip'])('are stored as requests and scores, the refused ones named in the partial success (compression %s)', async (compression) => {
    exporterWarnings.length = 0;
    const start = Date.parse('2026-03-02T09:30:00.000Z');
    const chat = await exportBatch(create(`${testApp.baseUrl}/v1/traces`, { Authorization: `Bearer ${testApp.ingestKey}` }, compression), start);

    const stored = await storedRequests('team = {team:String} AND timestamp >= {from:DateTime64(3)} AND timestamp < {to:DateTime64(3)} AND trace_id = {trace:String}', {
      team: 'support', from: '2026-03-02 09:30:00', to: '2026-03-02 09:31:00', trace: chat.traceId,
    });
    expect(stored).toEqual([expect.objectContaining({ id: `otlp-${chat.traceId}-${chat.spanId}`, model: 'gpt-4o', source: 'otlp', span_id: chat.spanId, input_tokens: '1200' })]);
    const scores = await testApp.engines.clickhouse.query({
      query: 'SELECT name, numeric_value, label, hallucinated, source FROM warden.scores FINAL WHERE trace_id = {trace:String} ORDER BY name',
      query_params: { trace: chat.traceId },
      format: 'JSONEachRow',
    });
    expect(await scores.json()).toEqual([
      { name: 'hhem-2.1', numeric_value: 0.12, label: '', hallucinated: 1, source: 'eval' },
      { name: 'phoenix.hallucination', numeric_value: 1, label: 'hallucinated', hallucinated: 1, source: 'eval' },
    ]);
    // The exporter read our partial success: one span without a model, one evaluation of an undefined name.
    expect(exporterWarnings).toHaveLength(1);
    expect(exporterWarnings[0]).toContain('Received Partial Success response');
    expect(exporterWarnings[0]).toContain('1 of 4 spans refused, 1 evaluation events refused');
    expect(exporterWarnings[0]).toContain('no score definition is named \\"nobody.defined.this\\"');
  });
});

describe('what became of every span', () => {
  it('counts spans by outcome, the dropped ones included', async () => {
    const metrics = await fetch(`${testApp.baseUrl}/metrics`).then((response) => response.text());
    const count = (outcome: string) => Number(new RegExp(`^warden_otlp_spans_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    // The capture three times (one request, one workflow span each), four exporter batches of two requests, one
    // HTTP span and one span without a model.
    expect([count('request'), count('dropped_not_genai'), count('rejected'), count('dropped_not_model_call')]).toEqual([3 + 8, 3 + 4, 4, 0]);
  });
});

describe('POST /v1/traces refuses bad input in the OTLP error body', () => {
  it('answers malformed JSON and protobuf 400 with a google.rpc.Status in the request\'s encoding', async () => {
    const json = await postTraces('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    const status = JSON.parse(json.body.toString()) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^Malformed OTLP JSON/);
    const protobuf = await postTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(protobuf.status).toBe(400);
    expect(protobuf.contentType).toMatch(/^application\/x-protobuf/);
    const decoded = otlpProtoTypes.status.toObject(otlpProtoTypes.status.decode(protobuf.body)) as { code: number; message: string };
    expect(decoded.code).toBe(3);
    expect(decoded.message).toMatch(/^Malformed OTLP protobuf/);
  });

  it('answers a body over the limit 413 before parsing it, and a gzip bomb the same', async () => {
    const large = Buffer.alloc(maxBodyBytes + 1, 0x20);
    const tooLarge = await postTraces(large, { 'content-type': 'application/json' });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body.toString())).toMatchObject({ code: 8 });
    const bomb = gzipSync(Buffer.alloc(maxBodyBytes * 8, 0x20));
    expect(bomb.length).toBeLessThan(maxBodyBytes);
    const inflated = await postTraces(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(JSON.parse(inflated.body.toString()).message).toContain('after decompression');
  });

  it('answers a missing or wrong key 401 and an unknown content type 415, in the OTLP shape', async () => {
    const response = await fetch(`${testApp.baseUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(capture) });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 16, message: expect.stringContaining('API key') });
    const wrongKey = await postTraces(capture, { 'content-type': 'application/json', authorization: 'Bearer wk_not_a_key_at_all_0000000000' });
    expect(wrongKey.status).toBe(401);
    const text = await postTraces('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(JSON.parse(text.body.toString())).toMatchObject({ code: 3 });
  });
});

// OTLP decoding speed, JSON and protobuf: spans/s through the receiver's units (inflate, decode, GenAI mapping with
// the ingest rules, evaluation scores), on one core. The bodies are what the official JS exporters put on the wire:
// spans made with the SDK and serialized by @opentelemetry/otlp-transformer, 512 spans a request (the batch span
// processor's default). The whole path into ClickHouse must reach 20,000 spans/s on 2 cores; this part should be far
// above that.
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { report, repositoryRoot, requireBuilt } from './support.mjs';

const require = createRequire(path.join(repositoryRoot, 'package.json'));
const { SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { JsonTraceSerializer, ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer');

const { decodeOtlpTraceJson } = requireBuilt('modules/ingest/otlp/decode-otlp-json.js');
const { decodeOtlpTraceProtobuf } = requireBuilt('modules/ingest/otlp/decode-otlp-protobuf.js');
const { inflateOtlpBody } = requireBuilt('modules/ingest/otlp/otlp-body.js');
const { translateOtlpTraces } = requireBuilt('modules/ingest/otlp/translate-otlp-traces.js');

const spansPerRequest = 512;
const requests = Number(process.env.BENCH_OTLP_REQUESTS ?? 40);
const rounds = 5;

// A support bot's traffic: 4 of 5 spans are model calls (1 in 10 with an evaluation event, 1 in 20 failed), 1 in 5 an
// HTTP call; prompts and answers of a few hundred characters, as content capture records them.
function makeSpans(count, seed) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'warden.team': 'support', 'telemetry.sdk.language': 'nodejs' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench', '1.0.0');
  const start = Date.now() - 3600_000;
  for (let index = 0; index < count; index++) {
    const at = start + index * 10;
    if (index % 5 === 4) {
      const span = tracer.startSpan('GET /orders', { kind: SpanKind.CLIENT, startTime: at, attributes: { 'http.request.method': 'GET', 'url.full': `https://orders.internal/orders/${seed}-${index}`, 'http.response.status_code': 200 } });
      span.end(at + 30);
      continue;
    }
    const question = `Customer ${seed}-${index} asks: where is my order A-${index}? It was due on Monday and the tracking page shows nothing since Friday. `.repeat(2);
    const answer = `Order A-${index} left the warehouse on Saturday and is with the carrier; expect delivery within two working days. `.repeat(2);
    const span = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      startTime: at,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.response.id': `chatcmpl-${seed}-${index}`,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 512,
        'gen_ai.usage.input_tokens': 400 + (index % 300),
        'gen_ai.usage.output_tokens': 80 + (index % 120),
        'gen_ai.usage.cache_read.input_tokens': 128,
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: 'You are a support agent. Answer briefly.' }] },
          { role: 'user', parts: [{ type: 'text', content: question }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: 'stop' }]),
        'user.id': `user-${index % 97}@example.com`,
        'server.address': 'api.openai.com',
      },
    });
    if (index % 10 === 0) {
      span.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'hhem-2.1', 'gen_ai.evaluation.score.value': 0.83, 'gen_ai.evaluation.explanation': 'Consistent with the order record.' }, at + 900);
    }
    if (index % 20 === 1) span.setStatus({ code: SpanStatusCode.ERROR, message: '429' });
    span.end(at + 650);
  }
  return exporter.getFinishedSpans();
}

const bodies = { json: [], protobuf: [] };
for (let index = 0; index < requests; index++) {
  const spans = makeSpans(spansPerRequest, index);
  bodies.json.push(Buffer.from(JsonTraceSerializer.serializeRequest(spans)));
  bodies.protobuf.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)));
}
const gzipped = { json: bodies.json.map((body) => zlib.gzipSync(body)), protobuf: bodies.protobuf.map((body) => zlib.gzipSync(body)) };
const totalSpans = requests * spansPerRequest;
const meanKiB = (list) => (list.reduce((sum, body) => sum + body.length, 0) / list.length / 1024).toFixed(0);
report('requests × spans per request', `${requests} × ${spansPerRequest}`);
report('body size JSON / protobuf, KiB per request', `${meanKiB(bodies.json)} / ${meanKiB(bodies.protobuf)}`);
report('gzipped JSON / protobuf, KiB per request', `${meanKiB(gzipped.json)} / ${meanKiB(gzipped.protobuf)}`);

const decoders = { json: decodeOtlpTraceJson, protobuf: decodeOtlpTraceProtobuf };
const now = Date.now();

/**
 * The best of a few rounds, as spans per second of this process's CPU time (user + system): the machine is shared,
 * and CPU time leaves out the time other processes hold the cores. Wall-clock rates are printed beside.
 */
async function measure(step) {
  let bestCpu = Infinity;
  let bestWall = Infinity;
  for (let round = 0; round < rounds; round++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await step();
    bestWall = Math.min(bestWall, performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  const rate = (milliseconds) => Math.round(totalSpans / (milliseconds / 1000)).toLocaleString('en-US');
  return `${rate(bestCpu)} per CPU-second (${rate(bestWall)} wall)`;
}

for (const format of ['json', 'protobuf']) {
  const decode = decoders[format];
  let check;
  report(`${format}: decode only, spans/s`, await measure(() => {
    for (const body of bodies[format]) decode(body);
  }));
  report(`${format}: decode + map to events and scores, spans/s`, await measure(() => {
    for (const body of bodies[format]) check = translateOtlpTraces(decode(body), { now });
  }));
  report(`${format}: gunzip + decode + map, spans/s`, await measure(async () => {
    for (const body of gzipped[format]) translateOtlpTraces(decode(await inflateOtlpBody(body, 'gzip', 64 * 1024 * 1024)), { now });
  }));
  if (check.events.length + check.droppedNotGenAi !== spansPerRequest || check.rejectedSpans !== 0) {
    throw new Error(`unexpected translation: ${JSON.stringify({ ...check, events: check.events.length, scores: check.scores.length })}`);
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeOtlpTraceJson } from '../../../../server/src/modules/ingest/otlp/decode-otlp-json';
import { translateOtlpTraces, type OtlpTranslation, type OtlpTranslationOptions } from '../../../../server/src/modules/ingest/otlp/translate-otlp-traces';
import { jsonRequest, jsonSpan, spanId, traceId, type SpanOptions } from './otlp-test-support';

// A frozen clock: the ingest rules' future-skew check is measured from here.
const now = Date.parse('2026-09-08T00:00:00Z');
const fixture = fs.readFileSync(path.join(__dirname, '../../../fixtures/data/otlp-genai-example.json'));

function translate(spans: SpanOptions[], resource?: Record<string, unknown>, options: OtlpTranslationOptions = {}): OtlpTranslation {
  return translateOtlpTraces(decodeOtlpTraceJson(JSON.stringify(jsonRequest(spans.map(jsonSpan), resource))), { now, ...options });
}

function onlyEvent(spanOptions: SpanOptions, resource?: Record<string, unknown>, options: OtlpTranslationOptions = {}) {
  const translation = translate([spanOptions], resource, options);
  if (translation.events.length !== 1) throw new Error(`expected one event: ${JSON.stringify(translation.problems)}`);
  return translation.events[0];
}

describe('translateOtlpTraces: the real capture', () => {
  it('maps the OpenLLMetry chat span field by field and drops the workflow span', () => {
    const translation = translateOtlpTraces(decodeOtlpTraceJson(fixture), { now });
    expect(translation).toMatchObject({ spans: 2, droppedNotGenAi: 1, droppedNotModelCall: 0, rejectedSpans: 0, rejectedEvaluations: 0, problems: [], scores: [] });
    expect(translation.events).toEqual([
      {
        id: 'otlp-77d66be22a4ffc8149309684b3a319f7-76a26812b532f640',
        timestamp: new Date('2026-09-07T13:54:23.812Z'),
        team: 'capture',
        user: '',
        provider: 'openai',
        node: '',
        model: 'gpt-4o-mini',
        operation: 'chat',
        inputTokens: 412,
        outputTokens: 27,
        cachedInputTokens: 256,
        latencyMs: 26,
        ttftMs: null,
        status: 'ok',
        errorType: '',
        costUsd: null,
        prompt: 'system: You are a support agent. Use the tools you are given.\n\nuser: Where is order A-1187?',
        completion: '[tool call lookup_order({"order_id":"A-1187"})]',
        metadata: {
          'otel.span.name': 'openai.chat',
          'otel.scope.name': 'opentelemetry.instrumentation.openai.v1',
          'otel.parent_span_id': 'aaa24d5a6cca68bf',
          'service.name': 'capture',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.response.finish_reasons': 'tool_call',
          'gen_ai.usage.reasoning_tokens': '8',
          'traceloop.workflow.name': 'support_triage',
        },
        traceId: '77d66be22a4ffc8149309684b3a319f7',
        spanId: '76a26812b532f640',
        responseId: 'chatcmpl-CD8yqQ2y3kZs1o0Wm7bT',
      },
    ]);
  });

  it('takes the team from the key first, then warden.team, then service.name', () => {
    const request = decodeOtlpTraceJson(fixture);
    expect(translateOtlpTraces(request, { now, keyTeam: 'payments' }).events[0].team).toBe('payments');
    expect(onlyEvent({}, { 'service.name': 'support-bot', 'warden.team': 'support' }).team).toBe('support');
    expect(onlyEvent({}, { 'service.name': 'support-bot' }).team).toBe('support-bot');
    expect(onlyEvent({}, {}).team).toBe('unassigned');
  });
});

describe('translateOtlpTraces: attribute names old and new', () => {
  it('reads the older names: gen_ai.system, prompt_tokens, completion_tokens, the response model alone', () => {
    const event = onlyEvent({
      attributes: { 'gen_ai.system': 'Anthropic', 'gen_ai.response.model': 'claude-sonnet-4-5', 'gen_ai.usage.prompt_tokens': 900, 'gen_ai.usage.completion_tokens': '120', 'llm.request.type': 'chat' },
    });
    expect(event).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 900, outputTokens: 120, cachedInputTokens: 0, operation: 'chat' });
    expect(event.metadata['gen_ai.response.model']).toBeUndefined();
  });

  it('prefers the new names when both are present', () => {
    const event = onlyEvent({
      attributes: {
        'gen_ai.provider.name': 'openai', 'gen_ai.system': 'legacy', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.prompt_tokens': 99,
        'gen_ai.usage.output_tokens': 5, 'gen_ai.usage.completion_tokens': 77,
      },
    });
    expect(event).toMatchObject({ provider: 'openai', inputTokens: 10, outputTokens: 5 });
  });

  it('maps operation names to chat, completion, embedding; unknown ones to chat, kept in metadata', () => {
    const operation = (name: string) => onlyEvent({ attributes: { 'gen_ai.operation.name': name, 'gen_ai.request.model': 'm' } });
    expect(operation('chat').operation).toBe('chat');
    expect(operation('generate_content').operation).toBe('chat');
    expect(operation('text_completion').operation).toBe('completion');
    expect(operation('embeddings').operation).toBe('embedding');
    const unknown = operation('rerank');
    expect(unknown.operation).toBe('chat');
    expect(unknown.metadata['gen_ai.operation.name']).toBe('rerank');
  });

  it('counts cached input tokens inside input tokens, adding them when the sender counted them apart', () => {
    const inclusive = onlyEvent({ attributes: { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.cache_read.input_tokens': 600 } });
    expect(inclusive).toMatchObject({ inputTokens: 1000, cachedInputTokens: 600 });
    expect(inclusive.metadata['warden.input_tokens_note']).toBeUndefined();
    const older = onlyEvent({ attributes: { 'gen_ai.request.model': 'm', 'gen_ai.usage.prompt_tokens': 1000, 'gen_ai.usage.cache_read_input_tokens': 300 } });
    expect(older).toMatchObject({ inputTokens: 1000, cachedInputTokens: 300 });
    // Anthropic's usage: input_tokens leaves out cache reads (2000) and writes (500).
    const exclusive = onlyEvent({
      attributes: { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 40, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_creation.input_tokens': 500 },
    });
    expect(exclusive).toMatchObject({ inputTokens: 2540, cachedInputTokens: 2000 });
    expect(exclusive.metadata['warden.input_tokens_note']).toMatch(/cache tokens added/);
    expect(exclusive.metadata['gen_ai.usage.cache_creation.input_tokens']).toBe('500');
  });

  it('takes start as the timestamp and the span duration as latency', () => {
    const event = onlyEvent({ durationMs: 1234.4 });
    expect(event.timestamp.toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(event.latencyMs).toBe(1234);
  });

  it('reads time to first token from the attribute (seconds), vLLM\'s name, or the first chunk event', () => {
    expect(onlyEvent({ attributes: { 'gen_ai.request.model': 'm', 'gen_ai.response.time_to_first_chunk': 0.35 } }).ttftMs).toBe(350);
    expect(onlyEvent({ attributes: { 'gen_ai.response.model': 'llama', 'gen_ai.latency.time_to_first_token': 0.0454 } }).ttftMs).toBe(45);
    const byEvent = onlyEvent({
      attributes: { 'gen_ai.request.model': 'm' },
      events: [{ name: 'llm.content.completion.chunk', timeUnixNano: String(1772443800000000000n + 180_400_000n) }, { name: 'llm.content.completion.chunk' }],
    });
    expect(byEvent.ttftMs).toBe(180);
    expect(onlyEvent({}).ttftMs).toBeNull();
  });

  it('marks an errored span: error.type, else the exception event, else the status message', () => {
    const errorAttribute = onlyEvent({ attributes: { 'gen_ai.request.model': 'm', 'error.type': 'rate_limit_exceeded' }, status: { code: 2, message: '429' } });
    expect(errorAttribute).toMatchObject({ status: 'error', errorType: 'rate_limit_exceeded' });
    const exception = onlyEvent({ status: { code: 'STATUS_CODE_ERROR' }, events: [{ name: 'exception', attributes: { 'exception.type': 'openai.APITimeoutError', 'exception.message': 'timed out' } }] });
    expect(exception).toMatchObject({ status: 'error', errorType: 'openai.APITimeoutError' });
    expect(onlyEvent({ status: { code: 2, message: 'upstream closed' } })).toMatchObject({ status: 'error', errorType: 'upstream closed' });
    expect(onlyEvent({ status: { code: 2 } }).errorType).toBe('error');
    expect(onlyEvent({ status: { code: 1 } })).toMatchObject({ status: 'ok', errorType: '' });
  });

  it('takes the user and the node from span or resource attributes', () => {
    const event = onlyEvent({ attributes: { 'gen_ai.request.model': 'm', 'user.id': 'u-17', 'warden.node': 'gpu-node-2' } });
    expect(event).toMatchObject({ user: 'u-17', node: 'gpu-node-2' });
    expect(onlyEvent({}, { 'service.name': 's', 'enduser.id': 'u-9', 'warden.node': 'gpu-node-1' })).toMatchObject({ user: 'u-9', node: 'gpu-node-1' });
  });
});

describe('translateOtlpTraces: what is dropped and what is refused', () => {
  it('counts and drops spans without GenAI attributes, and GenAI spans that are not model calls', () => {
    const translation = translate([
      { attributes: { 'http.request.method': 'POST' } },
      { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order' }, spanId: 'aaaaaaaaaaaaaaa1' },
      { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 5000 }, spanId: 'aaaaaaaaaaaaaaa2' },
      { spanId: 'aaaaaaaaaaaaaaa3' },
    ]);
    expect(translation).toMatchObject({ spans: 4, droppedNotGenAi: 1, droppedNotModelCall: 2, rejectedSpans: 0 });
    expect(translation.events.map((event) => event.spanId)).toEqual(['aaaaaaaaaaaaaaa3']);
  });

  it('refuses a span without a model, with bad ids or bad token counts, naming the attribute; keeps the good ones', () => {
    const translation = translate([
      { attributes: { 'gen_ai.operation.name': 'chat' }, spanId: 'bbbbbbbbbbbbbbb1', name: 'no model' },
      { traceId: 'xyz', spanId: '0000000000000000' },
      { attributes: { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': -3 }, spanId: 'bbbbbbbbbbbbbbb3' },
      { spanId: 'bbbbbbbbbbbbbbb4' },
    ]);
    expect(translation.rejectedSpans).toBe(3);
    expect(translation.events.map((event) => event.spanId)).toEqual(['bbbbbbbbbbbbbbb4']);
    expect(translation.problems).toEqual([
      { traceId, spanId: 'bbbbbbbbbbbbbbb1', spanName: 'no model', subject: 'span', problems: [{ field: 'model (gen_ai.request.model or gen_ai.response.model)', message: 'is required' }] },
      {
        traceId: 'xyz', spanId: '0000000000000000', spanName: 'chat gpt-4o', subject: 'span',
        problems: [{ field: 'traceId', message: 'must be 32 hex digits, not all zero' }, { field: 'spanId', message: 'must be 16 hex digits, not all zero' }],
      },
      { traceId, spanId: 'bbbbbbbbbbbbbbb3', spanName: 'chat gpt-4o', subject: 'span', problems: [{ field: 'gen_ai.usage.input_tokens', message: 'must be a whole number of tokens, 0 or more' }] },
    ]);
  });

  it('refuses a span from more than a day in the future, by the ingest rules', () => {
    const translation = translateOtlpTraces(decodeOtlpTraceJson(fixture), { now: Date.parse('2026-03-01T00:00:00Z') });
    expect(translation.rejectedSpans).toBe(1);
    expect(translation.problems[0].problems).toEqual([{ field: 'timestamp (startTimeUnixNano)', message: 'is more than 24 hours in the future' }]);
  });

  it('cuts a long span attribute to the 4,096 characters metadata takes, instead of refusing the span', () => {
    const event = onlyEvent({ name: 'n'.repeat(5000), attributes: { 'gen_ai.request.model': 'm', 'gen_ai.conversation.id': 'c'.repeat(4097) } });
    expect(event.metadata['otel.span.name']).toHaveLength(4096);
    expect(event.metadata['gen_ai.conversation.id']).toHaveLength(4096);
  });

  it('keeps the span identity on the event so a score sent later finds it', () => {
    const event = onlyEvent({ attributes: { 'gen_ai.request.model': 'm', 'gen_ai.response.id': 'resp_123' } });
    expect(event).toMatchObject({ id: `otlp-${traceId}-${spanId}`, traceId, spanId, responseId: 'resp_123' });
  });
});

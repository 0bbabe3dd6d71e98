import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { decodeOtlpTraceJson } from '../../../../server/src/modules/ingest/otlp/decode-otlp-json';
import { jsonRequest, jsonSpan } from './otlp-test-support';

const fixture = fs.readFileSync(path.join(__dirname, '../../../fixtures/data/otlp-genai-example.json'));

function refusal(body: unknown): DomainError {
  try {
    decodeOtlpTraceJson(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('decoded a malformed request');
}

describe('decodeOtlpTraceJson', () => {
  it('decodes the real OpenLLMetry capture: string kinds, string int64s, arrays, empty status', () => {
    const request = decodeOtlpTraceJson(fixture);
    expect(request.resourceSpans).toHaveLength(2);
    const [chatResource, workflowResource] = request.resourceSpans;
    expect(chatResource.resourceAttributes.get('service.name')).toBe('capture');
    expect(chatResource.scopeSpans[0]).toMatchObject({ scopeName: 'opentelemetry.instrumentation.openai.v1', scopeVersion: '0.62.3' });
    const chat = chatResource.scopeSpans[0].spans[0];
    expect(chat).toMatchObject({
      traceId: '77d66be22a4ffc8149309684b3a319f7',
      spanId: '76a26812b532f640',
      parentSpanId: 'aaa24d5a6cca68bf',
      name: 'openai.chat',
      kind: 3,
      startTimeUnixNano: 1788789263812545000n,
      endTimeUnixNano: 1788789263838423000n,
      statusCode: 0,
      statusMessage: '',
      events: [],
    });
    expect(chat.attributes.get('gen_ai.usage.input_tokens')).toBe(412);
    expect(chat.attributes.get('gen_ai.request.temperature')).toBe(0.7);
    expect(chat.attributes.get('gen_ai.is_streaming')).toBe(false);
    expect(chat.attributes.get('gen_ai.response.finish_reasons')).toEqual(['tool_call']);
    expect(chat.attributes.size).toBe(21);
    expect(workflowResource.scopeSpans[0].spans[0]).toMatchObject({ name: 'support_triage.workflow', kind: 1, parentSpanId: '' });
    expect(workflowResource.scopeSpans[0]).toMatchObject({ scopeName: 'traceloop.tracer', scopeVersion: '' });
  });

  it('reads every AnyValue variant, 64-bit integers as strings or numbers, beyond 2^53 as bigint', () => {
    const span = jsonSpan();
    span.attributes = [
      { key: 's', value: { stringValue: 'text' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'i-string', value: { intValue: '-42' } },
      { key: 'i-number', value: { intValue: 42 } },
      { key: 'i-big', value: { intValue: '9223372036854775807' } },
      { key: 'd', value: { doubleValue: 0.25 } },
      { key: 'd-string', value: { doubleValue: '1.5' } },
      { key: 'd-nan', value: { doubleValue: 'NaN' } },
      { key: 'd-inf', value: { doubleValue: '-Infinity' } },
      { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 255]).toString('base64') } },
      { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }, {}] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { kvlistValue: { values: [{ key: 'deep', value: { boolValue: false } }] } } }] } } },
      { key: 'empty', value: {} },
      { key: 'absent' },
    ];
    const attributes = decodeOtlpTraceJson(JSON.stringify(jsonRequest([span]))).resourceSpans[0].scopeSpans[0].spans[0].attributes;
    expect(attributes.get('s')).toBe('text');
    expect(attributes.get('b')).toBe(true);
    expect(attributes.get('i-string')).toBe(-42);
    expect(attributes.get('i-number')).toBe(42);
    expect(attributes.get('i-big')).toBe(9223372036854775807n);
    expect(attributes.get('d')).toBe(0.25);
    expect(attributes.get('d-string')).toBe(1.5);
    expect(attributes.get('d-nan')).toBeNaN();
    expect(attributes.get('d-inf')).toBe(-Infinity);
    expect(attributes.get('bytes')).toEqual(new Uint8Array([1, 2, 255]));
    expect(attributes.get('array')).toEqual(['a', 2, null]);
    expect(attributes.get('kv')).toEqual(new Map([['inner', new Map([['deep', false]])]]));
    expect(attributes.get('empty')).toBeNull();
    expect(attributes.get('absent')).toBeNull();
  });

  it('reads kinds and status codes as integers or names, ids case-insensitively, times as numbers too', () => {
    const span = { ...jsonSpan(), kind: 'SPAN_KIND_SERVER', traceId: '5B8EFFF798038103D269B633813FC60C', startTimeUnixNano: 1772443800000000000, status: { code: 'STATUS_CODE_ERROR', message: 'boom' } };
    const decoded = decodeOtlpTraceJson(JSON.stringify(jsonRequest([span, { ...jsonSpan(), kind: 2, status: { code: 2 } }]))).resourceSpans[0].scopeSpans[0].spans;
    expect(decoded[0]).toMatchObject({ kind: 2, traceId: '5b8efff798038103d269b633813fc60c', statusCode: 2, statusMessage: 'boom', startTimeUnixNano: 1772443800000000000n });
    expect(decoded[1]).toMatchObject({ kind: 2, statusCode: 2 });
  });

  it('ignores unknown fields, as the specification requires, and reads an empty export', () => {
    const request = jsonRequest([{ ...jsonSpan(), futureField: { anything: 1 }, droppedAttributesCount: 3, links: [{ traceId: 'x' }] }]);
    (request as Record<string, unknown>).extra = true;
    expect(decodeOtlpTraceJson(JSON.stringify(request)).resourceSpans[0].scopeSpans[0].spans[0].name).toBe('chat gpt-4o');
    expect(decodeOtlpTraceJson('{}')).toEqual({ resourceSpans: [] });
    expect(decodeOtlpTraceJson('{"resourceSpans":[{"scopeSpans":[{"spans":[]}]}]}').resourceSpans[0].scopeSpans[0]).toEqual({ scopeName: '', scopeVersion: '', spans: [] });
  });

  it('refuses malformed input whole, naming the field for the BadRequest detail', () => {
    const notJson = refusal('{"resourceSpans": [');
    expect(notJson.code).toBe(ErrorCode.MalformedPayload);
    expect(notJson.message).toMatch(/^Malformed OTLP JSON: not JSON/);
    expect(refusal([]).message).toBe('Malformed OTLP JSON at (body): must be an object');
    expect(refusal({ resourceSpans: {} }).message).toBe('Malformed OTLP JSON at resourceSpans: must be an array');
    const badKind = refusal(jsonRequest([{ ...jsonSpan(), kind: true }]));
    expect(badKind.message).toBe('Malformed OTLP JSON at resourceSpans[0].scopeSpans[0].spans[0].kind: must be an enum integer or name');
    expect(badKind.details).toEqual({ fieldViolations: [{ field: 'resourceSpans[0].scopeSpans[0].spans[0].kind', description: 'must be an enum integer or name' }] });
    expect(refusal(jsonRequest([{ ...jsonSpan(), startTimeUnixNano: '-5' }])).message).toMatch(/spans\[0\]\.startTimeUnixNano: must be an unsigned 64-bit integer/);
    const badValue = jsonSpan();
    badValue.attributes = [{ key: 'x', value: { intValue: '1.5' } }];
    expect(refusal(jsonRequest([badValue])).message).toMatch(/spans\[0\]\.attributes\[0\]\.value\.intValue: must be a 64-bit integer/);
    badValue.attributes = [{ key: 'x', value: { stringValue: 5 } }];
    expect(refusal(jsonRequest([badValue])).message).toMatch(/attributes\[0\]\.value\.stringValue: must be a string/);
    badValue.attributes = [{ key: 'x', value: { bytesValue: 'not base64!' } }];
    expect(refusal(jsonRequest([badValue])).message).toMatch(/bytesValue: must be base64/);
  });

  it('refuses attribute values nested past 32 levels instead of recursing without bound', () => {
    let value: unknown = { stringValue: 'bottom' };
    for (let level = 0; level < 40; level++) value = { arrayValue: { values: [value] } };
    const span = jsonSpan();
    span.attributes = [{ key: 'deep', value }];
    expect(refusal(jsonRequest([span])).message).toMatch(/nests deeper than 32 levels/);
  });
});

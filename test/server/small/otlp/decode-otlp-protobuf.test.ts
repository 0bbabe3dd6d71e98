import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { decodeOtlpTraceJson } from '../../../../server/src/modules/ingest/otlp/decode-otlp-json';
import { decodeOtlpTraceProtobuf } from '../../../../server/src/modules/ingest/otlp/decode-otlp-protobuf';
import { otlpProtoTypes } from '../../../../server/src/modules/ingest/otlp/otlp-proto-types';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/data/otlp-genai-example.json'), 'utf8')) as unknown;

/**
 * The capture re-encoded as protobuf: hex ids to bytes, enum names to numbers, string int64s as protobufjs takes
 * them. Both decoders must then hand on the same request.
 */
function captureAsProtobuf(): Uint8Array {
  const converted = JSON.parse(JSON.stringify(fixture), (key, value: unknown) => {
    if ((key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string') return Buffer.from(value, 'hex').toString('base64');
    if (key === 'kind' && typeof value === 'string') return value;
    return value;
  }) as Record<string, unknown>;
  const message = otlpProtoTypes.exportTraceServiceRequest.fromObject(converted);
  return otlpProtoTypes.exportTraceServiceRequest.encode(message).finish();
}

describe('decodeOtlpTraceProtobuf', () => {
  it('decodes the capture to exactly what the JSON decoder reads from it', () => {
    const fromProtobuf = decodeOtlpTraceProtobuf(captureAsProtobuf());
    const fromJson = decodeOtlpTraceJson(JSON.stringify(fixture));
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano).toBe(1788789263812545000n);
  });

  it('reads every AnyValue variant, negative and 64-bit integers exactly', () => {
    const keyValue = (key: string, value: Record<string, unknown>) => ({ key, value });
    const message = otlpProtoTypes.exportTraceServiceRequest.fromObject({
      resourceSpans: [{
        scopeSpans: [{
          spans: [{
            traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
            spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
            kind: 3,
            startTimeUnixNano: '1772443800000000000',
            endTimeUnixNano: '18446744073709551615',
            status: { code: 2, message: 'boom' },
            events: [{ name: 'e', timeUnixNano: '1772443801000000000', attributes: [keyValue('k', { boolValue: true })] }],
            attributes: [
              keyValue('s', { stringValue: 'text' }),
              keyValue('negative', { intValue: '-42' }),
              keyValue('big', { intValue: '9223372036854775807' }),
              keyValue('min', { intValue: '-9223372036854775808' }),
              keyValue('d', { doubleValue: 0.25 }),
              keyValue('bytes', { bytesValue: Buffer.from([1, 2, 255]) }),
              keyValue('array', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }, {}] } }),
              keyValue('kv', { kvlistValue: { values: [keyValue('inner', { boolValue: false })] } }),
              keyValue('empty', {}),
            ],
          }],
        }],
      }],
    });
    const span = decodeOtlpTraceProtobuf(otlpProtoTypes.exportTraceServiceRequest.encode(message).finish()).resourceSpans[0].scopeSpans[0].spans[0];
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: '', kind: 3, statusCode: 2, statusMessage: 'boom',
      startTimeUnixNano: 1772443800000000000n, endTimeUnixNano: 18446744073709551615n,
    });
    expect(span.events).toEqual([{ name: 'e', timeUnixNano: 1772443801000000000n, attributes: new Map([['k', true]]) }]);
    expect(Object.fromEntries(span.attributes)).toEqual({
      s: 'text', negative: -42, big: 9223372036854775807n, min: -9223372036854775808n, d: 0.25, bytes: new Uint8Array([1, 2, 255]),
      array: ['a', 2, null], kv: new Map([['inner', false]]), empty: null,
    });
  });

  it('refuses bytes that are not an ExportTraceServiceRequest', () => {
    let refusal: unknown;
    try {
      decodeOtlpTraceProtobuf(Buffer.from('{"resourceSpans": []}'));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe(ErrorCode.MalformedPayload);
    expect((refusal as DomainError).message).toMatch(/^Malformed OTLP protobuf: not an ExportTraceServiceRequest/);
  });

  it('reads an empty body as an empty export', () => {
    expect(decodeOtlpTraceProtobuf(new Uint8Array(0))).toEqual({ resourceSpans: [] });
  });
});

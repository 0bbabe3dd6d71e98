import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { decodeOtlpTraceJson } from '../../../../server/src/modules/ingest/otlp/decode-otlp-json';
import { otlpProtoTypes } from '../../../../server/src/modules/ingest/otlp/otlp-proto-types';
import { encodeExportTraceResponse, encodeOtlpErrorStatus, otlpErrorAnswer, otlpPartialSuccess } from '../../../../server/src/modules/ingest/otlp/otlp-responses';
import { translateOtlpTraces } from '../../../../server/src/modules/ingest/otlp/translate-otlp-traces';
import { jsonRequest, jsonSpan } from './otlp-test-support';

const now = Date.parse('2026-03-02T10:00:00Z');

function decodeStatus(body: Buffer) {
  return otlpProtoTypes.status.toObject(otlpProtoTypes.status.decode(body), { defaults: true }) as { code: number; message: string; details: { type_url: string; value: Uint8Array }[] };
}

describe('OTLP answers', () => {
  it('answers full success with an empty response, partialSuccess unset, in both encodings', () => {
    expect(encodeExportTraceResponse('json', null)).toEqual({ httpStatus: 200, contentType: 'application/json', body: Buffer.from('{}') });
    const protobuf = encodeExportTraceResponse('protobuf', null);
    expect(protobuf.contentType).toBe('application/x-protobuf');
    expect(protobuf.body).toHaveLength(0);
  });

  it('answers partial success with rejectedSpans and a message naming the spans refused', () => {
    const spans = [
      jsonSpan({ attributes: { 'gen_ai.operation.name': 'chat' }, spanId: 'aaaaaaaaaaaaaaa1', name: 'no model' }),
      jsonSpan({ spanId: 'aaaaaaaaaaaaaaa2' }),
      jsonSpan({ attributes: { 'http.method': 'GET' }, spanId: 'aaaaaaaaaaaaaaa3' }),
    ];
    const translation = translateOtlpTraces(decodeOtlpTraceJson(JSON.stringify(jsonRequest(spans))), { now });
    const partial = otlpPartialSuccess(translation);
    expect(partial).toEqual({
      rejectedSpans: 1,
      errorMessage: '1 of 3 spans refused: span aaaaaaaaaaaaaaa1 "no model": model (gen_ai.request.model or gen_ai.response.model) is required',
    });
    expect(JSON.parse(encodeExportTraceResponse('json', partial).body.toString())).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: partial!.errorMessage } });
    const decoded = otlpProtoTypes.exportTraceServiceResponse.toObject(
      otlpProtoTypes.exportTraceServiceResponse.decode(encodeExportTraceResponse('protobuf', partial).body),
      { longs: Number },
    );
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: partial!.errorMessage } });
  });

  it('names at most five problems, and answers a refused evaluation alone as a warning with rejected 0', () => {
    const spans = Array.from({ length: 7 }, (_, index) => jsonSpan({ attributes: { 'gen_ai.system': 'openai' }, spanId: `bbbbbbbbbbbbbbb${index}` }));
    const many = otlpPartialSuccess(translateOtlpTraces(decodeOtlpTraceJson(JSON.stringify(jsonRequest(spans))), { now }))!;
    expect(many.rejectedSpans).toBe(7);
    expect(many.errorMessage.match(/span bbbbbbbbbbbbbbb\d/g)).toHaveLength(5);
    expect(many.errorMessage.endsWith(' … and 2 more')).toBe(true);

    const evaluationOnly = jsonSpan({ events: [{ name: 'gen_ai.evaluation.result', attributes: { 'gen_ai.evaluation.score.value': 1 } }] });
    const warning = otlpPartialSuccess(translateOtlpTraces(decodeOtlpTraceJson(JSON.stringify(jsonRequest([evaluationOnly]))), { now }));
    expect(warning).toEqual({ rejectedSpans: 0, errorMessage: '1 evaluation events refused: evaluation event 0 of span eee19b7ec3c1b174: gen_ai.evaluation.name is required' });
    expect(otlpPartialSuccess(translateOtlpTraces(decodeOtlpTraceJson(JSON.stringify(jsonRequest([jsonSpan()]))), { now }))).toBeNull();
  });

  it('answers a malformed request 400 with a google.rpc.Status carrying a BadRequest, in both encodings', () => {
    let error: DomainError | undefined;
    try {
      decodeOtlpTraceJson('{"resourceSpans": {}}');
    } catch (caught) {
      error = caught as DomainError;
    }
    const json = otlpErrorAnswer('json', error!);
    expect(json.httpStatus).toBe(400);
    expect(json.contentType).toBe('application/json');
    expect(JSON.parse(json.body.toString())).toEqual({
      code: 3,
      message: 'Malformed OTLP JSON at resourceSpans: must be an array',
      details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'resourceSpans', description: 'must be an array' }] }],
    });
    const protobuf = otlpErrorAnswer('protobuf', error!);
    expect(protobuf).toMatchObject({ httpStatus: 400, contentType: 'application/x-protobuf' });
    const status = decodeStatus(protobuf.body);
    expect(status).toMatchObject({ code: 3, message: 'Malformed OTLP JSON at resourceSpans: must be an array' });
    expect(status.details[0].type_url).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(otlpProtoTypes.badRequest.toObject(otlpProtoTypes.badRequest.decode(status.details[0].value))).toEqual({
      fieldViolations: [{ field: 'resourceSpans', description: 'must be an array' }],
    });
  });

  it('answers other domain errors with their status and no details', () => {
    const tooLarge = otlpErrorAnswer('protobuf', new DomainError(ErrorCode.PayloadTooLarge, 'Body exceeds 10 bytes'));
    expect(tooLarge.httpStatus).toBe(413);
    expect(decodeStatus(tooLarge.body)).toEqual({ code: 8, message: 'Body exceeds 10 bytes', details: [] });
    expect(JSON.parse(otlpErrorAnswer('json', new DomainError(ErrorCode.InvalidApiKey, 'bad key')).body.toString())).toEqual({ code: 16, message: 'bad key' });
    expect(encodeOtlpErrorStatus('json', { httpStatus: 415, grpcCode: 3, message: 'Send application/json or application/x-protobuf' }).httpStatus).toBe(415);
  });
});

import { decodeOtlpTraceJson } from './decode-otlp-json';
import { decodeOtlpTraceProtobuf } from './decode-otlp-protobuf';
import type { OtlpEncoding } from './otlp-body';
import type { OtlpTraceRequest } from './otlp-trace-request';

/** Decodes an (already inflated) ExportTraceServiceRequest in either encoding; malformed → DomainError MalformedPayload. */
export function decodeOtlpTraceRequest(body: Uint8Array, encoding: OtlpEncoding): OtlpTraceRequest {
  return encoding === 'json' ? decodeOtlpTraceJson(body) : decodeOtlpTraceProtobuf(body);
}

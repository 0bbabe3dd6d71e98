// The OTLP receiver's units, for the /v1/traces route: inflate → decode → translate → store events and scores →
// answer. Each step is a pure function; errors are DomainErrors (MalformedPayload 400, PayloadTooLarge 413) that
// otlpErrorAnswer turns into the OTLP error body.
export { inflateOtlpBody, otlpContentTypes, otlpEncodingOf, type OtlpEncoding } from './otlp-body';
export { decodeOtlpTraceRequest } from './decode-otlp-trace-request';
export { decodeOtlpTraceJson } from './decode-otlp-json';
export { decodeOtlpTraceProtobuf } from './decode-otlp-protobuf';
export type { OtlpFieldViolation } from './otlp-decode-error';
export type { OtlpAnyValue, OtlpAttributes, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, OtlpSpanEvent, OtlpTraceRequest } from './otlp-trace-request';
export type { OtlpRequestEvent } from './otlp-request-event';
export { resolveOtlpTeam, translateOtlpTraces, type OtlpSpanProblem, type OtlpTranslation, type OtlpTranslationOptions } from './translate-otlp-traces';
export { isGenAiSpan, mapGenAiSpan, type GenAiSpanContext, type GenAiSpanMapping } from './genai-span-mapping';
export { evaluationEventName, mapEvaluationEvents, type EvaluationEventMapping } from './genai-evaluation-scores';
export {
  encodeExportTraceResponse,
  encodeOtlpErrorStatus,
  grpcStatusCodes,
  otlpErrorAnswer,
  otlpPartialSuccess,
  type OtlpErrorStatus,
  type OtlpHttpAnswer,
  type OtlpPartialSuccess,
} from './otlp-responses';

/**
 * An OTLP ExportTraceServiceRequest as both decoders (JSON and protobuf) hand it on: ids as lowercase hex, times as
 * nanosecond bigints, enums as numbers, attributes as maps. Only what the GenAI mapping reads is kept (links, trace
 * state and dropped counts are not).
 */
export interface OtlpTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

export interface OtlpResourceSpans {
  resourceAttributes: OtlpAttributes;
  scopeSpans: OtlpScopeSpans[];
}

export interface OtlpScopeSpans {
  scopeName: string;
  scopeVersion: string;
  spans: OtlpSpan[];
}

export interface OtlpSpan {
  /** Lowercase hex as sent: 32 digits for a valid id; the mapping refuses others. */
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: OtlpAttributes;
  events: OtlpSpanEvent[];
  /** StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
}

export interface OtlpSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: OtlpAttributes;
}

/**
 * An AnyValue: a 64-bit integer is a number while it is safe, a bigint beyond; bytes are a Uint8Array; a key-value
 * list is a Map; an empty AnyValue is null.
 */
export type OtlpAnyValue = string | number | bigint | boolean | Uint8Array | OtlpAnyValue[] | OtlpAttributes | null;

export type OtlpAttributes = Map<string, OtlpAnyValue>;

export const spanKindNames = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'] as const;
export const statusCodeNames = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
export const statusCodeError = 2;

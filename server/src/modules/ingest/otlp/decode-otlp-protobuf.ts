import { malformedOtlp } from './otlp-decode-error';
import { otlpProtoTypes } from './otlp-proto-types';
import type { OtlpAnyValue, OtlpAttributes, OtlpResourceSpans, OtlpSpan, OtlpTraceRequest } from './otlp-trace-request';

// The decoded messages as protobufjs builds them from the descriptor: camelCase fields, bytes as Uint8Array, 64-bit
// integers as Long (long.js comes with protobufjs) or as numbers where Long is absent.
interface LongBits {
  low: number;
  high: number;
}
type Integer64 = LongBits | number;
interface ProtoKeyValue {
  key: string;
  value?: ProtoAnyValue | null;
}
interface ProtoAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Integer64;
  doubleValue?: number;
  arrayValue?: { values?: ProtoAnyValue[] } | null;
  kvlistValue?: { values?: ProtoKeyValue[] } | null;
  bytesValue?: Uint8Array;
}
interface ProtoSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Integer64;
  endTimeUnixNano: Integer64;
  attributes?: ProtoKeyValue[];
  events?: { name: string; timeUnixNano: Integer64; attributes?: ProtoKeyValue[] }[];
  status?: { code: number; message: string } | null;
}
interface ProtoRequest {
  resourceSpans?: {
    resource?: { attributes?: ProtoKeyValue[] } | null;
    scopeSpans?: { scope?: { name: string; version: string } | null; spans?: ProtoSpan[] }[];
  }[];
}

const maxValueDepth = 32;

/**
 * Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest with protobufjs and the official opentelemetry-proto
 * definitions. Bytes that are not such a message refuse the whole request (a DomainError MalformedPayload).
 */
export function decodeOtlpTraceProtobuf(body: Uint8Array): OtlpTraceRequest {
  let message: ProtoRequest;
  try {
    message = otlpProtoTypes.exportTraceServiceRequest.decode(body) as unknown as ProtoRequest;
  } catch (error) {
    throw malformedOtlp('protobuf', '', `not an ExportTraceServiceRequest (${(error as Error).message})`);
  }
  const resourceSpans: OtlpResourceSpans[] = [];
  for (const resource of message.resourceSpans ?? []) {
    resourceSpans.push({
      resourceAttributes: decodeAttributes(resource.resource?.attributes, 0),
      scopeSpans: (resource.scopeSpans ?? []).map((scope) => ({
        scopeName: scope.scope?.name ?? '',
        scopeVersion: scope.scope?.version ?? '',
        spans: (scope.spans ?? []).map(decodeSpan),
      })),
    });
  }
  return { resourceSpans };
}

function decodeSpan(span: ProtoSpan): OtlpSpan {
  return {
    traceId: hex(span.traceId),
    spanId: hex(span.spanId),
    parentSpanId: hex(span.parentSpanId),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: unsigned64(span.startTimeUnixNano),
    endTimeUnixNano: unsigned64(span.endTimeUnixNano),
    attributes: decodeAttributes(span.attributes, 0),
    events: (span.events ?? []).map((event) => ({
      name: event.name,
      timeUnixNano: unsigned64(event.timeUnixNano),
      attributes: decodeAttributes(event.attributes, 0),
    })),
    statusCode: span.status?.code ?? 0,
    statusMessage: span.status?.message ?? '',
  };
}

function decodeAttributes(entries: ProtoKeyValue[] | undefined, depth: number): OtlpAttributes {
  const attributes: OtlpAttributes = new Map();
  if (!entries) return attributes;
  for (const entry of entries) attributes.set(entry.key, decodeAnyValue(entry.value, depth));
  return attributes;
}

function decodeAnyValue(value: ProtoAnyValue | null | undefined, depth: number): OtlpAnyValue {
  if (!value) return null;
  if (depth > maxValueDepth) throw malformedOtlp('protobuf', '', `an attribute value nests deeper than ${maxValueDepth} levels`);
  // The set member of the oneof is the message's own property (the others are prototype defaults). Asked directly,
  // most frequent first: protobufjs's oneof getter lists the object's keys on every read.
  if (Object.hasOwn(value, 'stringValue')) return value.stringValue ?? '';
  if (Object.hasOwn(value, 'intValue')) return signed64(value.intValue ?? 0);
  if (Object.hasOwn(value, 'doubleValue')) return value.doubleValue ?? 0;
  if (Object.hasOwn(value, 'boolValue')) return value.boolValue ?? false;
  if (Object.hasOwn(value, 'arrayValue')) return (value.arrayValue?.values ?? []).map((item) => decodeAnyValue(item, depth + 1));
  if (Object.hasOwn(value, 'kvlistValue')) return decodeAttributes(value.kvlistValue?.values, depth + 1);
  // A plain Uint8Array, as the JSON decoder hands on (protobufjs gives a Buffer view into the request).
  if (Object.hasOwn(value, 'bytesValue')) return new Uint8Array(value.bytesValue ?? []);
  // Unset, or string_value_strindex (a dictionary index used by profiles only): nothing a trace can resolve.
  return null;
}

function hex(bytes: Uint8Array | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function unsigned64(value: Integer64): bigint {
  if (typeof value === 'number') return BigInt(Math.max(0, Math.trunc(value)));
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

function signed64(value: Integer64): number | bigint {
  if (typeof value === 'number') return value;
  if (value.high === 0 && value.low >= 0) return value.low;
  const big = BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
  const number = Number(big);
  return Number.isSafeInteger(number) ? number : big;
}

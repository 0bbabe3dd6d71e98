import { malformedOtlp } from './otlp-decode-error';
import {
  spanKindNames,
  statusCodeNames,
  type OtlpAnyValue,
  type OtlpAttributes,
  type OtlpResourceSpans,
  type OtlpScopeSpans,
  type OtlpSpan,
  type OtlpSpanEvent,
  type OtlpTraceRequest,
} from './otlp-trace-request';

type JsonObject = Record<string, unknown>;

const maxValueDepth = 32;
const integerPattern = /^-?\d{1,20}$/;
const unsignedPattern = /^\d{1,20}$/;
const kindByName = new Map<string, number>(spanKindNames.map((name, index) => [name, index]));
const statusByName = new Map<string, number>(statusCodeNames.map((name, index) => [name, index]));

/**
 * Decodes an OTLP/HTTP JSON ExportTraceServiceRequest (the OTLP JSON mapping: lowerCamelCase keys, hex trace and span
 * ids, 64-bit integers as strings or numbers, enums as integers or, leniently, as their names). Unknown fields are
 * ignored as the specification requires; a value of the wrong type refuses the whole request (a DomainError
 * MalformedPayload naming the field), as a protobuf decoder would.
 */
export function decodeOtlpTraceJson(body: string | Uint8Array): OtlpTraceRequest {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformedOtlp('JSON', '', `not JSON (${(error as Error).message})`);
  }
  const request = asObject(parsed, '', '(body)');
  const resourceSpans = asArray(request.resourceSpans, '', 'resourceSpans');
  const decoded: OtlpResourceSpans[] = new Array(resourceSpans.length);
  for (let index = 0; index < resourceSpans.length; index++) {
    decoded[index] = decodeResourceSpans(resourceSpans[index], `resourceSpans[${index}]`);
  }
  return { resourceSpans: decoded };
}

function decodeResourceSpans(raw: unknown, path: string): OtlpResourceSpans {
  const input = asObject(raw, path, '');
  const resource = input.resource === undefined || input.resource === null ? null : asObject(input.resource, path, 'resource');
  const scopeSpans = asArray(input.scopeSpans, path, 'scopeSpans');
  const decoded: OtlpScopeSpans[] = new Array(scopeSpans.length);
  for (let index = 0; index < scopeSpans.length; index++) {
    decoded[index] = decodeScopeSpans(scopeSpans[index], `${path}.scopeSpans[${index}]`);
  }
  return { resourceAttributes: decodeAttributes(resource?.attributes, path, 'resource.attributes', 0), scopeSpans: decoded };
}

function decodeScopeSpans(raw: unknown, path: string): OtlpScopeSpans {
  const input = asObject(raw, path, '');
  const scope = input.scope === undefined || input.scope === null ? null : asObject(input.scope, path, 'scope');
  const spans = asArray(input.spans, path, 'spans');
  const decoded: OtlpSpan[] = new Array(spans.length);
  for (let index = 0; index < spans.length; index++) {
    decoded[index] = decodeSpan(spans[index], path, index);
  }
  return {
    scopeName: scope ? asString(scope.name, path, 'scope.name') : '',
    scopeVersion: scope ? asString(scope.version, path, 'scope.version') : '',
    spans: decoded,
  };
}

function decodeSpan(raw: unknown, scopePath: string, spanIndex: number): OtlpSpan {
  // Built per span (one string), never per field.
  const path = `${scopePath}.spans[${spanIndex}]`;
  const input = asObject(raw, path, '');
  const status = input.status === undefined || input.status === null ? null : asObject(input.status, path, 'status');
  const events = asArray(input.events, path, 'events');
  const decodedEvents: OtlpSpanEvent[] = new Array(events.length);
  for (let index = 0; index < events.length; index++) {
    const eventPath = `${path}.events[${index}]`;
    const event = asObject(events[index], eventPath, '');
    decodedEvents[index] = {
      name: asString(event.name, eventPath, 'name'),
      timeUnixNano: asUnsigned64(event.timeUnixNano, eventPath, 'timeUnixNano'),
      attributes: decodeAttributes(event.attributes, eventPath, 'attributes', 0),
    };
  }
  return {
    traceId: asString(input.traceId, path, 'traceId').toLowerCase(),
    spanId: asString(input.spanId, path, 'spanId').toLowerCase(),
    parentSpanId: asString(input.parentSpanId, path, 'parentSpanId').toLowerCase(),
    name: asString(input.name, path, 'name'),
    kind: asEnum(input.kind, kindByName, path, 'kind'),
    startTimeUnixNano: asUnsigned64(input.startTimeUnixNano, path, 'startTimeUnixNano'),
    endTimeUnixNano: asUnsigned64(input.endTimeUnixNano, path, 'endTimeUnixNano'),
    attributes: decodeAttributes(input.attributes, path, 'attributes', 0),
    events: decodedEvents,
    statusCode: status ? asEnum(status.code, statusByName, path, 'status.code') : 0,
    statusMessage: status ? asString(status.message, path, 'status.message') : '',
  };
}

function decodeAttributes(raw: unknown, parent: string, field: string, depth: number): OtlpAttributes {
  const attributes: OtlpAttributes = new Map();
  if (raw === undefined || raw === null) return attributes;
  if (!Array.isArray(raw)) throw malformedOtlp('JSON', at(parent, field), 'must be an array of {key, value}');
  for (let index = 0; index < raw.length; index++) {
    const entry = raw[index] as unknown;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw malformedOtlp('JSON', `${at(parent, field)}[${index}]`, 'must be an object {key, value}');
    const { key, value } = entry as JsonObject;
    if (typeof key !== 'string') throw malformedOtlp('JSON', `${at(parent, field)}[${index}].key`, 'must be a string');
    attributes.set(key, decodeAnyValue(value, parent, field, index, depth));
  }
  return attributes;
}

/** An AnyValue; its path (`<parent>.<field>[<index>].value`) is only spelled out to report a problem. */
function decodeAnyValue(raw: unknown, parent: string, field: string, index: number, depth: number): OtlpAnyValue {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw malformedOtlp('JSON', valuePath(parent, field, index), 'must be an AnyValue object');
  if (depth > maxValueDepth) throw malformedOtlp('JSON', valuePath(parent, field, index), `nests deeper than ${maxValueDepth} levels`);
  const value = raw as JsonObject;
  if (value.stringValue !== undefined && value.stringValue !== null) {
    if (typeof value.stringValue !== 'string') throw malformedOtlp('JSON', `${valuePath(parent, field, index)}.stringValue`, 'must be a string');
    return value.stringValue;
  }
  if (value.intValue !== undefined && value.intValue !== null) return asInteger64(value.intValue, parent, field, index);
  if (value.doubleValue !== undefined && value.doubleValue !== null) return asDouble(value.doubleValue, parent, field, index);
  if (value.boolValue !== undefined && value.boolValue !== null) {
    if (typeof value.boolValue !== 'boolean') throw malformedOtlp('JSON', `${valuePath(parent, field, index)}.boolValue`, 'must be true or false');
    return value.boolValue;
  }
  if (value.arrayValue !== undefined && value.arrayValue !== null) {
    const path = valuePath(parent, field, index);
    const values = asArray(asObject(value.arrayValue, path, 'arrayValue').values, path, 'arrayValue.values');
    const decoded: OtlpAnyValue[] = new Array(values.length);
    for (let item = 0; item < values.length; item++) decoded[item] = decodeAnyValue(values[item], path, 'arrayValue.values', item, depth + 1);
    return decoded;
  }
  if (value.kvlistValue !== undefined && value.kvlistValue !== null) {
    const path = valuePath(parent, field, index);
    return decodeAttributes(asObject(value.kvlistValue, path, 'kvlistValue').values, path, 'kvlistValue.values', depth + 1);
  }
  if (value.bytesValue !== undefined && value.bytesValue !== null) {
    // Only trace and span ids are hex in OTLP JSON; other bytes follow the protobuf JSON mapping: base64.
    if (typeof value.bytesValue !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value.bytesValue)) {
      throw malformedOtlp('JSON', `${valuePath(parent, field, index)}.bytesValue`, 'must be base64');
    }
    return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  }
  return null;
}

function valuePath(parent: string, field: string, index: number): string {
  return `${at(parent, field)}[${index}].value`;
}

// The helpers take the parent's path and the field apart, and join them only to report a problem: building every
// field's path up front would cost a string per field of every span.
function at(parent: string, field: string): string {
  if (!field) return parent;
  return parent ? `${parent}.${field}` : field;
}

function asObject(raw: unknown, parent: string, field: string): JsonObject {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformedOtlp('JSON', at(parent, field), 'must be an object');
  return raw as JsonObject;
}

function asArray(raw: unknown, parent: string, field: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw malformedOtlp('JSON', at(parent, field), 'must be an array');
  return raw;
}

function asString(raw: unknown, parent: string, field: string): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw malformedOtlp('JSON', at(parent, field), 'must be a string');
  return raw;
}

function asEnum(raw: unknown, byName: ReadonlyMap<string, number>, parent: string, field: string): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  // The OTLP JSON encoding asks for integers; some exporters send the enum's name, which the protobuf JSON mapping
  // allows, so it is read too. An unknown name is the unspecified value, as an unknown number would be.
  if (typeof raw === 'string') return byName.get(raw) ?? (/^\d+$/.test(raw) ? Number(raw) : 0);
  throw malformedOtlp('JSON', at(parent, field), 'must be an enum integer or name');
}

function asUnsigned64(raw: unknown, parent: string, field: string): bigint {
  if (raw === undefined || raw === null) return 0n;
  if (typeof raw === 'string' && unsignedPattern.test(raw)) return BigInt(raw);
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return BigInt(raw);
  throw malformedOtlp('JSON', at(parent, field), 'must be an unsigned 64-bit integer (a decimal string or a number)');
}

function asInteger64(raw: unknown, parent: string, field: string, index: number): number | bigint {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && integerPattern.test(raw)) {
    const number = Number(raw);
    return Number.isSafeInteger(number) ? number : BigInt(raw);
  }
  throw malformedOtlp('JSON', `${valuePath(parent, field, index)}.intValue`, 'must be a 64-bit integer (a decimal string or a number)');
}

function asDouble(raw: unknown, parent: string, field: string, index: number): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    // The protobuf JSON mapping writes non-finite doubles as these names, and accepts numbers as strings.
    if (raw === 'NaN') return NaN;
    if (raw === 'Infinity') return Infinity;
    if (raw === '-Infinity') return -Infinity;
    const number = Number(raw);
    if (raw.trim() !== '' && !Number.isNaN(number)) return number;
  }
  throw malformedOtlp('JSON', `${valuePath(parent, field, index)}.doubleValue`, 'must be a number');
}

// Builders for OTLP JSON requests in tests: one GenAI span with the attributes a test names, the rest left out.
export type JsonAnyValue =
  | { stringValue: string }
  | { intValue: string | number }
  | { doubleValue: number | string }
  | { boolValue: boolean }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: { key: string; value: JsonAnyValue }[] } }
  | { bytesValue: string };

export function jsonValue(value: unknown): JsonAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(jsonValue) } };
  if (typeof value === 'object' && value !== null) {
    return { kvlistValue: { values: Object.entries(value).map(([key, item]) => ({ key, value: jsonValue(item) })) } };
  }
  throw new Error(`no AnyValue for ${String(value)}`);
}

export function jsonAttributes(attributes: Record<string, unknown>): { key: string; value: JsonAnyValue }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: jsonValue(value) }));
}

export const traceId = '5b8efff798038103d269b633813fc60c';
export const spanId = 'eee19b7ec3c1b174';
// 2026-03-02T09:30:00.000Z, in nanoseconds.
export const startNanos = 1772443800000000000n;

export interface SpanOptions {
  attributes?: Record<string, unknown>;
  events?: { name: string; timeUnixNano?: string; attributes?: Record<string, unknown> }[];
  status?: { code?: number | string; message?: string };
  durationMs?: number;
  spanId?: string;
  traceId?: string;
  name?: string;
}

export function jsonSpan(options: SpanOptions = {}): Record<string, unknown> {
  return {
    traceId: options.traceId ?? traceId,
    spanId: options.spanId ?? spanId,
    name: options.name ?? 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: String(startNanos),
    endTimeUnixNano: String(startNanos + BigInt(Math.round((options.durationMs ?? 1250) * 1e6))),
    attributes: jsonAttributes(options.attributes ?? { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' }),
    events: (options.events ?? []).map((event) => ({
      name: event.name,
      timeUnixNano: event.timeUnixNano ?? String(startNanos + 2_000_000_000n),
      attributes: jsonAttributes(event.attributes ?? {}),
    })),
    status: options.status ?? {},
  };
}

export function jsonRequest(spans: Record<string, unknown>[], resourceAttributes: Record<string, unknown> = { 'service.name': 'support-bot' }): Record<string, unknown> {
  return {
    resourceSpans: [{ resource: { attributes: jsonAttributes(resourceAttributes) }, scopeSpans: [{ scope: { name: 'test-scope', version: '1.0' }, spans }] }],
  };
}

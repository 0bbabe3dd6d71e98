import * as crypto from 'node:crypto';
import { decimalFromJsonValue, formatExactDecimal } from '../../../engine/money/exact-decimal';
import { parseTimestamp } from '../../../engine/validation/timestamps';
import { findUnknownFields, type FieldProblem } from '../../../engine/validation/field-problems';
import { wellFormedText } from '../../../engine/validation/text';
import type { RequestEvent } from './request-event';

const operations = new Set(['chat', 'completion', 'embedding']);
const statuses = new Set(['ok', 'error']);
const knownFields = new Set([
  'id', 'timestamp', 'team', 'user', 'provider', 'node', 'model', 'operation', 'inputTokens', 'outputTokens',
  'cachedInputTokens', 'latencyMs', 'ttftMs', 'status', 'errorType', 'costUsd', 'prompt', 'completion', 'metadata',
]);
const maxTokens = 100_000_000;
const maxContentLength = 1_000_000;
const maxFutureSkewMs = 24 * 3600 * 1000;
// Below a billion USD: the cost is stored as Int64 nano-USD (max ≈ 9.2e9 USD), and ClickHouse wraps a larger value
// around silently instead of refusing it.
const decimalPattern = /^\d{1,9}(\.\d{1,12})?$/;

/**
 * Checks one event by hand rather than through a schema library: this runs for every event at ingest, and each
 * problem must name its field. Returns every problem of the event, not just the first.
 */
export function validateRequestEvent(raw: unknown, now: number = Date.now()): { event: RequestEvent } | { problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '(event)', message: 'must be a JSON object' }] };
  }
  const input = raw as Record<string, unknown>;
  const problems: FieldProblem[] = findUnknownFields(input, knownFields);

  const text = (field: string, options: { required?: boolean; max?: number; fallback?: string } = {}): string => {
    const value = input[field];
    if (value === undefined || value === null || value === '') {
      if (options.required) problems.push({ field, message: 'is required' });
      return options.fallback ?? '';
    }
    if (typeof value !== 'string') {
      problems.push({ field, message: `must be a string, got ${typeof value}` });
      return '';
    }
    if (value.length > (options.max ?? 256)) problems.push({ field, message: `must be at most ${options.max ?? 256} characters` });
    return wellFormedText(value);
  };
  const count = (field: string, max: number, fallback: number | null): number | null => {
    const value = input[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      problems.push({ field, message: `must be a number from 0 to ${max}` });
      return fallback;
    }
    return value;
  };

  const id = text('id', { max: 128 }) || crypto.randomUUID();
  const timestampText = text('timestamp', { required: true, max: 64 });
  let timestamp = new Date(NaN);
  if (timestampText) {
    timestamp = parseTimestamp(timestampText);
    if (Number.isNaN(timestamp.getTime())) {
      problems.push({ field: 'timestamp', message: 'must be an ISO-8601 date-time, e.g. 2026-11-29T10:15:00Z' });
    } else if (timestamp.getTime() > now + maxFutureSkewMs) {
      problems.push({ field: 'timestamp', message: 'is more than 24 hours in the future' });
    } else if (timestamp.getUTCFullYear() < 2000) {
      problems.push({ field: 'timestamp', message: 'is before the year 2000' });
    }
  }
  const model = text('model', { required: true });
  const operation = text('operation', { fallback: 'chat' });
  if (operation && !operations.has(operation)) problems.push({ field: 'operation', message: 'must be one of chat, completion, embedding' });
  const status = text('status', { fallback: 'ok' });
  if (status && !statuses.has(status)) problems.push({ field: 'status', message: 'must be "ok" or "error"' });

  const inputTokens = count('inputTokens', maxTokens, 0)!;
  const outputTokens = count('outputTokens', maxTokens, 0)!;
  const cachedInputTokens = count('cachedInputTokens', maxTokens, 0)!;
  for (const [field, value] of [['inputTokens', inputTokens], ['outputTokens', outputTokens], ['cachedInputTokens', cachedInputTokens]] as const) {
    if (!Number.isInteger(value)) problems.push({ field, message: 'must be a whole number' });
  }
  if (cachedInputTokens > inputTokens) {
    problems.push({ field: 'cachedInputTokens', message: 'cannot exceed inputTokens (cached tokens are part of the input)' });
  }
  const latencyMs = count('latencyMs', 86_400_000, 0)!;
  const ttftMs = count('ttftMs', 86_400_000, null);

  let costUsd: string | null = null;
  if (input.costUsd !== undefined && input.costUsd !== null) {
    // A JSON number's shortest text is exact enough for a cost the sender computed; it is never summed as a float.
    // Written out in plain notation: String(0.0000001) is "1e-7", which is a valid cost all the same.
    const costText = typeof input.costUsd === 'number' && Number.isFinite(input.costUsd)
      ? formatExactDecimal(decimalFromJsonValue(input.costUsd))
      : input.costUsd;
    if (typeof costText !== 'string' || !decimalPattern.test(costText)) {
      problems.push({ field: 'costUsd', message: 'must be a non-negative decimal number of USD below 1000000000, e.g. 0.0042' });
    } else {
      costUsd = costText;
    }
  }

  const metadata: Record<string, string> = {};
  if (input.metadata !== undefined && input.metadata !== null) {
    if (typeof input.metadata !== 'object' || Array.isArray(input.metadata)) {
      problems.push({ field: 'metadata', message: 'must be an object of string values' });
    } else {
      const entries = Object.entries(input.metadata as Record<string, unknown>);
      if (entries.length > 64) problems.push({ field: 'metadata', message: 'must have at most 64 keys' });
      else for (const [key, value] of entries) {
        if (typeof value !== 'string') problems.push({ field: `metadata.${key.slice(0, 64)}`, message: 'must be a string' });
        else if (key.length > 256 || value.length > 4096) problems.push({ field: `metadata.${key.slice(0, 64)}`, message: 'keys are at most 256 and values at most 4,096 characters' });
        else metadata[wellFormedText(key)] = wellFormedText(value);
      }
    }
  }

  const event: RequestEvent = {
    id,
    timestamp,
    team: text('team', { fallback: 'unassigned' }),
    user: text('user'),
    provider: text('provider').toLowerCase(),
    node: text('node'),
    model,
    operation: operation as RequestEvent['operation'],
    inputTokens,
    outputTokens,
    cachedInputTokens,
    latencyMs: Math.round(latencyMs),
    ttftMs: ttftMs === null ? null : Math.round(ttftMs),
    status: status as RequestEvent['status'],
    errorType: text('errorType', { max: 128 }),
    costUsd,
    prompt: text('prompt', { max: maxContentLength }),
    completion: text('completion', { max: maxContentLength }),
    metadata,
  };
  return problems.length > 0 ? { problems } : { event };
}

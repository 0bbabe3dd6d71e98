import { describe, expect, it } from 'vitest';
import type { FieldProblem, RequestEvent } from '../../../../server/src/modules/ingest/dto/request-event';
import { validateRequestEvent } from '../../../../server/src/modules/ingest/dto/validate-request-event';

// A frozen clock: the future-skew rule is measured from here, never from the machine's time.
const now = Date.parse('2026-03-02T10:00:00Z');

const minimal = { timestamp: '2026-03-02T09:30:00Z', model: 'gpt-4o' };

function accepted(raw: unknown): RequestEvent {
  const result = validateRequestEvent(raw, now);
  if ('problems' in result) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.event;
}

function problemsOf(raw: unknown): FieldProblem[] {
  const result = validateRequestEvent(raw, now);
  if ('event' in result) throw new Error(`accepted: ${JSON.stringify(raw)}`);
  return result.problems;
}

const fieldsOf = (problems: FieldProblem[]) => problems.map((problem) => problem.field).sort();

describe('validateRequestEvent', () => {
  it('fills the defaults for a minimal event', () => {
    const event = accepted(minimal);
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.timestamp.toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(event).toMatchObject({
      team: 'unassigned', user: '', provider: '', node: '', model: 'gpt-4o', operation: 'chat', status: 'ok',
      inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, latencyMs: 0, ttftMs: null, costUsd: null, metadata: {},
    });
  });

  it('keeps every documented field, lower-cases the provider and rounds latencies', () => {
    const event = accepted({
      ...minimal, id: 'evt-1', team: 'search', user: 'ana@example.com', provider: 'OpenAI', node: 'gpu-01', operation: 'embedding',
      inputTokens: 1000, outputTokens: 0, cachedInputTokens: 200, latencyMs: 12.6, ttftMs: 3.4, status: 'error', errorType: 'timeout',
      costUsd: 0.0042, prompt: 'hello', completion: 'world', metadata: { region: 'eu' },
    });
    expect(event).toMatchObject({
      id: 'evt-1', provider: 'openai', operation: 'embedding', latencyMs: 13, ttftMs: 3, status: 'error', errorType: 'timeout',
      costUsd: '0.0042', metadata: { region: 'eu' },
    });
  });

  it('accepts costUsd as an exact decimal string, and a tiny JSON number JavaScript prints with an exponent', () => {
    expect(accepted({ ...minimal, costUsd: '0.000000001' }).costUsd).toBe('0.000000001');
    expect(accepted({ ...minimal, costUsd: 0.0000001 }).costUsd).toBe('0.0000001');
    expect(accepted({ ...minimal, costUsd: 2.5e-9 }).costUsd).toBe('0.0000000025');
  });

  it('refuses something that is not an object', () => {
    for (const raw of [null, 42, 'event', [minimal]]) {
      expect(problemsOf(raw)).toEqual([{ field: '(event)', message: 'must be a JSON object' }]);
    }
  });

  it('requires timestamp and model', () => {
    expect(problemsOf({})).toEqual([
      { field: 'timestamp', message: 'is required' },
      { field: 'model', message: 'is required' },
    ]);
  });

  it('refuses a timestamp that is not ISO-8601, more than 24 hours ahead, or before 2000', () => {
    expect(problemsOf({ ...minimal, timestamp: '03/02/2026' })[0]).toMatchObject({ field: 'timestamp', message: expect.stringContaining('ISO-8601') });
    expect(problemsOf({ ...minimal, timestamp: 'yesterday' })[0].field).toBe('timestamp');
    expect(problemsOf({ ...minimal, timestamp: '2026-03-03T10:00:01Z' })).toEqual([{ field: 'timestamp', message: 'is more than 24 hours in the future' }]);
    expect(accepted({ ...minimal, timestamp: '2026-03-03T10:00:00Z' }).timestamp.toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(problemsOf({ ...minimal, timestamp: '1999-12-31T23:59:59Z' })).toEqual([{ field: 'timestamp', message: 'is before the year 2000' }]);
  });

  it('reads a timestamp with no zone as UTC, whatever the server time zone, and honours an explicit offset', () => {
    const serverZone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(accepted({ ...minimal, timestamp: '2026-03-02T09:30:00' }).timestamp.toISOString()).toBe('2026-03-02T09:30:00.000Z');
      expect(accepted({ ...minimal, timestamp: '2026-03-02T09:30:00.250' }).timestamp.toISOString()).toBe('2026-03-02T09:30:00.250Z');
      expect(accepted({ ...minimal, timestamp: '2026-03-02T11:30:00+02:00' }).timestamp.toISOString()).toBe('2026-03-02T09:30:00.000Z');
      expect(accepted({ ...minimal, timestamp: '2026-03-02T04:30:00-0500' }).timestamp.toISOString()).toBe('2026-03-02T09:30:00.000Z');
    } finally {
      if (serverZone === undefined) delete process.env.TZ;
      else process.env.TZ = serverZone;
    }
  });

  it('refuses an unknown operation or status', () => {
    expect(problemsOf({ ...minimal, operation: 'image' })).toEqual([{ field: 'operation', message: 'must be one of chat, completion, embedding' }]);
    expect(problemsOf({ ...minimal, status: 'failed' })).toEqual([{ field: 'status', message: 'must be "ok" or "error"' }]);
  });

  it('refuses token counts that are negative, fractional, too large or not numbers', () => {
    expect(problemsOf({ ...minimal, inputTokens: -1 })).toEqual([{ field: 'inputTokens', message: 'must be a number from 0 to 100000000' }]);
    expect(problemsOf({ ...minimal, outputTokens: 1.5 })).toEqual([{ field: 'outputTokens', message: 'must be a whole number' }]);
    expect(problemsOf({ ...minimal, inputTokens: 100_000_001 })[0].field).toBe('inputTokens');
    expect(problemsOf({ ...minimal, inputTokens: '10' })[0].field).toBe('inputTokens');
    expect(problemsOf({ ...minimal, latencyMs: -5 })[0].field).toBe('latencyMs');
    expect(problemsOf({ ...minimal, ttftMs: 86_400_001 })[0].field).toBe('ttftMs');
  });

  it('refuses more cached tokens than input tokens', () => {
    expect(problemsOf({ ...minimal, inputTokens: 100, cachedInputTokens: 101 })).toEqual([
      { field: 'cachedInputTokens', message: 'cannot exceed inputTokens (cached tokens are part of the input)' },
    ]);
    expect(accepted({ ...minimal, inputTokens: 100, cachedInputTokens: 100 }).cachedInputTokens).toBe(100);
  });

  it('refuses a negative, non-decimal, over-precise or unstorably large costUsd', () => {
    // A billion USD and more would overflow the Int64 nano-USD column, which ClickHouse wraps around silently.
    for (const costUsd of [-0.5, '-1', 'free', '1e-3', '0.1234567890123', true, '1000000000', 999999999999, '9223372037']) {
      expect(problemsOf({ ...minimal, costUsd })).toEqual([
        { field: 'costUsd', message: 'must be a non-negative decimal number of USD below 1000000000, e.g. 0.0042' },
      ]);
    }
    expect(accepted({ ...minimal, costUsd: '999999999.999999999' }).costUsd).toBe('999999999.999999999');
  });

  it('refuses strings of the wrong type or too long', () => {
    expect(problemsOf({ ...minimal, team: 7 })).toEqual([{ field: 'team', message: 'must be a string, got number' }]);
    expect(problemsOf({ ...minimal, id: 'x'.repeat(129) })).toEqual([{ field: 'id', message: 'must be at most 128 characters' }]);
    expect(problemsOf({ ...minimal, user: 'x'.repeat(257) })).toEqual([{ field: 'user', message: 'must be at most 256 characters' }]);
  });

  it('refuses metadata that is not a map of strings', () => {
    expect(problemsOf({ ...minimal, metadata: ['a'] })).toEqual([{ field: 'metadata', message: 'must be an object of string values' }]);
    expect(problemsOf({ ...minimal, metadata: { region: 'eu', retries: 3 } })).toEqual([{ field: 'metadata.retries', message: 'must be a string' }]);
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`key${index}`, 'v']));
    expect(problemsOf({ ...minimal, metadata: tooMany })).toEqual([{ field: 'metadata', message: 'must have at most 64 keys' }]);
  });

  it('names unknown fields and suggests the camelCase spelling for snake_case', () => {
    expect(problemsOf({ ...minimal, input_tokens: 5, cached_input_tokens: 1, colour: 'red' })).toEqual([
      { field: 'input_tokens', message: 'unknown field (did you mean "inputTokens"?)' },
      { field: 'cached_input_tokens', message: 'unknown field (did you mean "cachedInputTokens"?)' },
      { field: 'colour', message: 'unknown field' },
    ]);
  });

  it('reports several problems of one event together', () => {
    const problems = problemsOf({ timestamp: 'soon', operation: 'image', inputTokens: 10, cachedInputTokens: 20, costUsd: 'free', latency_ms: 3 });
    expect(fieldsOf(problems)).toEqual(['cachedInputTokens', 'costUsd', 'latency_ms', 'model', 'operation', 'timestamp']);
  });
});

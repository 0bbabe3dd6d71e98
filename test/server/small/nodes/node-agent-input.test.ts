import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../server/src/engine/errors/domain-error';
import { readNodeHeartbeat } from '../../../../server/src/modules/nodes/agent/dto/node-heartbeat-input';
import { etagMatches } from '../../../../server/src/modules/nodes/agent/node-agent.controller';

const now = new Date('2026-11-30T10:00:00Z');

function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: '0b5d7c1e-6f0e-4a43-9a5c-1f0d1d7c2f11',
    agentVersion: '0.1.0',
    sampledAt: '2026-11-30T09:59:45.120Z',
    intervalSeconds: 15,
    engine: { kind: 'vllm', version: '0.6.3', up: true, error: null },
    models: ['llama-3.1-8b'],
    metrics: { queueDepth: 0, running: 1, kvCacheUsageRatio: 0, promptTokensPerSecond: null, generationTokensPerSecond: null, ttftSeconds: null, error: null },
    policyVersion: 7,
    droppedReports: 0,
    ...overrides,
  };
}

function problemsOf(body: unknown): string[] {
  try {
    readNodeHeartbeat(body, now);
  } catch (error) {
    if (error instanceof DomainError) return (error.details as { problems: Array<{ field: string }> }).problems.map((problem) => problem.field);
    throw error;
  }
  return [];
}

describe('reading a node heartbeat', () => {
  it('reads the agent’s report as sent: zeros stay zeros, nulls stay nulls, a numeric policy version becomes text', () => {
    const read = readNodeHeartbeat(report(), now);
    expect(read.sampledAt.toISOString()).toBe('2026-11-30T09:59:45.120Z');
    expect(read.metrics).toMatchObject({ queueDepth: 0, kvCacheUsageRatio: 0, promptTokensPerSecond: null, ttftSeconds: null });
    expect(read.policyVersion).toBe('7');
    expect(read.engine).toEqual({ kind: 'vllm', version: '0.6.3', up: true, error: null });
  });

  it('names every bad field with its path, at once', () => {
    expect(
      problemsOf(
        report({
          schemaVersion: '1',
          id: '',
          sampledAt: '2026-11-30T10:00:00',
          intervalSeconds: 0,
          engine: { kind: 3, up: 'yes', version: null, error: null, extra: true },
          models: ['ok', ''],
          metrics: { queueDepth: Number.NaN, running: -1, kvCacheUsageRatio: 2, promptTokensPerSecond: '5', generationTokensPerSecond: null, ttftSeconds: { window: 'forever', observations: 1.5, p50: null, p90: null, p99: null }, error: null },
          droppedReports: -1,
        }),
      ).sort(),
    ).toEqual(
      [
        'droppedReports', 'engine.extra', 'engine.kind', 'engine.up', 'id', 'intervalSeconds', 'metrics.kvCacheUsageRatio', 'metrics.promptTokensPerSecond',
        'metrics.queueDepth', 'metrics.running', 'metrics.ttftSeconds.observations', 'metrics.ttftSeconds.window', 'models[1]', 'sampledAt', 'schemaVersion',
      ].sort(),
    );
  });

  it('refuses a report from a clock far ahead, and what is not an object', () => {
    expect(problemsOf(report({ sampledAt: '2026-11-30T10:06:00Z' }))).toEqual(['sampledAt']);
    expect(problemsOf([report()])).toEqual(['']);
    expect(problemsOf(report({ metrics: undefined, engine: null }))).toEqual(['engine', 'metrics']);
  });

  it('cuts a long engine error instead of refusing the report, and keeps each model once', () => {
    const read = readNodeHeartbeat(report({ engine: { kind: null, version: null, up: false, error: 'x'.repeat(5000) }, models: ['a', 'a', 'b'] }), now);
    expect(read.engine.error).toHaveLength(2001);
    expect(read.models).toEqual(['a', 'b']);
  });
});

describe('If-None-Match', () => {
  it('matches the ETag itself, a list holding it, its weak form and *', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
    expect(etagMatches('"abd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });
});

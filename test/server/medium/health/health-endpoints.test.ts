import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

/** The value of one sample line of a Prometheus exposition, e.g. metric{label="x"} 3. */
function sampleValue(exposition: string, metric: string, labels: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${metric}{`) && candidate.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('health and metrics endpoints on real engines', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('answers /healthz without a session', async () => {
    const response = await fetch(`${testApp.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the state of each dependency', async () => {
    const response = await fetch(`${testApp.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; dependencies: Record<string, { status: string; latencyMs?: number; driver?: string }> };
    expect(body.status).toBe('ready');
    expect(body.dependencies.postgres).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });
    expect(body.dependencies.clickhouse).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });
    // With REDIS_URL the queue's Redis is really pinged; the inline queue is this process.
    expect(body.dependencies.queue).toEqual({ status: 'up', latencyMs: expect.any(Number), driver: process.env.REDIS_URL ? 'bullmq' : 'inline' });
  });

  it('exposes ingest and writer metrics on /metrics, counting what was ingested', async () => {
    const answer = await postEvents(testApp, [
      { id: 'metrics-1', timestamp: '2026-03-02T10:00:00Z', model: 'gpt-4o', provider: 'openai', inputTokens: 10, outputTokens: 5 },
      { id: 'metrics-2', timestamp: '2026-03-02T10:01:00Z', model: 'gpt-4o', provider: 'openai', inputTokens: 10, outputTokens: 5 },
      { id: 'metrics-bad', timestamp: 'not a time', model: 'gpt-4o' },
    ]);
    expect(answer.body).toMatchObject({ accepted: 2, rejected: 1 });
    await postEvents(testApp, [{ id: 'metrics-1', timestamp: '2026-03-02T10:00:00Z', model: 'gpt-4o' }]);

    const response = await fetch(`${testApp.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const exposition = await response.text();
    expect(exposition).toContain('# TYPE warden_ingest_events_total counter');
    expect(exposition).toContain('# TYPE warden_clickhouse_written_rows_total counter');
    expect(sampleValue(exposition, 'warden_ingest_events_total', 'status="accepted"')).toBe(2);
    expect(sampleValue(exposition, 'warden_ingest_events_total', 'status="rejected"')).toBe(1);
    expect(sampleValue(exposition, 'warden_ingest_events_total', 'status="duplicate"')).toBe(1);
    expect(sampleValue(exposition, 'warden_clickhouse_written_rows_total', 'table="warden.requests"')).toBe(2);
    expect(exposition).toMatch(/^warden_process_/m);
  });

  it('answers /readyz with 503 and names the store that is down', async () => {
    const postgres = testApp.engines.postgres;
    await postgres.destroy();
    try {
      const response = await fetch(`${testApp.baseUrl}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; dependencies: Record<string, { status: string; error?: string }> };
      expect(body.status).toBe('not ready');
      expect(body.dependencies.postgres).toEqual({ status: 'down', latencyMs: expect.any(Number) });
      // Public endpoint: the driver's error text (host, user, database) stays in the log.
      expect(JSON.stringify(body)).not.toMatch(/error|terminated|ECONN|password|postgres:\/\//i);
      expect(body.dependencies.clickhouse.status).toBe('up');
    } finally {
      await postgres.initialize();
    }
    expect((await fetch(`${testApp.baseUrl}/readyz`)).status).toBe(200);
  });
});

import { expect } from 'vitest';
import type { TestApp } from '../../../support/test-app';
import { call } from '../policies/policy-test-support';

const dayMilliseconds = 86_400_000;

/** An instant `days` before now (rows are placed relative to the clock, never at a date that will pass). */
export function daysAgo(days: number, now = Date.now()): Date {
  return new Date(now - days * dayMilliseconds);
}

export async function putPolicy(testApp: TestApp, document: Record<string, unknown> & { name: string }): Promise<void> {
  const answer = await call(testApp, 'PUT', `/api/v1/policies/${document.name}`, testApp.sessionToken, document);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

export async function ingest(testApp: TestApp, events: Array<Record<string, unknown>>): Promise<void> {
  const answer = await call<{ accepted: number; rejected: number }>(testApp, 'POST', '/api/v1/ingest/requests', testApp.ingestKey, events);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.accepted, JSON.stringify(answer.body)).toBe(events.length);
}

/** Waits for a job to finish and answers its final state. */
export async function waitForJob(testApp: TestApp, id: string, token = testApp.sessionToken, timeoutMs = 120_000): Promise<{ state: string; progress: number; error: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await testApp.graphql<{ job: { state: string; progress: number; error: string | null } }>(
      'query ($id: ID!) { job(id: $id) { state progress error } }',
      { id },
      token,
    );
    const job = answer.data?.job;
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function clickhouseRows<T>(testApp: TestApp, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await testApp.engines.clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

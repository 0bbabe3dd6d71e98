import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../../../server/src/modules/ingest/ingest.service';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

const retentionDays = 30;

describe('ingest with a short retention', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_RETENTION_DAYS: String(retentionDays) });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('refuses, by name, an event its retention would delete on arrival, instead of answering "accepted"', async () => {
    const answer = await postEvents(testApp, [{ id: 'ancient', timestamp: '2020-01-01T00:00:00Z', model: 'gpt-4o' }]);
    expect(answer.body).toMatchObject({ accepted: 0, rejected: 1 });
    expect((answer.body.results as Array<{ errors: unknown }>)[0].errors).toEqual([
      { field: 'timestamp', message: 'is older than the 30-day retention: it would be deleted on arrival' },
    ]);
    const stored = await testApp.graphql('{ Request(id: "ancient") { id } }');
    expect(stored.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps a recent event', async () => {
    // Relative to the real clock on purpose: the storage TTL is measured from it too.
    const recent = new Date(Date.now() - 3600_000).toISOString();
    const answer = await postEvents(testApp, [{ id: 'recent', timestamp: recent, model: 'gpt-4o' }]);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: 0 });
    const stored = await testApp.graphql<{ Request: { id: string } }>('{ Request(id: "recent") { id } }');
    expect(stored.data?.Request).toEqual({ id: 'recent' });
  });

  it('draws the line an hour inside the retention, measured from when the event is received', async () => {
    const receivedAt = new Date('2026-03-02T12:00:00Z');
    // Thirty days before 13:00 is the first time that still has an hour to live when it arrives at 12:00.
    const items = [
      { value: { id: 'boundary-kept', timestamp: '2026-01-31T13:00:00.000Z', model: 'gpt-4o' } },
      { value: { id: 'boundary-refused', timestamp: '2026-01-31T12:59:59.999Z', model: 'gpt-4o' } },
    ];
    const answer = await testApp.app.get(IngestService).ingestRequests(items, { apiKeyId: 'test' }, receivedAt);
    expect(answer.results.map((result) => `${result.id}:${result.status}`)).toEqual(['boundary-kept:accepted', 'boundary-refused:rejected']);
  });
});

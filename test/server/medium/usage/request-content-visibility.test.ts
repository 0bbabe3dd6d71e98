import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionTokens } from '../../../../server/src/engine/auth/session-tokens';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

describe('prompt and completion are compliance data', () => {
  let testApp: TestApp;
  const tokenFor = (role: 'finance' | 'viewer' | 'compliance') =>
    testApp.app.get(SessionTokens).issue({ userId: `user-${role}`, email: `${role}@example.com`, role });

  beforeAll(async () => {
    testApp = await startTestApp();
    const answer = await postEvents(testApp, [
      { id: 'content-1', timestamp: '2026-03-02T10:00:00Z', model: 'gpt-4o', provider: 'openai', prompt: 'the secret question', completion: 'the secret answer' },
    ]);
    expect(answer.body).toMatchObject({ accepted: 1 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  const query = '{ Request(id: "content-1") { prompt completion contentVisible } allRequests(filter: { ids: ["content-1"] }) { prompt contentVisible } }';

  it('is readable by admin and compliance', async () => {
    for (const token of [testApp.sessionToken, tokenFor('compliance')]) {
      const { data } = await testApp.graphql<{ Request: Record<string, unknown>; allRequests: Array<Record<string, unknown>> }>(query, {}, token);
      expect(data?.Request).toEqual({ prompt: 'the secret question', completion: 'the secret answer', contentVisible: true });
      expect(data?.allRequests).toEqual([{ prompt: 'the secret question', contentVisible: true }]);
    }
  });

  it('is withheld from every other role, saying so', async () => {
    for (const role of ['finance', 'viewer'] as const) {
      const { data } = await testApp.graphql<{ Request: Record<string, unknown>; allRequests: Array<Record<string, unknown>> }>(query, {}, tokenFor(role));
      expect(data?.Request).toEqual({ prompt: '', completion: '', contentVisible: false });
      expect(data?.allRequests).toEqual([{ prompt: '', contentVisible: false }]);
    }
  });
});

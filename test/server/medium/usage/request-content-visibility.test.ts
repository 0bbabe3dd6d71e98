import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageService } from '../../../../server/src/modules/usage/usage.service';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';

describe('prompt and completion are compliance data', () => {
  let testApp: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    testApp = await startTestApp();
    // Events without a team are the team "unassigned"; a viewer reads its own teams' requests only.
    for (const role of ['finance', 'viewer', 'compliance', 'sre'] as const) tokens[role] = (await testApp.signIn(role, undefined, role === 'viewer' ? ['unassigned'] : [])).token;
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
    for (const token of [testApp.sessionToken, tokens.compliance]) {
      const { data } = await testApp.graphql<{ Request: Record<string, unknown>; allRequests: Array<Record<string, unknown>> }>(query, {}, token);
      expect(data?.Request).toEqual({ prompt: 'the secret question', completion: 'the secret answer', contentVisible: true });
      expect(data?.allRequests).toEqual([{ prompt: 'the secret question', contentVisible: true }]);
    }
  });

  it('is withheld from every other role, saying so', async () => {
    for (const role of ['finance', 'viewer', 'sre']) {
      const { data } = await testApp.graphql<{ Request: Record<string, unknown>; allRequests: Array<Record<string, unknown>> }>(query, {}, tokens[role]);
      expect(data?.Request).toEqual({ prompt: '', completion: '', contentVisible: false });
      expect(data?.allRequests).toEqual([{ prompt: '', contentVisible: false }]);
    }
  });

  it('is withheld when no session is given (fails closed)', async () => {
    const usage = testApp.app.get(UsageService);
    const paging = { page: 0, perPage: 10, sortField: 'timestamp', sortOrder: 'DESC' as const };
    const listed = await usage.listRequests(paging, { ids: ['content-1'] });
    expect(listed.map(({ prompt, completion, contentVisible }) => ({ prompt, completion, contentVisible }))).toEqual([{ prompt: '', completion: '', contentVisible: false }]);
    const single = await usage.getRequest('content-1');
    expect({ prompt: single.prompt, completion: single.completion, contentVisible: single.contentVisible }).toEqual({ prompt: '', completion: '', contentVisible: false });
  });

  it('is refused outright without a session over GraphQL', async () => {
    const answer = await testApp.graphql(query, {}, 'not-a-token');
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(JSON.stringify(answer)).not.toContain('secret');
  });
});

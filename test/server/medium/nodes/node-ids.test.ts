import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../support/test-app';

describe('node ids that are not uuids', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('answer NOT_FOUND for one node and nothing for a list, never an internal error', async () => {
    const one = await testApp.graphql('{ Node(id: "not-a-uuid") { id } }');
    expect(one.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const many = await testApp.graphql<{ allNodes: unknown[] }>('{ allNodes(filter: { ids: ["not-a-uuid"] }) { id } }');
    expect(many.errors).toBeUndefined();
    expect(many.data?.allNodes).toEqual([]);
  });
});

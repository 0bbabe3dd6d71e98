import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHealthService } from '../../../../server/src/modules/gateway/node-health.service';
import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '../../../support/fake-openai-upstream';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { unique } from '../policies/policy-test-support';
import { createNode, putPolicy } from './gateway-support';

const nodeFields = 'id name kind baseUrl hasApiKey location declaredModels discoveredModels models enabled routingPreference flaggedModels health { status latencyMs checkedAt error }';

// Nodes as the gateway routes them (issue 8 §1): GraphQL fields and arguments, the write-only API key, health checks.
describe('routable nodes', () => {
  let testApp: TestApp;
  let upstream: FakeOpenAiUpstream;

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_NODE_HEALTH_INTERVAL_SECONDS: '3600' });
    upstream = await startFakeOpenAiUpstream({ models: ['llama-3.1-8b', 'secret-model'], apiKey: 'sk-node-key' });
  });
  afterAll(async () => {
    await testApp?.close();
    await upstream?.close();
  });

  it('takes the routing arguments, keeps the API key encrypted and never returns it', async () => {
    const name = unique('gpu');
    const created = await testApp.graphql<{ createNode: Record<string, unknown> }>(
      `mutation { createNode(name: "${name}", kind: "openai-compatible", baseUrl: "${upstream.url}", apiKey: "sk-node-key", location: "external", models: ["llama-3.1-8b"], enabled: false, routingPreference: 3) { ${nodeFields} } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createNode).toMatchObject({
      name,
      kind: 'openai-compatible',
      baseUrl: upstream.url,
      hasApiKey: true,
      location: 'external',
      declaredModels: ['llama-3.1-8b'],
      discoveredModels: [],
      models: ['llama-3.1-8b'],
      enabled: false,
      routingPreference: 3,
      flaggedModels: [],
      health: { status: 'unknown', latencyMs: null, checkedAt: null, error: null },
    });
    const stored = (await testApp.engines.postgres.query(`SELECT api_key_encrypted FROM inference_nodes WHERE name = $1`, [name])) as Array<{ api_key_encrypted: string }>;
    expect(stored[0].api_key_encrypted).toMatch(/^v1\./);
    expect(stored[0].api_key_encrypted).not.toContain('sk-node-key');
    const schema = await testApp.graphql<{ __type: { fields: Array<{ name: string }> } }>('{ __type(name: "Node") { fields { name } } }');
    expect(schema.data!.__type.fields.map((field) => field.name)).not.toContain('apiKey');

    const id = created.data!.createNode.id as string;
    const updated = await testApp.graphql<{ updateNode: Record<string, unknown> }>(`mutation { updateNode(id: "${id}", apiKey: "", enabled: true, location: "on-premises", models: ["a", "b"]) { ${nodeFields} } }`);
    expect(updated.data!.updateNode).toMatchObject({ hasApiKey: false, enabled: true, location: 'on-premises', declaredModels: ['a', 'b'] });
  });

  it('names every bad routing argument', async () => {
    const answer = await testApp.graphql(`mutation { createNode(name: "${unique('bad')}", kind: "nope", baseUrl: "ftp://x", location: "moon", routingPreference: 1) { id } }`);
    const message = answer.errors?.[0]?.message ?? '';
    expect(message).toContain('kind: must be one of');
    expect(message).toContain('baseUrl:');
    expect(message).toContain('location: must be one of on-premises, external');
  });

  it('health-checks nodes: up with latency and discovered models, down with the error, models outside the node policy flagged', async () => {
    const healthy = await createNode(testApp, { name: unique('healthy'), baseUrl: upstream.url, apiKey: 'sk-node-key', models: ['declared-only'] });
    const down = await createNode(testApp, { name: unique('down'), baseUrl: 'http://127.0.0.1:9', models: ['x'] });
    await putPolicy(testApp, { name: unique('node-policy'), scope: { node: healthy.name }, models: { allow: ['llama-*'] } });
    const reports = await testApp.app.get(NodeHealthService).checkAll();
    expect(reports.get(healthy.name)).toMatchObject({ status: 'up', discoveredModels: ['llama-3.1-8b', 'secret-model'] });
    expect(reports.get(down.name)).toMatchObject({ status: 'down', latencyMs: null });
    const nodes = await testApp.graphql<{ allNodes: Array<Record<string, unknown> & { name: string }> }>(`{ allNodes(perPage: 100) { ${nodeFields} } }`);
    const byName = new Map(nodes.data!.allNodes.map((node) => [node.name, node]));
    expect(byName.get(healthy.name)).toMatchObject({
      models: ['declared-only', 'llama-3.1-8b', 'secret-model'],
      discoveredModels: ['llama-3.1-8b', 'secret-model'],
      flaggedModels: ['declared-only', 'secret-model'],
      health: { status: 'up', error: null },
    });
    expect((byName.get(healthy.name)!.health as { latencyMs: number }).latencyMs).toBeGreaterThan(0);
    expect(byName.get(down.name)).toMatchObject({ health: { status: 'down', latencyMs: null } });
    expect((byName.get(down.name)!.health as { error: string }).error).toContain('ECONNREFUSED');
    // The health check sent the node's key.
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-node-key');
  });
});

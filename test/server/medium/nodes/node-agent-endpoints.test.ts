import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { call, createScopedKey, unique } from '../policies/policy-test-support';

/** A heartbeat as warden-node-agent sends it (collectors/src/node-agent/node-report.ts). */
function heartbeat(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: randomUUID(),
    agentVersion: '0.1.0',
    sampledAt: new Date().toISOString(),
    intervalSeconds: 15,
    engine: { kind: 'vllm', version: '0.6.3', up: true, error: null },
    models: ['llama-3.1-8b', 'qwen-2.5-7b'],
    metrics: {
      queueDepth: 3,
      running: 2,
      kvCacheUsageRatio: 0.42,
      promptTokensPerSecond: 120.5,
      generationTokensPerSecond: 88,
      ttftSeconds: { window: 'interval', observations: 10, p50: 0.05, p90: 0.1, p99: 0.2 },
      error: null,
    },
    policyVersion: null,
    droppedReports: 0,
    ...overrides,
  };
}

interface NodeAgentFields {
  name: string;
  lastHeartbeatAt: string | null;
  agentVersion: string | null;
  engineVersion: string | null;
  agentSilent: boolean;
  servedModels: string[];
}

// Agents are called silent after two seconds here, so the flag is seen to turn within the test.
describe('node agent endpoints: heartbeat, policy with ETag, agent status', () => {
  let testApp: TestApp;
  let agentKey: string;
  let nodeName: string;

  const createNode = async (name: string) => {
    const answer = await testApp.graphql<{ createNode: { id: string } }>(`mutation($name: String!) { createNode(name: $name, kind: "vllm") { id } }`, { name });
    expect(answer.errors).toBeUndefined();
    return answer.data!.createNode.id;
  };
  const sendHeartbeat = (node: string, body: unknown, key = agentKey) => call(testApp, 'POST', `/api/v1/nodes/${encodeURIComponent(node)}/heartbeat`, key, body);
  const getPolicy = (node: string, etag?: string) =>
    fetch(`${testApp.baseUrl}/api/v1/nodes/${encodeURIComponent(node)}/policy`, {
      headers: { authorization: `Bearer ${agentKey}`, ...(etag ? { 'if-none-match': etag } : {}) },
    });
  const agentFields = async (id: string) => {
    const answer = await testApp.graphql<{ Node: NodeAgentFields }>(
      `query($id: ID!) { Node(id: $id) { name lastHeartbeatAt agentVersion engineVersion agentSilent servedModels } }`,
      { id },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.Node;
  };
  const putPolicy = async (document: Record<string, unknown> & { name: string }) => {
    const answer = await call(testApp, 'PUT', `/api/v1/policies/${document.name}`, testApp.sessionToken, document);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  };

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_AGENT_SILENT_AFTER_SECONDS: '2' });
    agentKey = testApp.ingestKey;
    nodeName = unique('gpu-node');
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('stores a heartbeat once, shows it on the node, and flags the agent silent when it stops', async () => {
    const id = await createNode(nodeName);
    expect(await agentFields(id)).toMatchObject({ lastHeartbeatAt: null, agentVersion: null, agentSilent: false, servedModels: [] });

    const report = heartbeat();
    const first = await sendHeartbeat(nodeName, report);
    expect(first).toEqual({ status: 200, body: { node: nodeName, id: report.id, status: 'stored' } });
    const fields = await agentFields(id);
    expect(fields).toMatchObject({ agentVersion: '0.1.0', engineVersion: '0.6.3', agentSilent: false, servedModels: ['llama-3.1-8b', 'qwen-2.5-7b'] });
    expect(Date.now() - Date.parse(fields.lastHeartbeatAt!)).toBeLessThan(5_000);
    // The agent re-sends a report whose answer it lost: recognised, never stored twice.
    const again = await sendHeartbeat(nodeName, report);
    expect(again).toEqual({ status: 200, body: { node: nodeName, id: report.id, status: 'duplicate' } });
    const stored = await testApp.engines.clickhouse.query({
      query: 'SELECT count() AS count, any(queue_depth) AS queue_depth, any(kv_cache_usage_ratio) AS kv FROM warden.node_engine_metrics WHERE node = {node:String}',
      query_params: { node: nodeName },
      format: 'JSONEachRow',
    });
    expect(await stored.json()).toEqual([{ count: '1', queue_depth: 3, kv: 0.42 }]);

    await sleep(2_300);
    expect((await agentFields(id)).agentSilent).toBe(true);
    expect((await sendHeartbeat(nodeName, heartbeat())).status).toBe(200);
    expect((await agentFields(id)).agentSilent).toBe(false);
  });

  it('keeps the newest report as the last heartbeat when an older buffered one arrives after it', async () => {
    const name = unique('buffered');
    const id = await createNode(name);
    await sendHeartbeat(name, heartbeat({ sampledAt: new Date(Date.now() - 1_000).toISOString(), models: ['newer'] }));
    await sendHeartbeat(name, heartbeat({ sampledAt: new Date(Date.now() - 60_000).toISOString(), models: ['older'] }));
    expect((await agentFields(id)).servedModels).toEqual(['newer']);
  });

  it('refuses a bad body naming every bad field, an unknown node with 404, and a key without the ingest scope', async () => {
    const bad = await sendHeartbeat(
      nodeName,
      heartbeat({ schemaVersion: 2, sampledAt: 'yesterday', models: 'llama', metrics: { ...(heartbeat().metrics as object), kvCacheUsageRatio: 1.5, queueDepth: -1 }, extra: 1 }),
    );
    expect(bad.status).toBe(400);
    const error = (bad.body as { error: { code: string; message: string; details: { problems: Array<{ field: string }> } } }).error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.problems.map((problem) => problem.field).sort()).toEqual(
      ['extra', 'metrics.kvCacheUsageRatio', 'metrics.queueDepth', 'models', 'sampledAt', 'schemaVersion'].sort(),
    );
    expect((await sendHeartbeat(nodeName, [heartbeat()])).status).toBe(400);
    const missingEngine = await sendHeartbeat(nodeName, heartbeat({ engine: { kind: 'vllm', version: null, error: null } }));
    expect(JSON.stringify(missingEngine.body)).toContain('engine.up');

    const unknown = await sendHeartbeat('no-such-node', heartbeat());
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string; message: string } }).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('no-such-node') as string });
    const unknownPolicy = await getPolicy('no-such-node');
    expect(unknownPolicy.status).toBe(404);

    const gatewayKey = (await createScopedKey(testApp, 'gateway')).secret;
    // A key of another scope is refused as the access guard refuses any key that may not call the route.
    expect([401, 403]).toContain((await sendHeartbeat(nodeName, heartbeat(), gatewayKey)).status);
    expect((await sendHeartbeat(nodeName, heartbeat(), 'wk_not_a_key_at_all_0000000000')).status).toBe(401);
  });

  it('decides the policy for the models declared on the node before its agent ever reported', async () => {
    const name = unique('declared-node');
    const created = await testApp.graphql(`mutation($name: String!) { createNode(name: $name, kind: "vllm", models: ["llama-3.1-70b", "mixtral-8x7b"]) { id } }`, { name });
    expect(created.errors).toBeUndefined();
    await putPolicy({ name: unique('declared-policy'), scope: { node: name }, models: { allow: ['llama-*'] } });
    const answer = await getPolicy(name);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { allowedModels: string[] }).allowedModels).toEqual(['llama-3.1-70b']);
  });

  it('answers the node policy with a strong ETag, 304 while unchanged, a new ETag when the policy changes', async () => {
    const name = unique('policy-node');
    await createNode(name);
    await sendHeartbeat(name, heartbeat({ models: ['llama-3.1-8b', 'qwen-2.5-7b', 'mistral-7b'] }));
    const policyName = unique('node-policy');
    await putPolicy({ name: policyName, scope: { node: name }, models: { allow: ['llama-*', 'phi-3-mini'] } });

    const first = await getPolicy(name);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/
    const body = (await first.json()) as { allowedModels: string[]; version: string; node: string };
    // Served and allowed, plus the model the policy names literally; not the glob itself, not the denied ones.
    expect(body).toMatchObject({ node: name, allowedModels: ['llama-3.1-8b', 'phi-3-mini'] });
    expect(typeof body.version).toBe('string');

    const unchanged = await getPolicy(name, etag);
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    // The same answer twice is the same bytes.
    expect((await getPolicy(name)).headers.get('etag')).toBe(etag);

    await putPolicy({ name: policyName, scope: { node: name }, models: { allow: ['llama-*', 'qwen-*'] } });
    const changed = await getPolicy(name, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const changedBody = (await changed.json()) as { allowedModels: string[]; version: string };
    expect(changedBody.allowedModels).toEqual(['llama-3.1-8b', 'qwen-2.5-7b']);
    expect(changedBody.version).not.toBe(body.version);
  });
});

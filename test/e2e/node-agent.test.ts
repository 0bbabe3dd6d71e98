import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, startAgent, type RunningAgent } from '../collectors/node-agent/agent-process';
import { startFakeEngine, vllmSampleAtScrape, type FakeEngine } from '../collectors/node-agent/fake-engine';
import { chromiumAvailability, launchChromium, signInThroughForm } from '../support/chromium';
import { artifactsDirectory, graphqlRequest, signInOverApi, startServerAsUser, type StartedServer } from '../support/started-server';

// The node agent end to end: `npm start` on an empty DATA_DIR, the real warden-node-agent bin beside a local HTTP
// engine that serves the real vLLM /metrics capture (test/fixtures/data/vllm-metrics-sample.txt, its token counters
// moving between scrapes), heartbeats landing in Postgres and ClickHouse, the node policy pulled with its ETag, and
// the SRE's Nodes list and node detail in a real browser. Agents are called silent after 3 s here.
const nodeName = 'vllm-node-e2e';
const served = ['Qwen/Qwen2.5-Coder-1.5B-Instruct', 'my-lora'];

interface AgentFields {
  id: string;
  name: string;
  lastHeartbeatAt: string | null;
  agentVersion: string | null;
  engineVersion: string | null;
  agentSilent: boolean;
  servedModels: string[];
}

describe('warden-node-agent against a started server, and the Nodes console', () => {
  let server: StartedServer;
  let engine: FakeEngine;
  let agent: RunningAgent | undefined;
  let removeBuild: () => void = () => undefined;
  let token: string;

  const graphql = <T>(query: string, variables: Record<string, unknown> = {}) => graphqlRequest<T>(server.baseUrl, token, query, variables);
  const nodeFields = async () =>
    (await graphql<{ allNodes: AgentFields[] }>(`{ allNodes(filter: { name: "${nodeName}" }) { id name lastHeartbeatAt agentVersion engineVersion agentSilent servedModels } }`)).allNodes[0];

  beforeAll(async () => {
    removeBuild = buildAgent();
    engine = await startFakeEngine({ kind: 'vllm', models: served, version: '0.6.3', metrics: vllmSampleAtScrape });
    server = await startServerAsUser({ WARDEN_AGENT_SILENT_AFTER_SECONDS: '3' });
    token = await signInOverApi(server.baseUrl, server.adminPassword);
    await graphql(`mutation ($name: String!) { createNode(name: $name, kind: "vllm") { id } }`, { name: nodeName });
  }, 240_000);
  afterAll(async () => {
    await agent?.stop();
    await engine?.close();
    await server?.stop();
    removeBuild();
  });

  it('heartbeats reach the server (GraphQL and engine metrics), the policy is pulled, and silence is flagged', async () => {
    // A node policy that allows one of the two served models: the agent must learn it and say what it serves outside it.
    const policy = await fetch(`${server.baseUrl}/api/v1/policies/vllm-node-e2e-models`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'vllm-node-e2e-models', scope: { node: nodeName }, models: { allow: ['Qwen/*'] } }),
    });
    expect(policy.status, await policy.clone().text()).toBe(200);

    agent = startAgent([
      '--engine-url', `${engine.url}/v1`,
      '--server-url', server.baseUrl,
      '--node-name', nodeName,
      '--interval', '1',
    ], { WARDEN_AGENT_KEY: server.ingestKey });
    // The first pull may come before the first heartbeat: then the policy names no served model yet, and the next pull
    // (after the server has heard what the engine serves) changes it.
    await agent.waitForLog(/node policy (received|changed from version \S+): version \S+, allowed models: Qwen\/Qwen2\.5-Coder-1\.5B-Instruct$/m, 30_000);
    await agent.waitForLog(/serving model\(s\) outside the node policy \(version \S+\): my-lora/, 30_000);

    await expect.poll(async () => (await nodeFields()).lastHeartbeatAt, { timeout: 30_000 }).not.toBeNull();
    const fields = await nodeFields();
    expect(fields).toMatchObject({ name: nodeName, engineVersion: '0.6.3', agentSilent: false, servedModels: served });
    expect(fields.agentVersion).toMatch(/^\d+\.\d+\.\d+/);

    // The second scrape onwards has token rates: wait for a point that carries one.
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const series = async () =>
      (
        await graphql<{ nodeEngineMetrics: { points: Array<{ samples: number; queueDepth: number | null; kvCacheUsageRatio: number | null; generationTokensPerSecond: number | null }> } }>(
          `query ($node: String!, $from: DateTime!, $to: DateTime!) { nodeEngineMetrics(node: $node, from: $from, to: $to) { points { samples queueDepth kvCacheUsageRatio generationTokensPerSecond } } }`,
          { node: nodeName, from, to: new Date(Date.now() + 60_000).toISOString() },
        )
      ).nodeEngineMetrics.points;
    await expect.poll(async () => (await series()).some((point) => (point.generationTokensPerSecond ?? 0) > 0), { timeout: 30_000 }).toBe(true);
    const points = await series();
    expect(points.reduce((sum, point) => sum + point.samples, 0)).toBeGreaterThanOrEqual(2);
    // The capture's queue (vllm:num_requests_waiting) and KV-cache use (vllm:gpu_cache_usage_perc) came through.
    expect(points.every((point) => point.queueDepth !== null && point.kvCacheUsageRatio !== null)).toBe(true);

    // Traffic for the node's statistics and the console.
    const events = Array.from({ length: 20 }, (_unused, index) => ({
      id: `node-agent-e2e-${index}`,
      timestamp: new Date(Date.now() - index * 1000).toISOString(),
      team: 'search',
      provider: 'vllm',
      node: nodeName,
      model: served[0],
      operation: 'chat',
      inputTokens: 200,
      outputTokens: 50,
      latencyMs: 100 + index * 10,
      ttftMs: 20 + index,
      status: index === 0 ? 'error' : 'ok',
    }));
    const ingest = await fetch(`${server.baseUrl}/api/v1/ingest/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(ingest.status).toBe(200);
    const { nodeStats } = await graphql<{ nodeStats: { requests: number; errorRate: number; latencyMsP50: number; ttftMsP99: number } }>(
      `query ($node: String!, $from: DateTime!, $to: DateTime!) { nodeStats(node: $node, from: $from, to: $to) { requests errorRate latencyMsP50 ttftMsP99 } }`,
      { node: nodeName, from, to: new Date(Date.now() + 60_000).toISOString() },
    );
    expect(nodeStats).toMatchObject({ requests: 20, errorRate: 0.05, latencyMsP50: 200, ttftMsP99: 39 });

    // The agent stops: after WARDEN_AGENT_SILENT_AFTER_SECONDS without a heartbeat it is flagged silent.
    expect(await agent.stop()).toBe(0);
    agent = undefined;
    await sleep(3_500);
    expect((await nodeFields()).agentSilent).toBe(true);
  }, 120_000);

  const signIn = (page: Page) => signInThroughForm(page, server.baseUrl, 'admin@warden.local', server.adminPassword, { waitFor: { testId: 'total-cost' } });

  it('shows the node in the Nodes list (models, last heartbeat, silent, rate) and its detail (percentiles, engine charts)', async (context) => {
    if (!chromiumAvailability().available) return context.skip();
    fs.mkdirSync(artifactsDirectory, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
      await signIn(page);

      await page.getByRole('menuitem', { name: 'Nodes' }).click();
      const row = page.locator('tbody tr', { hasText: nodeName });
      await row.waitFor({ timeout: 15_000 });
      await expect(row.getByTestId('node-models').innerText()).resolves.toContain('Qwen/Qwen2.5-Coder-1.5B-Instruct');
      await expect(row.getByTestId('node-last-heartbeat').innerText()).resolves.toMatch(/\d\d:\d\d/);
      await row.getByTestId('agent-silent').waitFor({ timeout: 15_000 });
      await expect(row.getByTestId('node-engine-status').innerText()).resolves.toBe('engine up');
      await expect.poll(() => row.getByTestId('node-error-rate').innerText(), { timeout: 15_000 }).toBe('5 %');
      await expect(row.getByTestId('node-requests-per-minute').innerText()).resolves.not.toBe('0');
      await page.screenshot({ path: path.join(artifactsDirectory, 'node-agent-nodes.png'), fullPage: true });

      await row.getByTestId('node-detail-link').click();
      await page.getByTestId('node-summary').waitFor({ timeout: 15_000 });
      await expect(page.getByTestId('node-summary-models').innerText()).resolves.toBe('Qwen/Qwen2.5-Coder-1.5B-Instruct, my-lora');
      await expect.poll(() => page.getByTestId('node-stats-requests').innerText(), { timeout: 15_000 }).toBe('20');
      await expect(page.getByTestId('node-stats-error-rate').innerText()).resolves.toBe('5 %');
      await expect(page.getByTestId('node-stats-latency').innerText()).resolves.toBe('200 ms / 290 ms / 290 ms');
      await expect(page.getByTestId('node-stats-ttft').innerText()).resolves.toBe('30 ms / 39 ms / 39 ms');
      await page.getByTestId('node-engine-charts').waitFor({ timeout: 15_000 });
      await expect(page.getByTestId('node-engine-chart').count()).resolves.toBeGreaterThanOrEqual(3);
      await expect(page.getByTestId('node-engine-charts').locator('svg').count()).resolves.toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: path.join(artifactsDirectory, 'node-agent-detail.png'), fullPage: true });

      await page.getByRole('menuitem', { name: 'Routing' }).click();
      const route = page.locator('[data-testid="routing-row"][data-model="my-lora"]');
      await route.waitFor({ timeout: 15_000 });
      await expect(route.getByTestId('routing-node').first().innerText()).resolves.toContain(nodeName);
      // The node is on-premises (the default location): sensitive traffic for the model may go there.
      await expect(route.getByTestId('routing-sensitive').innerText()).resolves.toContain(nodeName);
      await page.screenshot({ path: path.join(artifactsDirectory, 'node-agent-routing.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';
import { call, unique } from '../policies/policy-test-support';

interface Stats {
  node: string;
  requests: number;
  requestsPerMinute: number;
  errorRate: number;
  latencyMsP50: number | null;
  latencyMsP95: number | null;
  latencyMsP99: number | null;
  ttftMsP50: number | null;
  ttftMsP95: number | null;
  ttftMsP99: number | null;
}

const statsFields = 'node requests requestsPerMinute errorRate latencyMsP50 latencyMsP95 latencyMsP99 ttftMsP50 ttftMsP95 ttftMsP99';

describe('nodeStats and nodeEngineMetrics on the real ClickHouse engine', () => {
  let testApp: TestApp;
  const from = '2026-03-02T10:00:00Z';
  const to = '2026-03-02T11:00:00Z';

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('counts a node’s requests, its rate and error rate, and exact latency and TTFT percentiles; re-sent events count once', async () => {
    const node = unique('stats-node');
    // 100 requests at latencies 1..100 ms, ten of them errors; TTFT on the even ones only (2, 4, …, 100 ms).
    const events = Array.from({ length: 100 }, (_, index) => ({
      id: `stats-${node}-${index}`,
      timestamp: new Date(Date.parse(from) + index * 30_000).toISOString(),
      team: 'sre',
      node,
      provider: 'vllm',
      model: 'llama-3.1-8b',
      operation: 'chat',
      inputTokens: 10,
      outputTokens: 5,
      latencyMs: index + 1,
      ...((index + 1) % 2 === 0 ? { ttftMs: index + 1 } : {}),
      status: index % 10 === 0 ? 'error' : 'ok',
    }));
    expect((await postEvents(testApp, events)).status).toBe(200);
    expect((await postEvents(testApp, events.slice(0, 20))).status).toBe(200);
    // Another node's and an out-of-range request never count.
    await postEvents(testApp, [{ ...events[0], id: randomUUID(), node: 'elsewhere' }, { ...events[0], id: randomUUID(), timestamp: to }]);

    const answer = await testApp.graphql<{ nodeStats: Stats }>(`query($node: String!, $from: DateTime!, $to: DateTime!) { nodeStats(node: $node, from: $from, to: $to) { ${statsFields} } }`, { node, from, to });
    expect(answer.errors).toBeUndefined();
    const stats = answer.data!.nodeStats;
    expect(stats).toMatchObject({ node, requests: 100, errorRate: 0.1 });
    expect(stats.requestsPerMinute).toBeCloseTo(100 / 60, 10);
    // quantileExact: the element at floor(level × n) of the sorted values.
    expect([stats.latencyMsP50, stats.latencyMsP95, stats.latencyMsP99]).toEqual([51, 96, 100]);
    expect([stats.ttftMsP50, stats.ttftMsP95, stats.ttftMsP99]).toEqual([52, 96, 100]);

    const many = await testApp.graphql<{ nodesStats: Stats[] }>(`query($nodes: [String!], $from: DateTime!, $to: DateTime!) { nodesStats(nodes: $nodes, from: $from, to: $to) { node requests errorRate } }`, {
      nodes: [node, 'never-served'],
      from,
      to,
    });
    expect(many.data!.nodesStats).toEqual([
      { node, requests: 100, errorRate: 0.1 },
      { node: 'never-served', requests: 0, errorRate: 0 },
    ]);
  });

  it('answers zeros and null percentiles for a node without requests, refuses a reversed range, and is for admin and sre', async () => {
    const empty = await testApp.graphql<{ nodeStats: Stats }>(`{ nodeStats(node: "idle", from: "${from}", to: "${to}") { ${statsFields} } }`);
    expect(empty.data!.nodeStats).toEqual({
      node: 'idle', requests: 0, requestsPerMinute: 0, errorRate: 0,
      latencyMsP50: null, latencyMsP95: null, latencyMsP99: null, ttftMsP50: null, ttftMsP95: null, ttftMsP99: null,
    });
    const reversed = await testApp.graphql(`{ nodeStats(node: "idle", from: "${to}", to: "${from}") { requests } }`);
    expect(reversed.errors?.[0]).toMatchObject({ message: expect.stringContaining('to') as string, extensions: { code: 'BAD_USER_INPUT' } });
    const sre = await testApp.signIn('sre');
    expect((await testApp.graphql(`{ nodeStats(node: "idle", from: "${from}", to: "${to}") { requests } }`, undefined, sre.token)).errors).toBeUndefined();
    const finance = await testApp.signIn('finance');
    const refused = await testApp.graphql(`{ nodeStats(node: "idle", from: "${from}", to: "${to}") { requests } }`, undefined, finance.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers the engine metrics the agent reported as a bucketed series', async () => {
    const node = unique('engine-node');
    const created = await testApp.graphql(`mutation($name: String!) { createNode(name: $name, kind: "vllm") { id } }`, { name: node });
    expect(created.errors).toBeUndefined();
    const start = Date.now() - 10 * 60_000;
    for (const [offset, queueDepth, kv] of [[0, 2, 0.2], [10_000, 4, 0.4], [120_000, 8, 0.8]] as const) {
      const sent = await call(testApp, 'POST', `/api/v1/nodes/${node}/heartbeat`, testApp.ingestKey, {
        schemaVersion: 1, id: randomUUID(), agentVersion: '0.1.0', sampledAt: new Date(start + offset).toISOString(), intervalSeconds: 15,
        engine: { kind: 'vllm', version: '0.6.3', up: true, error: null }, models: ['llama-3.1-8b'],
        metrics: { queueDepth, running: 1, kvCacheUsageRatio: kv, promptTokensPerSecond: 100, generationTokensPerSecond: 50, ttftSeconds: null, error: null },
        policyVersion: null, droppedReports: 0,
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    }
    const series = await testApp.graphql<{ nodeEngineMetrics: { bucketSeconds: number; points: Array<{ samples: number; queueDepth: number; queueDepthMax: number; kvCacheUsageRatio: number; generationTokensPerSecond: number; engineUpRatio: number }> } }>(
      `query($node: String!, $from: DateTime!, $to: DateTime!) { nodeEngineMetrics(node: $node, from: $from, to: $to) { bucketSeconds points { time samples engineUpRatio queueDepth queueDepthMax kvCacheUsageRatio generationTokensPerSecond } } }`,
      { node, from: new Date(start - 60_000).toISOString(), to: new Date().toISOString() },
    );
    expect(series.errors).toBeUndefined();
    const { bucketSeconds, points } = series.data!.nodeEngineMetrics;
    expect(bucketSeconds).toBe(15);
    expect(points.reduce((sum, point) => sum + point.samples, 0)).toBe(3);
    expect(points.map((point) => point.queueDepthMax).sort((a, b) => a - b)).toEqual(points.length === 3 ? [2, 4, 8] : [4, 8]);
    expect(points.at(-1)).toMatchObject({ queueDepth: 8, kvCacheUsageRatio: 0.8, generationTokensPerSecond: 50, engineUpRatio: 1 });
  });
});

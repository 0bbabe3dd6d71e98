import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluatorService } from '../../../../server/src/modules/alerts/alert-evaluator.service';
import { startTestApp, type TestApp } from '../../../support/test-app';
import { postEvents, postScores } from '../evals/evals-support';
import { postGpuSamples, type SampleInput } from '../gpu/gpu-support';
import { call, createScopedKey, unique } from '../policies/policy-test-support';

const minute = 60_000;

const sample = (at: Date, extra: Partial<SampleInput> = {}): SampleInput => ({
  timestamp: at.toISOString(),
  node: 'gpu-node-a',
  gpuUuid: 'GPU-aaaa',
  gpuIndex: 0,
  gpuName: 'NVIDIA H100 80GB HBM3',
  migInstance: null,
  utilizationRatio: 0.5,
  memoryUtilizationRatio: 0.25,
  memoryUsedBytes: 40 * 1024 ** 3,
  memoryTotalBytes: 80 * 1024 ** 3,
  powerDrawWatts: 312.45,
  powerLimitWatts: 700,
  temperatureCelsius: 61,
  smClockHertz: 1_980_000_000,
  eccErrorsTotal: 0,
  throttleReasons: [],
  ...extra,
});

interface FiringAlert {
  ruleName: string;
  kind: string;
  labels: Record<string, string>;
  value: number;
  threshold: number;
}

// Each kind read from the real stores: GPU samples, policy decisions, registered nodes. The clock is real here (the
// stores refuse samples far from now), so every reading is relative to the moment the test runs.
describe('alert rules read their signals from the real stores', () => {
  let testApp: TestApp;
  let evaluator: AlertEvaluatorService;
  const team = unique('denied');

  beforeAll(async () => {
    testApp = await startTestApp({ WARDEN_ALERTS_INTERVAL_SECONDS: '3600' });
    evaluator = testApp.app.get(AlertEvaluatorService);
  });
  afterAll(async () => {
    await testApp?.close();
  });

  const createRule = async (name: string, kind: string, params: Record<string, unknown>, scope: { team?: string; node?: string } = {}) => {
    const answer = await testApp.graphql(`mutation($name: String!, $kind: String!, $params: JSON, $team: String, $node: String) { createAlertRule(name: $name, kind: $kind, params: $params, team: $team, node: $node) { id } }`, {
      name,
      kind,
      params,
      ...scope,
    });
    expect(answer.errors).toBeUndefined();
  };
  const firing = async () => {
    const answer = await testApp.graphql<{ allAlerts: FiringAlert[] }>(`{ allAlerts(filter: {state: "firing"}, perPage: 100) { ruleName kind labels value threshold } }`);
    expect(answer.errors).toBeUndefined();
    return answer.data!.allAlerts;
  };

  it('gpu_hot, gpu_idle and agent_silent from GPU samples; node_down from registered nodes with no data', async () => {
    const now = new Date();
    const samples: SampleInput[] = [];
    for (let step = 1; step <= 12; step += 1) {
      const at = new Date(now.getTime() - step * 5 * minute);
      // a: reports now, one GPU at 95 °C; b: went quiet 40 minutes ago; c: reporting, idle.
      samples.push(sample(at, { temperatureCelsius: step === 1 ? 95 : 70 }));
      if (step >= 8) samples.push(sample(at, { node: 'gpu-node-b', gpuUuid: 'GPU-bbbb' }));
      samples.push(sample(at, { node: 'gpu-node-c', gpuUuid: 'GPU-cccc', utilizationRatio: 0.01 }));
    }
    const ingest = await postGpuSamples(testApp, { samples });
    expect(ingest.status, JSON.stringify(ingest.body)).toBe(200);
    // A registered node with no sample and no request: down, once it has had the window to report.
    expect((await testApp.graphql(`mutation { createNode(name: "gpu-node-d", kind: "vllm") { id } }`)).errors).toBeUndefined();

    await createRule('hot', 'gpu_hot', { windowMinutes: 15, temperatureAboveCelsius: 90 });
    await createRule('idle', 'gpu_idle', { windowHours: 1, utilizationBelowPercent: 5 }, { node: 'gpu-node-c' });
    await createRule('silent', 'agent_silent', { windowMinutes: 10 });
    await createRule('down', 'node_down', { windowMinutes: 10 });
    const report = await evaluator.evaluateNow(now);
    expect(report.failedRules).toBe(0);
    const alerts = await firing();
    const byRule = (name: string) => alerts.filter((alert) => alert.ruleName === name).map((alert) => alert.labels);
    expect(byRule('hot')).toEqual([{ node: 'gpu-node-a', gpu: 'GPU-aaaa' }]);
    expect(alerts.find((alert) => alert.ruleName === 'hot')).toMatchObject({ value: 95, threshold: 90 });
    expect(byRule('silent')).toEqual([{ node: 'gpu-node-b', agent: 'gpu-exporter' }]);
    expect(byRule('down')).toEqual([]);
    // gpu_idle needs the GPU to have reported from the window's start: c has (an hour of samples), so it is idle.
    expect(byRule('idle')).toEqual([{ node: 'gpu-node-c', gpu: 'GPU-cccc' }]);

    // Eleven minutes on, the new node has had its window and sent nothing.
    await evaluator.evaluateNow(new Date(now.getTime() + 11 * minute));
    expect((await firing()).filter((alert) => alert.ruleName === 'down').map((alert) => alert.labels)).toEqual([{ node: 'gpu-node-d' }]);
  });

  it('node_down and agent_silent from node agent heartbeats: an engine reported down, an agent gone quiet', async () => {
    expect((await testApp.graphql(`mutation { createNode(name: "agent-node", kind: "vllm") { id } }`)).errors).toBeUndefined();
    const now = new Date();
    const heartbeat = await call(testApp, 'POST', '/api/v1/nodes/agent-node/heartbeat', testApp.ingestKey, {
      schemaVersion: 1,
      id: randomUUID(),
      agentVersion: '0.1.0',
      sampledAt: now.toISOString(),
      intervalSeconds: 15,
      engine: { kind: 'vllm', version: '0.6.3', up: false, error: 'connection refused' },
      models: [],
      metrics: { queueDepth: null, running: null, kvCacheUsageRatio: null, promptTokensPerSecond: null, generationTokensPerSecond: null, ttftSeconds: null, error: 'engine down' },
      policyVersion: null,
      droppedReports: 0,
    });
    expect(heartbeat.status, JSON.stringify(heartbeat.body)).toBe(200);
    await createRule('agent down', 'node_down', { windowMinutes: 10 }, { node: 'agent-node' });
    await createRule('agent quiet', 'agent_silent', { windowMinutes: 5 }, { node: 'agent-node' });
    // A minute on: the agent said the engine is down (no grace for a node heard from); the agent itself is not quiet.
    await evaluator.evaluateNow(new Date(now.getTime() + minute));
    const early = (await firing()).filter((alert) => alert.ruleName.startsWith('agent '));
    expect(early.map((alert) => alert.ruleName)).toEqual(['agent down']);
    const summary = await testApp.graphql<{ allAlerts: Array<{ summary: string }> }>(`{ allAlerts(filter: {q: "agent down"}) { summary } }`);
    expect(summary.data!.allAlerts[0].summary).toContain('reports the engine down (connection refused)');
    // Eleven minutes on, nothing has come since: still down, and the agent is silent.
    await evaluator.evaluateNow(new Date(now.getTime() + 11 * minute));
    const alerts = (await firing()).filter((alert) => alert.ruleName.startsWith('agent '));
    expect(alerts.map((alert) => [alert.ruleName, alert.labels]).sort()).toEqual([
      ['agent down', { node: 'agent-node' }],
      ['agent quiet', { node: 'agent-node', agent: 'node-agent' }],
    ]);
  });

  it('policy_deny_spike counts refused decisions per team over the window', async () => {
    await call(testApp, 'PUT', `/api/v1/policies/${team}`, testApp.sessionToken, { name: team, scope: { team }, models: { allow: ['gpt-4o'] } }).then((answer) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    });
    const key = await createScopedKey(testApp, 'authorize');
    for (let index = 0; index < 3; index += 1) {
      const answer = await call<{ allowed: boolean; reason?: string }>(testApp, 'POST', '/api/v1/authorize', key.secret, { team, model: 'claude-opus', inputTokens: 10 });
      expect(answer.body).toMatchObject({ allowed: false, reason: 'model_not_allowed' });
    }
    await createRule('denies', 'policy_deny_spike', { windowMinutes: 5, threshold: 3 }, { team });
    await createRule('denies-high', 'policy_deny_spike', { windowMinutes: 5, threshold: 4 }, { team });
    // Decisions are written in the background: look until the third is stored.
    let alerts: FiringAlert[] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      await evaluator.evaluateNow(new Date());
      alerts = (await firing()).filter((alert) => alert.kind === 'policy_deny_spike');
      if (alerts.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alerts).toEqual([{ ruleName: 'denies', kind: 'policy_deny_spike', labels: { team }, value: 3, threshold: 3 }]);
  });

  it('records a rule whose reading failed and leaves its alerts as they were', async () => {
    const denials = async () => (await firing()).filter((alert) => alert.kind === 'policy_deny_spike');
    const before = await denials();
    expect(before).toHaveLength(1);
    await testApp.engines.clickhouse.command({ query: 'RENAME TABLE warden.policy_decisions TO warden.policy_decisions_away' });
    try {
      const report = await evaluator.evaluateNow(new Date());
      expect(report.failedRules).toBe(2);
      expect(await denials()).toEqual(before);
      const rules = await testApp.graphql<{ allAlertRules: Array<{ name: string; lastError: string | null }> }>(`{ allAlertRules(filter: {kind: "policy_deny_spike"}) { name lastError } }`);
      expect(rules.data!.allAlertRules.every((rule) => rule.lastError !== null)).toBe(true);
    } finally {
      await testApp.engines.clickhouse.command({ query: 'RENAME TABLE warden.policy_decisions_away TO warden.policy_decisions' });
    }
  });

  it('hallucination_rate fires per model over the window, and resolves once the window has moved past', async () => {
    const at = '2026-03-02T10:00:00Z';
    const requests = ['h1', 'h2', 'h3', 'h4', 'ok1', 'ok2', 'ok3', 'ok4'].map((id) => ({
      id: `hal-${id}`,
      timestamp: at,
      team: 'hal',
      provider: 'vllm',
      model: id.startsWith('h') ? 'llama-h' : 'gpt-ok',
      inputTokens: 10,
      outputTokens: 10,
    }));
    expect((await postEvents(testApp, requests)).status).toBe(200);
    // HHEM: under 0.5 is hallucinated. llama-h: 3 of 4; gpt-ok: none.
    const values: Record<string, number> = { h1: 0.1, h2: 0.2, h3: 0.3, h4: 0.9, ok1: 0.9, ok2: 0.8, ok3: 0.95, ok4: 0.7 };
    const scores = Object.entries(values).map(([id, value]) => ({ id: `hal-score-${id}`, requestId: `hal-${id}`, team: 'hal', name: 'hhem-2.1', value, timestamp: at }));
    expect((await postScores(testApp, scores)).body).toMatchObject({ accepted: 8, rejected: 0 });
    await createRule('hallucinating', 'hallucination_rate', { windowMinutes: 60, threshold: 0.5, minScored: 3 }, { team: 'hal' });

    let alerts: FiringAlert[] = [];
    for (let attempt = 0; attempt < 50 && alerts.length === 0; attempt += 1) {
      await evaluator.evaluateNow(new Date('2026-03-02T10:30:00Z'));
      alerts = (await firing()).filter((alert) => alert.ruleName === 'hallucinating');
      if (alerts.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alerts).toEqual([{ ruleName: 'hallucinating', kind: 'hallucination_rate', labels: { model: 'llama-h', team: 'hal' }, value: 0.75, threshold: 0.5 }]);
    // Two hours on the window holds no scored request: nothing to judge, the alert clears.
    expect(await evaluator.evaluateNow(new Date('2026-03-02T12:30:00Z'))).toMatchObject({ resolved: 1 });
    expect((await firing()).filter((alert) => alert.ruleName === 'hallucinating')).toEqual([]);
  });
});

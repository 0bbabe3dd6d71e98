/**
 * The built agent running as a daemon beside a fake engine, reporting to a fake Warden: heartbeats, rates,
 * the policy's ETag round trip, Warden and the engine going away and coming back, and SIGTERM.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHeartbeat } from '../../collectors/src/node-agent/node-report';
import { buildAgent, startAgent, waitUntil, type RunningAgent } from './node-agent/agent-process';
import { startFakeEngine, vllmSampleAtScrape, type FakeEngine } from './node-agent/fake-engine';
import { startFakeWarden, type FakeWarden } from './node-agent/fake-warden';

const MODEL = 'Qwen/Qwen2.5-Coder-1.5B-Instruct';

let removeBuild: () => void = () => undefined;
beforeAll(() => {
  removeBuild = buildAgent();
});
afterAll(() => removeBuild());

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setUp(): Promise<{ engine: FakeEngine; warden: FakeWarden }> {
  const engine = await startFakeEngine({ kind: 'vllm', metrics: vllmSampleAtScrape });
  const warden = await startFakeWarden({ allowedModels: [MODEL], version: 1 });
  cleanups.push(engine.close, warden.close);
  return { engine, warden };
}

function agent(engine: FakeEngine, warden: FakeWarden, extra: string[] = []): RunningAgent {
  const running = startAgent(['--engine-url', engine.url, '--server-url', warden.url, '--node-name', 'gpu-1', '--interval', '0.2', ...extra], {
    WARDEN_AGENT_KEY: 'agent-secret',
  });
  cleanups.push(() => running.stop('SIGKILL'));
  return running;
}

const reports = (warden: FakeWarden): NodeHeartbeat[] => warden.heartbeats.map((heartbeat) => heartbeat.report);

describe('warden-node-agent reporting', () => {
  it('heartbeats every --interval with rates from the engine\'s counters, pulls the policy with its ETag, stops on SIGTERM', async () => {
    const { engine, warden } = await setUp();
    const running = agent(engine, warden);
    await waitUntil(() => warden.heartbeats.length >= 4, 'four heartbeats');

    for (const heartbeat of warden.heartbeats) {
      expect(heartbeat).toMatchObject({ nodeName: 'gpu-1', authorization: 'Bearer agent-secret', contentType: 'application/json' });
      expect(heartbeat.report).toMatchObject({ engine: { kind: 'vllm', up: true, version: '0.7.2' }, models: [MODEL], intervalSeconds: 0.2, droppedReports: 0 });
    }
    const [first, second, third] = reports(warden) as [NodeHeartbeat, NodeHeartbeat, NodeHeartbeat];
    expect(first.metrics.generationTokensPerSecond).toBeNull();
    // The engine's counters move 100 prompt and 400 generated tokens per scrape: both rates span the same time.
    for (const later of [second, third]) {
      expect(later.metrics.promptTokensPerSecond).toBeGreaterThan(0);
      expect((later.metrics.generationTokensPerSecond as number) / (later.metrics.promptTokensPerSecond as number)).toBeCloseTo(4, 2);
    }
    expect(new Set(reports(warden).map((report) => report.id)).size).toBe(warden.heartbeats.length);
    const sampled = reports(warden).map((report) => Date.parse(report.sampledAt));
    expect([...sampled].sort((a, b) => a - b)).toEqual(sampled);

    // The first pull takes the policy and its ETag; later pulls send it back and get 304.
    expect(warden.policyRequests[0]).toMatchObject({ ifNoneMatch: undefined, status: 200 });
    expect(warden.policyRequests.slice(1).length).toBeGreaterThan(0);
    for (const request of warden.policyRequests.slice(1)) expect(request).toMatchObject({ ifNoneMatch: '"policy-1"', status: 304 });
    expect(reports(warden).at(-1)?.policyVersion).toBe(1);

    // A new policy that no longer allows the served model: taken, logged, and reported by version.
    warden.setPolicy({ allowedModels: ['meta-llama/Llama-3.1-8B-Instruct'], version: 2 });
    await running.waitForLog(/node policy changed from version 1: version 2, allowed models: meta-llama\/Llama-3\.1-8B-Instruct/);
    await running.waitForLog(/serving model\(s\) outside the node policy \(version 2\): Qwen\/Qwen2\.5-Coder-1\.5B-Instruct/);
    await waitUntil(() => reports(warden).at(-1)?.policyVersion === 2, 'a report holding policy version 2');

    const heartbeatsBefore = warden.heartbeats.length;
    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.log()).toMatch(/SIGTERM: stopping\n.*stopped\n$/);
    // Nothing after the stop: no cycle cut short by it was reported as an engine failure.
    expect(reports(warden).slice(heartbeatsBefore - 1).every((report) => report.engine.up)).toBe(true);
    expect(running.log()).not.toMatch(/engine down/);
  });

  it('while Warden is down: keeps the newest reports in a bounded buffer, counts the dropped, delivers oldest first on return', async () => {
    const { engine, warden } = await setUp();
    await warden.stop();
    // --engine-kind: one scrape per report, so scrapes count reports.
    const running = agent(engine, warden, ['--engine-kind', 'vllm', '--interval', '0.1', '--max-buffered-reports', '5', '--max-retry-delay', '0.3']);
    await running.waitForLog(/heartbeat to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/nodes\/gpu-1\/heartbeat failed \(connect ECONNREFUSED [^)]+\), will retry with back-off/);
    await running.waitForLog(/report buffer full \(5\): dropping the oldest report for each new one until Warden answers/);
    await waitUntil(() => engine.metricsScrapes() >= 12, 'twelve engine scrapes during the outage');
    const scrapesDuringOutage = engine.metricsScrapes();

    await warden.start();
    const [, droppedMeanwhile] = await running.waitForLog(/heartbeats to .* delivered again; \d+ buffered report\(s\) follow; (\d+) report\(s\) dropped meanwhile/);
    expect(Number(droppedMeanwhile)).toBeGreaterThanOrEqual(scrapesDuringOutage - 5 - 1);
    expect(running.log().match(/report buffer full/g)).toHaveLength(1);
    await waitUntil(() => warden.heartbeats.length >= 8, 'the buffer and new reports delivered');

    const delivered = reports(warden);
    const sampled = delivered.map((report) => Date.parse(report.sampledAt));
    expect([...sampled].sort((a, b) => a - b)).toEqual(sampled);
    // The buffered five came first; the oldest of them already knew of drops made before it was queued.
    const afterOutage = delivered.filter((report) => report.droppedReports > 0);
    expect(afterOutage.length).toBeGreaterThan(0);
    const finalDropCount = delivered.at(-1)?.droppedReports as number;
    expect(finalDropCount).toBeGreaterThanOrEqual(scrapesDuringOutage - 5 - 1);
    // Every report the agent made is delivered or counted as dropped (a cycle cut short by SIGTERM makes none).
    expect(await running.stop('SIGTERM')).toBe(0);
    const accountedFor = warden.heartbeats.length + finalDropCount;
    expect([engine.metricsScrapes(), engine.metricsScrapes() - 1]).toContain(accountedFor);
  });

  it('engine down: heartbeats say so with the cause; engine back: up again with its models', async () => {
    const { engine, warden } = await setUp();
    const running = agent(engine, warden);
    await waitUntil(() => reports(warden).some((report) => report.engine.up), 'an "up" heartbeat');

    await engine.stop();
    await waitUntil(() => reports(warden).filter((report) => !report.engine.up).length >= 2, 'two "down" heartbeats');
    const downReports = reports(warden).filter((report) => !report.engine.up);
    for (const down of downReports) {
      expect(down.engine).toEqual({ kind: 'vllm', version: null, up: false, error: `GET ${engine.url}/v1/models: connect ECONNREFUSED 127.0.0.1:${engine.port}` });
      expect(down.models).toEqual([]);
    }
    // The cycle that saw the engine go may have read its metrics just before; the next one finds none.
    expect(downReports[1]?.metrics).toMatchObject({ queueDepth: null, running: null, error: expect.stringContaining('ECONNREFUSED') as unknown });
    await running.waitForLog(/engine down: GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: connect ECONNREFUSED/);

    await engine.start();
    const downAt = warden.heartbeats.indexOf(warden.heartbeats.find((heartbeat) => !heartbeat.report.engine.up) as (typeof warden.heartbeats)[number]);
    await waitUntil(() => reports(warden).slice(downAt).some((report) => report.engine.up), 'an "up" heartbeat after the outage');
    const back = reports(warden)
      .slice(downAt)
      .find((report) => report.engine.up) as NodeHeartbeat;
    expect(back).toMatchObject({ engine: { kind: 'vllm', version: '0.7.2', error: null }, models: [MODEL] });
    expect(running.log().match(/engine down/g)).toHaveLength(1); // one line per change, not one per cycle
    expect(running.log().match(/engine up/g)).toHaveLength(2);
    expect(await running.stop('SIGTERM')).toBe(0);
  });

  it('names a refused key in the log and keeps the reports until Warden takes them', async () => {
    const { engine, warden } = await setUp();
    warden.setHeartbeatStatus(401);
    const running = agent(engine, warden, ['--max-retry-delay', '0.3']);
    await running.waitForLog(/heartbeat to .* failed with HTTP 401 \(the agent key is missing, wrong or revoked: check --api-key \/ WARDEN_AGENT_KEY\), will retry with back-off/);
    await waitUntil(() => warden.refusedHeartbeats() >= 2, 'two refused attempts');
    warden.setHeartbeatStatus(202);
    await waitUntil(() => warden.heartbeats.length >= 3, 'the kept reports delivered');
    expect(reports(warden).every((report) => report.droppedReports === 0)).toBe(true);
    expect(await running.stop('SIGTERM')).toBe(0);
  });
});

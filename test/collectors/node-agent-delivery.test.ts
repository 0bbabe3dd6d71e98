/**
 * The agent's two conversations with Warden, in-process against a real local HTTP server: the report pusher
 * (order, bound, back-off, refusals) and the policy client (ETag, 304, keeping the last policy).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../collectors/src/node-agent/command-line';
import { HEARTBEAT_SCHEMA_VERSION, type NodeHeartbeat } from '../../collectors/src/node-agent/node-report';
import { nodeEndpoint } from '../../collectors/src/node-agent/node-agent';
import { parseNodePolicy, PolicyClient } from '../../collectors/src/node-agent/policy-client';
import { ReportPusher } from '../../collectors/src/node-agent/report-pusher';
import { waitUntil } from './node-agent/agent-process';
import { startFakeWarden, type FakeWarden } from './node-agent/fake-warden';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function warden(...args: Parameters<typeof startFakeWarden>): Promise<FakeWarden> {
  const started = await startFakeWarden(...args);
  cleanups.push(started.close);
  return started;
}

function heartbeat(sequence: number): NodeHeartbeat {
  return {
    schemaVersion: HEARTBEAT_SCHEMA_VERSION,
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    agentVersion: '0.1.0',
    sampledAt: new Date(Date.UTC(2026, 0, 5, 9, 0, sequence)).toISOString(),
    intervalSeconds: 15,
    engine: { kind: 'vllm', version: '0.7.2', up: true, error: null },
    models: ['m'],
    metrics: { queueDepth: 0, running: sequence, kvCacheUsageRatio: 0.5, promptTokensPerSecond: null, generationTokensPerSecond: null, ttftSeconds: null, error: null },
    policyVersion: null,
    droppedReports: 0,
  };
}

function pusher(target: FakeWarden, log: string[], maxBufferedReports = 100): ReportPusher {
  const created = new ReportPusher({
    heartbeatUrl: nodeEndpoint(target.url, 'gpu-1', 'heartbeat'),
    apiKey: 'agent-secret',
    userAgent: 'test',
    log: (line) => log.push(line),
    maxBufferedReports,
    initialRetryDelayMilliseconds: 50,
    maxRetryDelayMilliseconds: 200,
    random: () => 0.5,
  });
  cleanups.push(() => Promise.resolve(created.stop()));
  return created;
}

const running = (target: FakeWarden): number[] => target.heartbeats.map((received) => received.report.metrics.running as number);

describe('report pusher', () => {
  it('after a failure, new reports wait for the back-off instead of each trying at once; then all go, oldest first', async () => {
    const target = await warden();
    target.setHeartbeatStatus(503);
    const log: string[] = [];
    const reports = pusher(target, log);
    reports.enqueue(heartbeat(1));
    expect(await reports.flush()).toBe(false);
    expect(reports.backingOff).toBe(true);
    for (const sequence of [2, 3, 4]) {
      reports.enqueue(heartbeat(sequence));
      reports.pushSoon();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(target.refusedHeartbeats()).toBe(1);
    expect(reports.bufferedReports).toBe(4);

    target.setHeartbeatStatus(202);
    // The agent's count lands after Warden's answer, so wait on it rather than on what Warden received.
    await waitUntil(() => reports.deliveredReports === 4, 'four delivered');
    expect(running(target)).toEqual([1, 2, 3, 4]);
    expect(reports.droppedReports).toBe(0);
    expect(log).toEqual([
      expect.stringMatching(/heartbeat to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/nodes\/gpu-1\/heartbeat failed with HTTP 503, will retry with back-off/),
      expect.stringMatching(/delivered again; 3 buffered report\(s\) follow$/),
    ]);
  });

  it('keeps the newest reports when the buffer is full and counts the dropped', async () => {
    const target = await warden();
    await target.stop();
    const log: string[] = [];
    const reports = pusher(target, log, 3);
    for (let sequence = 1; sequence <= 7; sequence += 1) reports.enqueue(heartbeat(sequence));
    expect(reports.bufferedReports).toBe(3);
    expect(reports.droppedReports).toBe(4);
    await target.start();
    expect(await reports.flush()).toBe(true);
    expect(running(target)).toEqual([5, 6, 7]);
    expect(log).toEqual([
      'report buffer full (3): dropping the oldest report for each new one until Warden answers',
      expect.stringMatching(/delivered again; 2 buffered report\(s\) follow; 4 report\(s\) dropped meanwhile$/),
    ]);
  });

  it('drops a report Warden refuses as invalid (422), counts it, and goes on with the next', async () => {
    const target = await warden();
    const log: string[] = [];
    const reports = pusher(target, log);
    target.setHeartbeatStatus(422);
    reports.enqueue(heartbeat(1));
    expect(await reports.flush()).toBe(true);
    target.setHeartbeatStatus(202);
    reports.enqueue(heartbeat(2));
    expect(await reports.flush()).toBe(true);
    expect(running(target)).toEqual([2]);
    expect(reports.droppedReports).toBe(1);
    expect(log[0]).toMatch(/Warden refused a report with HTTP 422, dropping it/);
  });

  it('URI-encodes the node name in the endpoints', () => {
    expect(nodeEndpoint('http://warden:4000', 'rack 1/gpu#2', 'heartbeat')).toBe('http://warden:4000/api/v1/nodes/rack%201%2Fgpu%232/heartbeat');
    expect(nodeEndpoint('http://warden:4000/base', 'n', 'policy')).toBe('http://warden:4000/base/api/v1/nodes/n/policy');
  });
});

describe('policy client', () => {
  function client(url: string, log: string[]): PolicyClient {
    return new PolicyClient({ policyUrl: url, apiKey: 'agent-secret', userAgent: 'test', log: (line) => log.push(line), timeoutMilliseconds: 2_000 });
  }

  it('takes the policy and its ETag, sends it back, keeps the policy on 304, takes a new one when it changes', async () => {
    const target = await warden();
    const log: string[] = [];
    const policy = client(nodeEndpoint(target.url, 'gpu-1', 'policy'), log);
    expect(await policy.refresh()).toBe('absent');
    expect(policy.current).toBeUndefined();

    target.setPolicy({ allowedModels: ['a', 'b'], version: 'v1' });
    expect(await policy.refresh()).toBe('changed');
    expect(policy.current?.policy).toEqual({ allowedModels: ['a', 'b'], version: 'v1' });
    expect(policy.current?.etag).toBe('"policy-v1"');
    expect(await policy.refresh()).toBe('unchanged');
    expect(await policy.refresh()).toBe('unchanged');
    expect(target.policyRequests.map((request) => [request.ifNoneMatch, request.status])).toEqual([
      [undefined, 404],
      [undefined, 200],
      ['"policy-v1"', 304],
      ['"policy-v1"', 304],
    ]);
    expect(target.policyRequests.every((request) => request.authorization === 'Bearer agent-secret')).toBe(true);

    target.setPolicy({ allowedModels: ['c'], version: 'v2' });
    expect(await policy.refresh()).toBe('changed');
    expect(policy.current?.policy.allowedModels).toEqual(['c']);
    expect(log).toEqual([
      expect.stringMatching(/^Warden has no policy for this node \(GET .*: HTTP 404: .*\); no policy held yet$/),
      'node policy received: version v1, allowed models: a, b',
      'node policy changed from version v1: version v2, allowed models: c',
    ]);
  });

  it('keeps the last policy through an unreachable Warden and through an unreadable answer', async () => {
    let answer = JSON.stringify({ allowedModels: ['a'], version: 3 });
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', etag: `"${answer.length}"` }).end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/nodes/gpu-1/policy`;
    const log: string[] = [];
    const policy = client(url, log);
    expect(await policy.refresh()).toBe('changed');

    answer = '{"allowedModels": "everything", "version": 4}';
    expect(await policy.refresh()).toBe('failed');
    answer = '<html>';
    expect(await policy.refresh()).toBe('failed');
    expect(policy.current?.policy).toEqual({ allowedModels: ['a'], version: 3 });

    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect(await policy.refresh()).toBe('failed');
    expect(policy.current?.policy.version).toBe(3);
    expect(log.slice(1)).toEqual([
      expect.stringMatching(/is unreadable \(allowedModels must be an array of strings\); keeping version 3$/),
      expect.stringMatching(/is unreadable \(not JSON\); keeping version 3$/),
      // A pooled connection the server closed, or a refused new one, depending on timing.
      expect.stringMatching(/^policy pull failed: GET .*: (connect ECONNREFUSED|UND_ERR_SOCKET).*; keeping version 3$/),
    ]);
  });

  it('parses the policy document strictly', () => {
    expect(parseNodePolicy({ allowedModels: [], version: 0 })).toEqual({ allowedModels: [], version: 0 });
    expect(parseNodePolicy({ allowedModels: ['a'], version: '2026-01-05T09:00:00Z', extra: true })).toEqual({ allowedModels: ['a'], version: '2026-01-05T09:00:00Z' });
    expect(parseNodePolicy([])).toBe('not a JSON object');
    expect(parseNodePolicy({ allowedModels: [1], version: 1 })).toBe('allowedModels must be an array of strings');
    expect(parseNodePolicy({ allowedModels: ['a'] })).toBe('version must be a string or a number');
  });
});

describe('command line, parsed', () => {
  it('takes the keys from the environment, drops /v1 and trailing slashes, and defaults the rest', () => {
    const parsed = parseCommandLine(['--engine-url', 'http://127.0.0.1:8000/v1/', '--server-url', 'https://warden.example/'], {
      WARDEN_AGENT_KEY: 'agent-secret',
      WARDEN_ENGINE_API_KEY: 'engine-secret',
    });
    expect(parsed).toMatchObject({
      ok: true,
      options: {
        engineUrl: 'http://127.0.0.1:8000',
        serverUrl: 'https://warden.example',
        apiKey: 'agent-secret',
        engineApiKey: 'engine-secret',
        engineKind: undefined,
        metricsUrl: undefined,
        intervalSeconds: 15,
        engineTimeoutSeconds: 5,
        maxBufferedReports: 240,
        maxRetryDelaySeconds: 60,
        once: false,
      },
    });
    const flagsWin = parseCommandLine(['--engine-url=http://e', '--once', '--api-key', 'flag-key', '--metrics-url', 'http://e:9000/metrics?x=1'], { WARDEN_AGENT_KEY: 'env-key' });
    expect(flagsWin).toMatchObject({ ok: true, options: { apiKey: 'flag-key', metricsUrl: 'http://e:9000/metrics?x=1', serverUrl: undefined } });
  });
});

describe('report pusher at shutdown', () => {
  it('gives a hanging Warden until the deadline, then abandons the delivery', async () => {
    const hanging = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          hanging.closeAllConnections();
          hanging.close(resolve);
        }),
    );
    const log: string[] = [];
    const reports = new ReportPusher({
      heartbeatUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/api/v1/nodes/gpu-1/heartbeat`,
      apiKey: 'agent-secret',
      userAgent: 'test',
      log: (line) => log.push(line),
      maxBufferedReports: 10,
      maxRetryDelayMilliseconds: 1_000,
      requestTimeoutMilliseconds: 60_000,
    });
    reports.enqueue(heartbeat(1));
    expect(await reports.flushWithin(300)).toBe(false);
    reports.stop();
    expect(await reports.flush()).toBe(false);
    expect(reports.bufferedReports).toBe(1);
    expect(reports.deliveredReports).toBe(0);
  });
});

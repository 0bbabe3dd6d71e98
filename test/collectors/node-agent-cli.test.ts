/** The built warden-node-agent bin, run with node as an operator runs it, against fake engines over HTTP. */
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHeartbeat } from '../../collectors/src/node-agent/node-report';
import { buildAgent, runAgent } from './node-agent/agent-process';
import { startFakeEngine, type FakeEngine, type FakeEngineOptions } from './node-agent/fake-engine';
import { startFakeWarden, type FakeWarden } from './node-agent/fake-warden';

let removeBuild: () => void = () => undefined;
beforeAll(() => {
  removeBuild = buildAgent();
});
afterAll(() => removeBuild());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function engine(options: FakeEngineOptions): Promise<FakeEngine> {
  const started = await startFakeEngine(options);
  cleanups.push(started.close);
  return started;
}

async function warden(...args: Parameters<typeof startFakeWarden>): Promise<FakeWarden> {
  const started = await startFakeWarden(...args);
  cleanups.push(started.close);
  return started;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const report = (stdout: string): NodeHeartbeat => JSON.parse(stdout) as NodeHeartbeat;

describe('warden-node-agent --once', () => {
  it('vLLM (the real capture): models, version and metrics as one JSON report, exit 0', async () => {
    const vllm = await engine({ kind: 'vllm', models: ['Qwen/Qwen2.5-Coder-1.5B-Instruct', 'my-lora'], version: '0.7.2' });
    const result = await runAgent(['--once', '--engine-url', `${vllm.url}/v1`, '--engine-kind', 'vllm', '--node-name', 'gpu-1']);
    expect(result.code).toBe(0);
    const heartbeat = report(result.stdout);
    expect(heartbeat).toMatchObject({
      schemaVersion: 1,
      agentVersion: '0.1.0',
      intervalSeconds: 15,
      engine: { kind: 'vllm', version: '0.7.2', up: true, error: null },
      models: ['Qwen/Qwen2.5-Coder-1.5B-Instruct', 'my-lora'],
      metrics: { queueDepth: 0, running: 0, kvCacheUsageRatio: 0, promptTokensPerSecond: null, generationTokensPerSecond: null, ttftSeconds: null, error: null },
      policyVersion: null,
      droppedReports: 0,
    });
    expect(heartbeat.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(heartbeat.sampledAt)).not.toBeNaN();
    // The trailing /v1 of an OpenAI base URL is dropped: the agent asked the engine's own paths.
    expect(vllm.requests.map((request) => request.path).sort()).toEqual(['/metrics', '/v1/models', '/version']);
    expect(result.stderr).toMatch(/engine up: vllm 0\.7\.2, serving 2 model\(s\): Qwen\/Qwen2\.5-Coder-1\.5B-Instruct, my-lora/);
  });

  const detections: [FakeEngineOptions, Partial<NodeHeartbeat['engine']>, Partial<NodeHeartbeat['metrics']>, RegExp][] = [
    [{ kind: 'vllm' }, { kind: 'vllm', version: '0.7.2' }, { queueDepth: 0, running: 0 }, /from its metric names/],
    [{ kind: 'tgi' }, { kind: 'tgi', version: '3.0.1' }, { queueDepth: 4, running: 7, kvCacheUsageRatio: null }, /from its metric names/],
    [{ kind: 'llama.cpp' }, { kind: 'llama.cpp', version: 'b5021-a1b2c3d4' }, { queueDepth: 1, running: 2, kvCacheUsageRatio: 0.3125 }, /from its metric names/],
    [{ kind: 'ollama', models: ['llama3.1:8b', 'qwen2.5:7b'] }, { kind: 'ollama', version: '0.6.5' }, { queueDepth: null }, /from GET \/api\/version/],
    [{ kind: 'openai-compatible' }, { kind: 'openai-compatible', version: null }, { queueDepth: null }, /from GET \/v1\/models/],
  ];
  for (const [options, expectedEngine, expectedMetrics, evidence] of detections) {
    it(`detects ${options.kind} without --engine-kind and reads it`, async () => {
      const fake = await engine(options);
      const result = await runAgent(['--once', '--engine-url', fake.url, '--node-name', 'gpu-1']);
      expect(result.code).toBe(0);
      const heartbeat = report(result.stdout);
      expect(heartbeat.engine).toMatchObject({ ...expectedEngine, up: true, error: null });
      expect(heartbeat.metrics).toMatchObject({ ...expectedMetrics, error: null });
      expect(heartbeat.models).toEqual(options.models ?? ['Qwen/Qwen2.5-Coder-1.5B-Instruct']);
      expect(result.stderr).toMatch(new RegExp(`engine kind detected: ${options.kind?.replace('.', '\\.')} \\(${evidence.source}`));
    });
  }

  it('TGI without /v1/models: the model from /info', async () => {
    const tgi = await engine({ kind: 'tgi', models: ['bigscience/bloom-560m'], withoutModelList: true });
    const result = await runAgent(['--once', '--engine-url', tgi.url, '--engine-kind', 'tgi']);
    expect(result.code).toBe(0);
    expect(report(result.stdout)).toMatchObject({ engine: { kind: 'tgi', up: true }, models: ['bigscience/bloom-560m'] });
  });

  it('sends --engine-api-key (or WARDEN_ENGINE_API_KEY) to an engine that asks for one', async () => {
    const vllm = await engine({ kind: 'vllm', apiKey: 'engine-secret' });
    const refused = await runAgent(['--once', '--engine-url', vllm.url, '--engine-kind', 'vllm']);
    expect(refused.code).toBe(1);
    expect(report(refused.stdout).engine.error).toMatch(/\/v1\/models: HTTP 401/);
    const withFlag = await runAgent(['--once', '--engine-url', vllm.url, '--engine-kind', 'vllm', '--engine-api-key', 'engine-secret']);
    expect(withFlag.code).toBe(0);
    const withEnv = await runAgent(['--once', '--engine-url', vllm.url, '--engine-kind', 'vllm'], { WARDEN_ENGINE_API_KEY: 'engine-secret' });
    expect(withEnv.code).toBe(0);
  });

  it('reads metrics from --metrics-url when the engine serves them elsewhere', async () => {
    const api = await engine({ kind: 'openai-compatible', models: ['served-by-a-proxy'] });
    const metrics = await engine({ kind: 'llama.cpp' });
    const result = await runAgent(['--once', '--engine-url', api.url, '--engine-kind', 'llama.cpp', '--metrics-url', `${metrics.url}/metrics`]);
    expect(report(result.stdout)).toMatchObject({ models: ['served-by-a-proxy'], metrics: { running: 2, queueDepth: 1 } });
  });

  it('an engine that is down: the report says so with the cause, exit 1', async () => {
    const port = await closedPort();
    const result = await runAgent(['--once', '--engine-url', `http://127.0.0.1:${port}`, '--engine-kind', 'vllm']);
    expect(result.code).toBe(1);
    const heartbeat = report(result.stdout);
    expect(heartbeat.engine).toEqual({ kind: 'vllm', version: null, up: false, error: `GET http://127.0.0.1:${port}/v1/models: connect ECONNREFUSED 127.0.0.1:${port}` });
    expect(heartbeat.models).toEqual([]);
    expect(heartbeat.metrics.error).toMatch(/\/metrics: connect ECONNREFUSED/);
    expect(result.stderr).toMatch(/engine down: GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: connect ECONNREFUSED/);
  });

  it('an engine down at start without --engine-kind: kind null, the cause named', async () => {
    const port = await closedPort();
    const result = await runAgent(['--once', '--engine-url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(report(result.stdout).engine).toMatchObject({ kind: null, up: false, error: expect.stringContaining('ECONNREFUSED') as unknown });
  });

  it('a server that answers as no known engine is down, and the report says to pass --engine-kind', async () => {
    const other = await warden(); // a Warden answers 404 to every engine path
    const result = await runAgent(['--once', '--engine-url', other.url]);
    expect(result.code).toBe(1);
    expect(report(result.stdout).engine.error).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: HTTP 404/);
  });

  it('with --server-url: pulls the policy, pushes the report with the agent key, and prints it', async () => {
    const vllm = await engine({ kind: 'vllm' });
    const fake = await warden({ allowedModels: ['Qwen/Qwen2.5-Coder-1.5B-Instruct'], version: 7 });
    const result = await runAgent(['--once', '--engine-url', vllm.url, '--server-url', `${fake.url}/`, '--node-name', 'gpu node/1'], { WARDEN_AGENT_KEY: 'agent-secret' });
    expect(result.code).toBe(0);
    const printed = report(result.stdout);
    expect(printed.policyVersion).toBe(7);
    expect(fake.heartbeats).toHaveLength(1);
    expect(fake.heartbeats[0]).toEqual({ nodeName: 'gpu node/1', authorization: 'Bearer agent-secret', contentType: 'application/json', report: printed });
    expect(fake.policyRequests).toEqual([{ nodeName: 'gpu node/1', authorization: 'Bearer agent-secret', ifNoneMatch: undefined, status: 200 }]);
    expect(result.stderr).toMatch(/node policy received: version 7, allowed models: Qwen\/Qwen2\.5-Coder-1\.5B-Instruct/);
  });
});

describe('command line', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown flag --bogus/],
    [['--once'], /--engine-url is required/],
    [['--engine-url', 'http://127.0.0.1:8000'], /--server-url is required .* unless --once/],
    [['--engine-url', 'ftp://x', '--once'], /--engine-url must be an http\(s\) URL/],
    [['--engine-url', 'http://127.0.0.1:8000', '--server-url', 'http://warden:4000'], /--server-url needs --api-key or WARDEN_AGENT_KEY/],
    [['--engine-url', 'http://127.0.0.1:8000', '--once', '--engine-kind', 'triton'], /--engine-kind must be one of vllm, tgi, llama\.cpp, ollama, openai-compatible, got "triton"/],
    [['--engine-url', 'http://127.0.0.1:8000', '--once', '--interval', '0'], /--interval must be a positive number of seconds/],
    [['--engine-url', 'http://127.0.0.1:8000', '--once', '--max-buffered-reports', '1.5'], /--max-buffered-reports must be a positive integer/],
    [['--engine-url', 'http://127.0.0.1:8000', '--once', '--node-name', ''], /--node-name must not be empty/],
    [['--engine-url', 'http://127.0.0.1:8000', '--once=yes'], /--once takes no value/],
    [['--engine-url'], /--engine-url needs a value/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ') || '(empty)'} exits 2 naming the problem`, async () => {
      const result = await runAgent(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    });
  }

  it('--help lists every flag and exits 0', async () => {
    const result = await runAgent(['--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--server-url', '--api-key', 'WARDEN_AGENT_KEY', '--node-name', '--engine-url', '--engine-kind', '--engine-api-key', '--metrics-url', '--interval', '--engine-timeout', '--max-buffered-reports', '--max-retry-delay', '--once', '--help']) {
      expect(result.stdout).toContain(flag);
    }
  });
});

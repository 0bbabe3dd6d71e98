#!/usr/bin/env node
// Gateway overhead against a real peer, in one run (not part of npm test): a fast local OpenAI-compatible upstream
// (its own process) served three ways: directly, through the Portkey gateway (@portkey-ai/gateway, started locally)
// and through Warden with a policy active (allow-list + token and request quotas + PII masking: every prompt is
// scanned, every request reserves and settles, every request is logged to ClickHouse). autocannon, 64 connections
// then 1 connection, non-streaming and streaming chat completions.
// Targets: Warden ≥ 5× Portkey's throughput (64 connections), added mean latency over direct < 0.3 ms (1 connection).
// Needs the build: `npm run build -w server` (npm run bench does).
// Run: node test/bench/gateway-overhead.bench.mjs   (BENCH_SECONDS per run, default 10; BENCH_TARGETS=direct,node-proxy,portkey,warden; BENCH_CONNECTIONS=64,1;
// BENCH_ROUNDS, default 1: every target is measured once per round, in turn, and the figures compared are each row's
// median over the rounds, so a machine whose speed drifts during the run (a shared VM) slows every target alike;
// BENCH_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", go to Warden's process)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { processCpuSeconds, report, repositoryRoot, requireFromServer, serverNodeFlagsForBench, temporaryDirectory } from './support.mjs';

const autocannon = requireFromServer('autocannon');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Math.min(2, SECONDS);
const TARGETS = (process.env.BENCH_TARGETS ?? 'direct,node-proxy,portkey,warden').split(',');
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '64,1').split(',').map(Number);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const TARGET_RATIO = 5;
const TARGET_ADDED_MS = 0.3;
const adminPassword = 'bench-admin-password';
const team = 'bench';

const children = [];
function startChild(args, environment, readyPattern, label) {
  const child = spawn(process.execPath, args, { cwd: repositoryRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start:\n${output}`)), 180_000);
    const onData = (chunk) => {
      output += chunk;
      const match = readyPattern.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}):\n${output}`)));
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHttp(url) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

const cleanEnvironment = () => {
  const environment = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'CLICKHOUSE_URL']) delete environment[name];
  return environment;
};

function body(stream) {
  return JSON.stringify({
    model: 'bench-model',
    messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Write a two-line greeting for the platform team meeting on Monday.' }],
    max_tokens: 16,
    ...(stream ? { stream: true } : {}),
  });
}

function run(url, headers, connections, stream, duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', connections, duration, pipelining: 1, headers: { 'content-type': 'application/json', ...headers }, body: body(stream) },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function setUpWarden(upstreamUrl) {
  const dataDir = temporaryDirectory('gateway');
  const environment = { ...cleanEnvironment(), DATA_DIR: dataDir, WARDEN_ADMIN_PASSWORD: adminPassword, WARDEN_INGEST_KEY: 'wk_bench_ingest_key_0123456789abcdef', LOG_LEVEL: 'error', WARDEN_RETENTION_DAYS: '30' };
  const { child, match } = await startChild([...serverNodeFlagsForBench(), path.join(repositoryRoot, 'test/bench/gateway-warden-server.mjs')], environment, /ready (\d+) (\S+)/, 'Warden');
  const baseUrl = `http://127.0.0.1:${match[1]}`;
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@warden.local', password: adminPassword }) });
  const { token } = await login.json();
  const graphql = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `mutation { createNode(name: "bench-node", kind: "vllm", baseUrl: "${upstreamUrl}", models: ["bench-model"], location: "on-premises") { id } }` }),
  });
  const created = await graphql.json();
  if (!created.data) throw new Error(`createNode: ${JSON.stringify(created)}`);
  const policy = {
    name: 'bench-policy',
    scope: { team },
    models: { allow: ['bench-*'] },
    quotas: [
      { name: 'tokens', metric: 'tokens', limit: '1000000000000', period: 'day', enforcement: 'hard' },
      { name: 'requests', metric: 'requests', limit: '1000000000000', period: 'day', enforcement: 'hard' },
    ],
    pii: { detectors: { email: 'mask', phone: 'mask', bank_card: 'mask' } },
  };
  const put = await fetch(`${baseUrl}/api/v1/policies/bench-policy`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(policy) });
  if (put.status !== 200) throw new Error(`policy: ${put.status} ${await put.text()}`);
  return { url: `${baseUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${match[2]}`, 'x-warden-team': team }, pid: child.pid };
}

async function main() {
  process.stdout.write(`gateway overhead: ${SECONDS} s per run, load ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}, ${os.cpus().length} CPUs\n`);
  const upstream = await startChild([path.join(repositoryRoot, 'test/bench/fast-openai-upstream.mjs')], process.env, /listening (\d+)/, 'upstream');
  const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
  const targets = [];
  if (TARGETS.includes('direct')) targets.push({ name: 'direct', url: `${upstreamUrl}/v1/chat/completions`, headers: { authorization: 'Bearer sk-bench' } });
  if (TARGETS.includes('node-proxy')) {
    // Not a target to beat: what one bare Node.js hop (http server + undici) costs here, the floor under any gateway.
    const proxy = await startChild([path.join(repositoryRoot, 'test/bench/bare-node-proxy.mjs'), upstreamUrl], process.env, /listening (\d+)/, 'node proxy');
    targets.push({ name: 'bare Node.js proxy (floor)', url: `http://127.0.0.1:${proxy.match[1]}/v1/chat/completions`, headers: {}, pid: proxy.child.pid });
  }
  if (TARGETS.includes('portkey')) {
    const port = await freePort();
    const entry = path.join(path.dirname(requireFromServer.resolve('@portkey-ai/gateway/package.json')), 'build/start-server.js');
    const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], { cwd: repositoryRoot, env: cleanEnvironment(), stdio: 'ignore' });
    children.push(child);
    await waitForHttp(`http://127.0.0.1:${port}/`);
    targets.push({
      name: 'portkey',
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: { authorization: 'Bearer sk-bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
      pid: child.pid,
    });
  }
  if (TARGETS.includes('warden')) targets.push({ name: 'warden (policy: allow-list + quotas + PII mask)', ...(await setUpWarden(upstreamUrl)) });

  // Per row (target, stream or not, connections): every round's figures; compared by their median.
  const runs = new Map();
  const measurable = new Map();
  for (const target of targets) {
    for (const stream of [false, true]) {
      // A check first: every target must answer 200 with a completion.
      const check = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body: body(stream) });
      const text = await check.text();
      measurable.set(`${target.name}|${stream}`, check.status === 200 && text.includes('Hello'));
      if (!measurable.get(`${target.name}|${stream}`)) {
        // Portkey 1.15.2 on Node 20 answers streams 500 ("TypeError: immutable" adding headers to a fetch Response).
        report(`${target.name.padEnd(48)} ${stream ? 'stream' : 'json  '}`, `not measured: answered ${check.status} ${text.slice(0, 120)}`);
      }
    }
  }
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const target of targets) {
      for (const stream of [false, true]) {
        if (!measurable.get(`${target.name}|${stream}`)) continue;
        for (const connections of CONNECTIONS) {
          await run(target.url, target.headers, connections, stream, WARMUP_SECONDS);
          const cpuBefore = target.pid ? processCpuSeconds(target.pid) : 0;
          const result = await run(target.url, target.headers, connections, stream, SECONDS);
          const cpu = target.pid ? processCpuSeconds(target.pid) - cpuBefore : 0;
          const failed = result.non2xx + result.errors + result.timeouts;
          const row = { rps: result.requests.average, mean: result.latency.mean, p99: result.latency.p99, failed, cpuPerRequestMs: target.pid && result.requests.total ? (cpu * 1000) / result.requests.total : null };
          const key = `${target.name}|${stream}|${connections}`;
          runs.set(key, [...(runs.get(key) ?? []), row]);
          report(
            `${target.name.padEnd(48)} ${stream ? 'stream' : 'json  '} c=${String(connections).padStart(2)}${ROUNDS > 1 ? ` (round ${round})` : ''}`,
            `${row.rps.toFixed(0).padStart(7)} req/s  mean ${row.mean.toFixed(3)} ms  p99 ${row.p99} ms${row.cpuPerRequestMs === null ? '' : `  cpu ${row.cpuPerRequestMs.toFixed(3)} ms/req`}${failed ? `  FAILED ${failed}` : ''}`,
          );
        }
      }
    }
  }
  const results = new Map();
  for (const [key, rows] of runs) {
    const rps = median(rows.map((row) => row.rps));
    results.set(key, { rps });
    if (ROUNDS > 1) report(`median of ${ROUNDS}: ${key.replace(/\|false\|/, ' json c=').replace(/\|true\|/, ' stream c=')}`, `${rps.toFixed(0).padStart(7)} req/s`);
  }
  const warden = targets.find((target) => target.name.startsWith('warden'))?.name;
  const proxy = targets.find((target) => target.name.startsWith('bare'))?.name;
  // At one connection a request's time is 1/throughput, measured to the microsecond; autocannon's latency histogram
  // counts whole milliseconds, too coarse for a 0.3 ms target. Null where a row was not measured.
  const addedMs = (name, stream) => {
    const through = results.get(`${name}|${stream}|1`);
    const direct = results.get(`direct|${stream}|1`);
    return through && direct ? 1000 / through.rps - 1000 / direct.rps : null;
  };
  const throughputRatio = (name, base, stream) => {
    const first = results.get(`${name}|${stream}|64`);
    const second = results.get(`${base}|${stream}|64`);
    return first && second ? first.rps / second.rps : null;
  };
  for (const stream of [false, true]) {
    const mode = stream ? 'stream' : 'json';
    if (warden) {
      const ratio = throughputRatio(warden, 'portkey', stream);
      if (ratio !== null) report(`${mode}: Warden / Portkey throughput (64 connections)`, `${ratio.toFixed(1)}× (target ≥ ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
      else if (TARGETS.includes('portkey')) report(`${mode}: Warden / Portkey throughput (64 connections)`, 'not compared: a row was not measured');
      const added = addedMs(warden, stream);
      if (added !== null) report(`${mode}: Warden added time per request (1 connection)`, `${added.toFixed(3)} ms (target < ${TARGET_ADDED_MS} ms) ${added < TARGET_ADDED_MS ? 'PASS' : 'FAIL'}`);
    }
    if (proxy) {
      // The floor, stated beside the targets: what one hop through Node.js costs on this machine before any policy.
      const floorRatio = throughputRatio(proxy, 'portkey', stream);
      if (floorRatio !== null) report(`${mode}: floor: bare Node.js proxy / Portkey throughput (64 connections)`, `${floorRatio.toFixed(1)}×`);
      const floorAdded = addedMs(proxy, stream);
      if (floorAdded !== null) report(`${mode}: floor: bare Node.js proxy added time per request (1 connection)`, `${floorAdded.toFixed(3)} ms`);
      const share = warden ? throughputRatio(warden, proxy, stream) : null;
      if (share !== null) report(`${mode}: Warden / bare Node.js proxy throughput (64 connections)`, `${(share * 100).toFixed(0)}%`);
    }
  }
}

function median(values) {
  const sorted = [...values].sort((first, second) => first - second);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}

// Shared helpers for the benchmarks: build output paths, a server started as a user would, RSS sampling.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serverNodeFlags } from '../../scripts/server-node-flags.mjs';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const requireFromServer = createRequire(path.join(repositoryRoot, 'server/dist/server/src/main.js'));

export function requireBuilt(relative) {
  const file = path.join(repositoryRoot, 'server/dist/server/src', relative);
  if (!fs.existsSync(file)) throw new Error(`${file} missing: run \`npm run build -w server\` first (npm run bench does)`);
  return requireFromServer(file);
}

export function temporaryDirectory(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `warden-bench-${prefix}-`));
}

export const benchIngestKey = 'wk_bench_ingest_key_0123456789abcdef';
export const benchAdminPassword = 'bench-admin-password';

/** The server's own Node.js flags (as npm start passes them), then any in BENCH_NODE_FLAGS (e.g. --cpu-prof). */
export function serverNodeFlagsForBench() {
  return [...serverNodeFlags, ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [])];
}

/** The built server on a data directory, embedded engines, a free port; resolves once it listens. */
export async function startServer(dataDir, extraEnvironment = {}) {
  const environment = { ...process.env, DATA_DIR: dataDir, PORT: '0', WARDEN_INGEST_KEY: benchIngestKey, WARDEN_ADMIN_PASSWORD: benchAdminPassword, ...extraEnvironment };
  delete environment.DATABASE_URL;
  delete environment.REDIS_URL;
  delete environment.CLICKHOUSE_URL;
  const child = spawn(process.execPath, [...serverNodeFlagsForBench(), path.join(repositoryRoot, 'server/dist/server/src/main.js')], { env: environment });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => { output += chunk; if (process.env.BENCH_SERVER_STDERR) process.stderr.write(chunk); });
  const deadline = Date.now() + 120_000;
  let match;
  while (!(match = /Warden console at http:\/\/localhost:(\d+)\//.exec(output.replace(/\x1b\[[0-9;]*m/g, '')))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const baseUrl = `http://127.0.0.1:${match[1]}`;
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@warden.local', password: benchAdminPassword }),
  });
  const { token } = await login.json();
  return {
    baseUrl,
    token,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export function residentMegabytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kilobytes / 1024;
}

/** CPU seconds a process has used so far (user + system, every thread), from /proc: robust to a busy machine. */
export function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function percentile(values, share) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

export function report(label, value) {
  process.stdout.write(`${label.padEnd(58)} ${value}\n`);
}

/** CPU time (user + system, every thread) a process has used so far, in seconds: a figure the machine's load does not inflate. */
export function processCpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The thirty days the query benches load and ask about, ending at the last whole hour, in epoch milliseconds. */
export function lastThirtyDays() {
  const end = Math.floor(Date.now() / 3600_000) * 3600_000;
  return { start: end - 30 * 24 * 3600_000, end };
}

/**
 * A fresh data directory whose embedded ClickHouse is migrated and handed to `load`, then closed so that a server can
 * open the directory. `load` generates rows inside ClickHouse (INSERT … SELECT FROM numbers): seconds where HTTP ingest
 * would take minutes, and the materialized views build the rollups exactly as they do for ingested rows.
 */
export async function generatedDataDirectory(prefix, load) {
  const { createClickhouseClient } = requireBuilt('engine/clickhouse/clickhouse-client.js');
  const { migrateClickhouse } = requireBuilt('engine/clickhouse/clickhouse-migrator.js');
  const dataDir = temporaryDirectory(prefix);
  const client = createClickhouseClient({ dataDir, database: 'warden' });
  await migrateClickhouse(client, path.join(repositoryRoot, 'migrations/clickhouse'), { database: 'warden', replicated: false });
  await load(client);
  await client.close();
  return dataDir;
}

/** Calls `insertChunk({ offset, count })` for `total` rows, two million at a time, and shows the progress in `noun`. */
export async function insertInChunks(total, noun, insertChunk) {
  const chunk = 2_000_000;
  for (let offset = 0; offset < total; offset += chunk) {
    await insertChunk({ offset, count: Math.min(chunk, total - offset) });
    process.stdout.write(`\rloading ${Math.min(offset + chunk, total).toLocaleString('en-US')} ${noun}`);
  }
  process.stdout.write('\n');
}

/** One GraphQL request to a server from startServer, as its admin; the answer's data (GraphQL errors throw). */
export async function graphql(server, query, variables) {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

/** Sends `query` `runs` times: each round trip in milliseconds, and the last answer's data. */
export async function timeGraphql(server, query, runs) {
  const timings = [];
  let data;
  for (let run = 0; run < runs; run += 1) {
    const sent = performance.now();
    data = await graphql(server, query);
    timings.push(performance.now() - sent);
  }
  return { timings, data };
}

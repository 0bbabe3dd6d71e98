// Ingest throughput over HTTP (batches of 1,000 events, 4 clients in flight) into the embedded ClickHouse, measured
// in the same run as the engine's own insert of the same rows as prepared JSONEachRow text in 10,000-row batches
// (into the same table, views included); server RSS idle and under load, batch latency.
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { benchIngestKey, cpuSeconds, percentile, report, requireBuilt, residentMegabytes, startServer, temporaryDirectory, repositoryRoot } from './support.mjs';

const eventCount = Number(process.env.BENCH_EVENTS ?? 200_000);
const { generateDemoEvents } = requireBuilt('modules/demo/demo-traffic.js');
const { createClickhouseClient } = requireBuilt('engine/clickhouse/clickhouse-client.js');
const { migrateClickhouse } = requireBuilt('engine/clickhouse/clickhouse-migrator.js');
const { clickhouseTime } = requireBuilt('engine/clickhouse/clickhouse-time.js');

const end = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
const events = [...generateDemoEvents({ end, days: 20, total: eventCount, seed: 7 })];
report('events generated', events.length.toLocaleString('en-US'));

// The rows as the server stores them, one JSON object per line (JSONEachRow), prepared before the clock starts.
function storedRow(event) {
  return {
    id: event.id, timestamp: clickhouseTime(new Date(event.timestamp)), team: event.team ?? 'unassigned', user: event.user ?? '',
    provider: event.provider ?? '', node: event.node ?? '', model: event.model, operation: event.operation ?? 'chat',
    input_tokens: event.inputTokens ?? 0, output_tokens: event.outputTokens ?? 0, cached_input_tokens: event.cachedInputTokens ?? 0,
    latency_ms: event.latencyMs ?? 0, ttft_ms: event.ttftMs ?? null, status: event.status ?? 'ok', error_type: event.errorType ?? '',
    cost_nano_usd: '1234', cost_source: 'catalog', prompt: event.prompt ?? '', completion: event.completion ?? '', metadata: event.metadata ?? {},
    retention_days: 365, ingested_at: clickhouseTime(new Date()), is_revision: 0, previous_cost_nano_usd: null, api_key_id: 'bench',
    source: 'api', trace_id: '', span_id: '', response_id: '', decision_id: '', location: '', pii_findings: {}, pii_action: '', content_retention_days: 0,
  };
}

let rawRate;
{
  const dataDir = temporaryDirectory('raw');
  const client = createClickhouseClient({ dataDir, database: 'warden' });
  await migrateClickhouse(client, path.join(repositoryRoot, 'migrations/clickhouse'), { database: 'warden', replicated: false });
  const batches = [];
  for (let index = 0; index < events.length; index += 10_000) {
    batches.push(events.slice(index, index + 10_000).map((event) => JSON.stringify(storedRow(event))).join('\n'));
  }
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (const body of batches) {
    const result = await client.exec({ query: 'INSERT INTO warden.requests FORMAT JSONEachRow', values: Readable.from([body]) });
    for await (const _chunk of result.stream) void _chunk;
  }
  rawRate = events.length / ((performance.now() - started) / 1000);
  const cpu = process.cpuUsage(cpuBefore);
  report('raw engine insert, prepared JSONEachRow, 10,000-row batches, rows/s', Math.round(rawRate).toLocaleString('en-US'));
  report('raw engine insert, CPU per row, µs (all threads)', ((cpu.user + cpu.system) / events.length).toFixed(1));
  await client.close();
}

// HTTP: the real server, the real ingest path (auth, parse, validate, price, claims, lookup, log, insert); then the
// same again on a fresh server whose organisation policy masks every personal-data detector (issue: ingest with a PII
// policy active loses at most 10% of its rate).
const bodies = [];
for (let index = 0; index < events.length; index += 1000) bodies.push(JSON.stringify(events.slice(index, index + 1000)));

async function ingestOverHttp(label, policy) {
  const server = await startServer(temporaryDirectory('http'));
  if (policy) {
    const answer = await fetch(`${server.baseUrl}/api/v1/policies/${policy.name}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(policy),
    });
    if (answer.status !== 200) throw new Error(`policy refused: ${answer.status} ${await answer.text()}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  if (!policy) report('server RSS idle, MiB', residentMegabytes(server.pid).toFixed(0));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentMegabytes(server.pid))), 200);
  const latencies = [];
  const serverCpuBefore = cpuSeconds(server.pid);
  const started = performance.now();
  let next = 0;
  let accepted = 0;
  const client = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const sent = performance.now();
      const response = await fetch(`${server.baseUrl}/api/v1/ingest/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${benchIngestKey}`, 'content-type': 'application/json' },
        body,
      });
      const answer = await response.json();
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      accepted += answer.accepted;
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all([client(), client(), client(), client()]);
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(server.pid) - serverCpuBefore;
  clearInterval(sampler);
  const rate = accepted / seconds;
  report(`${label}, events/s`, Math.round(rate).toLocaleString('en-US'));
  report(`${label}: server CPU per event, µs (all threads, engine included)`, ((serverCpu * 1e6) / accepted).toFixed(1));
  report(`${label}: batch latency p50 / p95, ms`, `${percentile(latencies, 0.5).toFixed(0)} / ${percentile(latencies, 0.95).toFixed(0)} (target p95 < 250)`);
  report(`${label}: server RSS peak, MiB`, peakRss.toFixed(0));
  if (accepted !== events.length) throw new Error(`accepted ${accepted} of ${events.length}`);
  await server.stop();
  return { rate, cpuPerEvent: serverCpu / accepted };
}

const plain = await ingestOverHttp('HTTP ingest (1,000/batch, 4 clients in flight)');
report('HTTP ingest / raw engine insert', `${((plain.rate / rawRate) * 100).toFixed(0)}% (target >= 50%)`);
const everyDetector = Object.fromEntries(['email', 'phone', 'cn_resident_id', 'bank_card', 'us_ssn', 'iban', 'ip_address', 'secret'].map((detector) => [detector, 'mask']));
const masked = await ingestOverHttp('HTTP ingest with a PII policy (every detector masking)', {
  name: 'bench-pii',
  scope: { org: true },
  pii: { detectors: everyDetector },
});
report(
  'with the PII policy / without: rate, CPU per event',
  `${((masked.rate / plain.rate) * 100).toFixed(0)}% (target >= 90%), ${((masked.cpuPerEvent / plain.cpuPerEvent) * 100).toFixed(0)}%`,
);

// Ingest throughput over HTTP (batches of 1,000 events, 4 in flight) into the embedded ClickHouse, beside the raw
// engine's insert rate for the same rows through @clickhouse/client; server RSS idle and under ingest load.
import { benchIngestKey, percentile, report, requireBuilt, requireFromServer, residentMegabytes, startServer, temporaryDirectory } from './support.mjs';
import * as path from 'node:path';
import { repositoryRoot } from './support.mjs';

const eventCount = Number(process.env.BENCH_EVENTS ?? 200_000);
const { generateDemoEvents } = requireBuilt('modules/demo/demo-traffic.js');
const { createClickhouseClient } = requireBuilt('engine/clickhouse/clickhouse-client.js');
const { migrateClickhouse } = requireBuilt('engine/clickhouse/clickhouse-migrator.js');
const { IngestService } = requireBuilt('modules/ingest/ingest.service.js');
void requireFromServer;

const end = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
const events = [...generateDemoEvents({ end, days: 20, total: eventCount, seed: 7 })];
report('events generated', events.length.toLocaleString('en-US'));

// Raw: the same rows as the server would write them, straight through the client, in 1,000-row inserts, 4 in flight.
{
  const dataDir = temporaryDirectory('raw');
  const client = createClickhouseClient({ dataDir, database: 'warden' });
  await migrateClickhouse(client, path.join(repositoryRoot, 'migrations/clickhouse'), { database: 'warden', replicated: false });
  const toRow = IngestService.prototype.toRow;
  const fakeService = { pricing: { priceRequest: () => ({ costNanoUsd: 1234n, source: 'catalog' }) }, config: { retentionDays: 365 } };
  const { validateRequestEvent } = requireBuilt('modules/ingest/dto/validate-request-event.js');
  const rows = events.map((event) => toRow.call(fakeService, validateRequestEvent(event).event, '2026-11-29 00:00:00.000'));
  const { requestColumns } = requireBuilt('modules/ingest/request-row.js');
  // Two raw figures: the shape the HTTP clients send (1,000 rows as JSONEachRow, 4 in flight), and the engine's best
  // through the client (JSONCompactEachRow, 10,000-row inserts, 2 in flight), which is what the 80–90k meant.
  const insertAll = async (label, batchRows, inFlightLimit, format) => {
    const values = format === 'JSONCompactEachRow' ? rows.map((row) => requestColumns.map((column) => row[column])) : rows;
    const started = performance.now();
    const inFlight = new Set();
    for (let index = 0; index < values.length; index += batchRows) {
      const insert = client
        .insert({ table: 'warden.requests', values: values.slice(index, index + batchRows), format, ...(format === 'JSONCompactEachRow' ? { columns: requestColumns } : {}) })
        .finally(() => inFlight.delete(insert));
      inFlight.add(insert);
      if (inFlight.size >= inFlightLimit) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const rate = values.length / ((performance.now() - started) / 1000);
    report(label, Math.round(rate).toLocaleString('en-US'));
    await client.command({ query: 'TRUNCATE TABLE warden.requests' });
    await client.command({ query: 'TRUNCATE TABLE warden.requests_hourly' });
    return rate;
  };
  globalThis.rawRate = await insertAll('raw insert, 1,000-row JSONEachRow, 4 in flight, rows/s', 1000, 4, 'JSONEachRow');
  globalThis.bestRawRate = await insertAll('raw insert, 10,000-row JSONCompactEachRow, 2 in flight, rows/s', 10_000, 2, 'JSONCompactEachRow');
  await client.close();
}

// HTTP: the real server, the real ingest path (auth, parse, validate, price, dedup, batching writer).
{
  const server = await startServer(temporaryDirectory('http'));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  report('server RSS idle, MiB', residentMegabytes(server.pid).toFixed(0));
  const bodies = [];
  for (let index = 0; index < events.length; index += 1000) bodies.push(JSON.stringify(events.slice(index, index + 1000)));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentMegabytes(server.pid))), 200);
  const latencies = [];
  const started = performance.now();
  let next = 0;
  let accepted = 0;
  const worker = async () => {
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
  await Promise.all([worker(), worker(), worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const rate = accepted / seconds;
  report('HTTP ingest (1,000/batch, 4 in flight), events/s', Math.round(rate).toLocaleString('en-US'));
  report('HTTP ingest share of raw, same batch shape', `${((rate / globalThis.rawRate) * 100).toFixed(0)}% (target >= 60%)`);
  report('HTTP ingest share of raw, engine best case', `${((rate / globalThis.bestRawRate) * 100).toFixed(0)}% (target >= 60%)`);
  report('batch latency p50 / p95, ms', `${percentile(latencies, 0.5).toFixed(0)} / ${percentile(latencies, 0.95).toFixed(0)}`);
  report('server RSS peak under ingest, MiB', peakRss.toFixed(0));
  if (accepted !== events.length) throw new Error(`accepted ${accepted} of ${events.length}`);
  await server.stop();
}

// Score ingest over HTTP (POST /api/v1/ingest/scores, JSON arrays of 1,000, 4 clients in flight) into the embedded
// ClickHouse: validation, definition lookup, hallucinated flag, claims, lookup, write-ahead log, insert; then the
// hallucinationRate query over the scored requests.
import * as os from 'node:os';
import { benchIngestKey, percentile, processCpuSeconds, report, residentMegabytes, startServer, temporaryDirectory } from './support.mjs';

const scoreCount = Number(process.env.BENCH_SCORES ?? 200_000);
const requestCount = scoreCount / 2;
const teams = ['search', 'support-bot', 'legal-review', 'marketing'];
const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'meta-llama/Llama-3.1-8B-Instruct'];
const hourStart = Math.floor(Date.now() / 3600_000) * 3600_000;
const timestampOf = (index) => new Date(hourStart - 24 * 3600_000 + (index % 86_400) * 1000).toISOString();

const requestBodies = [];
for (let first = 0; first < requestCount; first += 1000) {
  const events = [];
  for (let index = first; index < Math.min(requestCount, first + 1000); index++) {
    events.push({ id: `r-${index}`, timestamp: timestampOf(index), team: teams[index % teams.length], provider: 'openai', model: models[index % models.length], inputTokens: 900, outputTokens: 200 });
  }
  requestBodies.push(JSON.stringify(events));
}
// Two scores per request: HHEM and RAGAS faithfulness, a tenth of them hallucinated.
const scoreBodies = [];
for (let first = 0; first < scoreCount; first += 1000) {
  const scores = [];
  for (let index = first; index < Math.min(scoreCount, first + 1000); index++) {
    const request = Math.floor(index / 2);
    const hhem = index % 2 === 0;
    const hallucinated = request % 10 === 0;
    scores.push({
      id: `s-${index}`,
      requestId: `r-${request}`,
      team: teams[request % teams.length],
      name: hhem ? 'hhem-2.1' : 'ragas.faithfulness',
      value: hallucinated ? 0.2 : 0.9,
      source: 'eval',
      timestamp: timestampOf(request),
    });
  }
  scoreBodies.push(JSON.stringify(scores));
}
report('scores generated (JSON arrays of 1,000)', scoreCount.toLocaleString('en-US'));
report('CPU cores / load average (1, 5, 15 min) before', `${os.cpus().length} / ${os.loadavg().map((load) => load.toFixed(2)).join(', ')}`);

const server = await startServer(temporaryDirectory('scores'));
await new Promise((resolve) => setTimeout(resolve, 2000));

async function send(route, bodies) {
  const latencies = [];
  let next = 0;
  let accepted = 0;
  const client = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const sent = performance.now();
      const response = await fetch(`${server.baseUrl}${route}`, { method: 'POST', headers: { authorization: `Bearer ${benchIngestKey}`, 'content-type': 'application/json' }, body });
      const answer = await response.json();
      if (response.status !== 200) throw new Error(`${route} answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      accepted += answer.accepted;
      latencies.push(performance.now() - sent);
    }
  };
  const cpuBefore = processCpuSeconds(server.pid);
  const started = performance.now();
  await Promise.all([client(), client(), client(), client()]);
  return { accepted, seconds: (performance.now() - started) / 1000, cpuSeconds: processCpuSeconds(server.pid) - cpuBefore, latencies };
}

await send('/api/v1/ingest/requests', requestBodies);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentMegabytes(server.pid))), 200);
const scores = await send('/api/v1/ingest/scores', scoreBodies);
clearInterval(sampler);
report('score ingest (1,000/batch, 4 clients in flight), scores/s', Math.round(scores.accepted / scores.seconds).toLocaleString('en-US'));
report('scores per server CPU-second (user + system, all threads)', Math.round(scores.accepted / scores.cpuSeconds).toLocaleString('en-US'));
report('batch latency p50 / p95, ms', `${percentile(scores.latencies, 0.5).toFixed(0)} / ${percentile(scores.latencies, 0.95).toFixed(0)}`);
report('server RSS peak under score ingest, MiB', peakRss.toFixed(0));
report('load average (1, 5, 15 min) after', os.loadavg().map((load) => load.toFixed(2)).join(', '));
if (scores.accepted !== scoreCount) throw new Error(`accepted ${scores.accepted} of ${scoreCount}`);

// The analytics over what was just stored: exact counts, and how long the read takes.
const query = async (groupBy) => {
  const started = performance.now();
  const answer = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query: `{ hallucinationRate(from: "${new Date(hourStart - 48 * 3600_000).toISOString()}", to: "${new Date(hourStart + 3600_000).toISOString()}", groupBy: [${groupBy}]) { model evaluator requests scored hallucinated } }` }),
  }).then((response) => response.json());
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return { rows: answer.data.hallucinationRate, milliseconds: performance.now() - started };
};
const totals = await query('');
report(`hallucinationRate totals over ${requestCount.toLocaleString('en-US')} requests, ms`, totals.milliseconds.toFixed(0));
const [row] = totals.rows;
if (row.requests !== requestCount || row.scored !== requestCount || row.hallucinated !== requestCount / 10) throw new Error(`unexpected totals ${JSON.stringify(row)}`);
const byModel = await query('MODEL, EVALUATOR');
report('hallucinationRate by model and evaluator, ms', byModel.milliseconds.toFixed(0));
await server.stop();

// All-in `spend` (hosted APIs + GPU cost of registered nodes allocated to requests) grouped by team × day over
// 30 days, BENCH_SPEND_EVENTS requests (default 10M) and 3 registered nodes with GPU samples; target p50 < 400 ms.
// Events and samples are generated inside ClickHouse (INSERT … SELECT FROM numbers); the materialized views build
// the rollups exactly as at ingest. Smoke run: BENCH_SPEND_EVENTS=20000 BENCH_RUNS=3 node test/bench/spend-all-in.bench.mjs
// Needs the build: `npm run build -w server` (npm run bench does).
import { generatedDataDirectory, graphql, insertInChunks, lastThirtyDays, percentile, report, startServer } from './support.mjs';

const eventCount = Number(process.env.BENCH_SPEND_EVENTS ?? 10_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 20);
const sampleSeconds = Number(process.env.BENCH_SAMPLE_SECONDS ?? 300);
const nodes = ['gpu-node-a', 'gpu-node-b', 'gpu-node-c'];
const gpusPerNode = 8;
const { start, end } = lastThirtyDays();
const dataDir = await generatedDataDirectory('spend-all-in', async (client) => {
  const started = performance.now();
  await insertInChunks(eventCount, 'events', async ({ offset, count }) => {
    // Two in five requests go to hosted APIs, three to the three nodes (self-hosted models, no catalog price).
    await client.command({
      query: `INSERT INTO warden.requests (id, timestamp, team, user, provider, node, model, operation, input_tokens, output_tokens,
                cached_input_tokens, latency_ms, ttft_ms, status, error_type, cost_nano_usd, cost_source, prompt, completion, metadata, retention_days, ingested_at)
        SELECT concat('bench-', toString(number)),
               fromUnixTimestamp64Milli(toInt64({start:UInt64} + intDiv(number * 2592000000, {total:UInt64}))),
               ['search','support-bot','legal-review','marketing','data-science','platform','finance-ops'][number % 7 + 1],
               concat('user-', toString(number % 500)),
               ['openai','anthropic','vllm','vllm','ollama'][number % 5 + 1],
               ['', '', 'gpu-node-a', 'gpu-node-b', 'gpu-node-c'][number % 5 + 1],
               if(number % 5 < 2, ['gpt-4o','gpt-4o-mini','claude-sonnet-4-5'][number % 3 + 1], ['llama-3.1-8b','llama-3.3-70b','qwen2.5-coder'][number % 3 + 1]),
               'chat', 500 + number % 3000, 100 + number % 700, number % 200, toUInt32(200 + number % 4000), NULL,
               if(number % 50 = 0, 'error', 'ok'), '',
               if(number % 5 < 2, toInt64(1000 + number % 100000), NULL), if(number % 5 < 2, 'catalog', 'unknown'),
               '', '', map(), toUInt16(365), now64(3)
        FROM numbers({offset:UInt64}, {count:UInt64})`,
      query_params: { start, total: eventCount, offset, count },
    });
  });
  const samples = Math.floor((30 * 24 * 3600) / sampleSeconds) * nodes.length * gpusPerNode;
  await client.command({
    query: `INSERT INTO warden.gpu_samples (timestamp, node, gpu_uuid, gpu_index, gpu_name, mig_instance, utilization_ratio, power_draw_watts, power_limit_watts,
              throttle_reasons, retention_days, ingested_at)
      SELECT fromUnixTimestamp64Milli(toInt64({start:UInt64} + intDiv(number, {perStep:UInt32}) * {stepMs:UInt64})),
             {nodes:Array(String)}[intDiv(number % {perStep:UInt32}, {gpus:UInt32}) + 1],
             concat('GPU-', toString(number % {perStep:UInt32})), toUInt16(number % {gpus:UInt32}), 'NVIDIA H100 80GB HBM3', '',
             toFloat32(0.2 + (number % 7) / 10), 100 + (number % 600) + 0.25, 700, [], toUInt16(365), now64(3)
      FROM numbers({count:UInt64})`,
    query_params: { start, perStep: nodes.length * gpusPerNode, stepMs: sampleSeconds * 1000, nodes, gpus: gpusPerNode, count: samples },
  });
  report('events + GPU samples loaded (generated in ClickHouse), seconds', ((performance.now() - started) / 1000).toFixed(1));
});

const server = await startServer(dataDir);
for (const [index, name] of nodes.entries()) {
  await graphql(server, `mutation($name: String!, $hourly: Decimal!, $from: DateTime!) { createNode(name: $name, kind: "vllm", hourlyCostUsd: $hourly, energyPriceUsdPerKwh: "0.18", powerOverheadFactor: "1.3", ratesEffectiveFrom: $from) { id } }`,
    { name, hourly: ['28', '28', '3.2'][index], from: new Date(start - 24 * 3600_000).toISOString() });
}
const from = new Date(start).toISOString();
const to = new Date(end).toISOString();
const query = `{ spend(from: "${from}", to: "${to}", groupBy: [TEAM, DAY]) { team day requests costNanoUsd onPremCostNanoUsd totalCostNanoUsd idle } }`;
const timings = [];
let rows = [];
for (let run = 0; run < runs + 2; run += 1) {
  const sent = performance.now();
  rows = (await graphql(server, query)).spend;
  // The first two runs warm the caches (schema, catalog, ClickHouse marks) and are not counted.
  if (run >= 2) timings.push(performance.now() - sent);
}
const requests = rows.reduce((sum, row) => sum + row.requests, 0);
const onPrem = rows.filter((row) => !row.idle).reduce((sum, row) => sum + BigInt(row.onPremCostNanoUsd), 0n);
const onPremPage = (await graphql(server, `{ onPremCost(from: "${from}", to: "${to}") { nodes { allocatedCostNanoUsd } } }`)).onPremCost.nodes.reduce((sum, node) => sum + BigInt(node.allocatedCostNanoUsd), 0n);
report('rows (team × day) / requests covered', `${rows.length} / ${requests.toLocaleString('en-US')}`);
report('all-in spend by team and day, 30 days, 3 nodes, p50 / p95 ms', `${percentile(timings, 0.5).toFixed(0)} / ${percentile(timings, 0.95).toFixed(0)} (target p50 < 400)`);
report('on-prem cost allocated = On-prem page total (nano-USD)', `${onPrem} = ${onPremPage}: ${onPrem === onPremPage ? 'equal' : 'DIFFERENT'}`);
await server.stop();
if (requests !== eventCount) throw new Error(`spend covered ${requests} of ${eventCount} events`);
if (onPrem !== onPremPage) throw new Error('all-in spend does not add up to the On-prem page');

// `spend` grouped by team and day over 30 days and >= 10M events on the embedded engine (target p50 < 300 ms).
// The events are generated inside ClickHouse (INSERT … SELECT FROM numbers) so the load takes seconds, not the
// minutes HTTP ingest would; the materialized view builds the hourly rollup exactly as it does for ingested rows.
import { generatedDataDirectory, insertInChunks, lastThirtyDays, percentile, report, startServer, timeGraphql } from './support.mjs';

const eventCount = Number(process.env.BENCH_SPEND_EVENTS ?? 10_000_000);
const { start, end } = lastThirtyDays();
const dataDir = await generatedDataDirectory('spend', async (client) => {
  const started = performance.now();
  await insertInChunks(eventCount, 'events', async ({ offset, count }) => {
    await client.command({
      query: `INSERT INTO warden.requests (id, timestamp, team, user, provider, node, model, operation, input_tokens, output_tokens,
                cached_input_tokens, latency_ms, ttft_ms, status, error_type, cost_nano_usd, cost_source, prompt, completion, metadata, retention_days, ingested_at)
        SELECT concat('bench-', toString(number)) AS id,
               fromUnixTimestamp64Milli(toInt64({start:UInt64} + intDiv(number * 2592000000, {total:UInt64}))) AS timestamp,
               ['search','support-bot','legal-review','marketing','data-science','platform','finance-ops'][number % 7 + 1] AS team,
               concat('user-', toString(number % 500)) AS user,
               ['openai','anthropic','google','mistral','vllm'][number % 5 + 1] AS provider,
               if(number % 5 = 4, 'gpu-node-a', '') AS node,
               ['gpt-4o','gpt-4o-mini','claude-sonnet-4-5','claude-3-5-haiku','gemini-2.5-flash','mistral-large','deepseek-chat',
                'text-embedding-3-small','llama-3.1-8b','llama-3.3-70b','qwen2.5-coder'][number % 11 + 1] AS model,
               'chat' AS operation, 500 + number % 3000 AS input_tokens, 100 + number % 700 AS output_tokens,
               number % 200 AS cached_input_tokens, toUInt32(200 + number % 4000) AS latency_ms, NULL AS ttft_ms,
               if(number % 50 = 0, 'error', 'ok') AS status, '' AS error_type,
               if(number % 97 = 0, NULL, toInt64(1000 + number % 100000)) AS cost_nano_usd, 'catalog' AS cost_source,
               '' AS prompt, '' AS completion, map() AS metadata, toUInt16(365) AS retention_days, now64(3) AS ingested_at
        FROM numbers({offset:UInt64}, {count:UInt64})`,
      query_params: { start, total: eventCount, offset, count },
    });
  });
  report('events loaded (generated in ClickHouse), seconds', ((performance.now() - started) / 1000).toFixed(1));
});

const server = await startServer(dataDir);
const timeQuery = (query, runs) => timeGraphql(server, query, runs);
const from = new Date(start).toISOString();
const to = new Date(end).toISOString();
const rollup = await timeQuery(`{ spend(from: "${from}", to: "${to}", groupBy: [TEAM, DAY]) { team day requests costNanoUsd latencyP95Ms } }`, 30);
const rows = rollup.data.spend;
const total = rows.reduce((sum, row) => sum + row.requests, 0);
report('spend rows (team × day) / requests covered', `${rows.length} / ${total.toLocaleString('en-US')}`);
report('spend by team and day, 30 days (rollup), p50 / p95 ms', `${percentile(rollup.timings, 0.5).toFixed(0)} / ${percentile(rollup.timings, 0.95).toFixed(0)} (target p50 < 300)`);
const exact = await timeQuery(`{ spend(from: "${new Date(start + 1000).toISOString()}", to: "${to}", groupBy: [TEAM, DAY]) { team requests } }`, 5);
report('same on raw rows (range not on whole hours), p50 ms', percentile(exact.timings, 0.5).toFixed(0));
const list = await timeQuery(`{ allRequests(perPage: 25, sortField: "timestamp", sortOrder: "DESC", filter: { timestamp_gte: "${new Date(end - 24 * 3600_000).toISOString()}" }) { id } }`, 5);
report('allRequests, newest 25 of the last 24 h, p50 ms', percentile(list.timings, 0.5).toFixed(0));
await server.stop();
if (total !== eventCount) throw new Error(`spend covered ${total} of ${eventCount} events`);

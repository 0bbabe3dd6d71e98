// The compliance dashboard's queries over 30 days and >= 10M requests (plus a fifth as many policy decisions) on the
// embedded engine (target p50 < 300 ms). Rows are generated inside ClickHouse (INSERT … SELECT FROM numbers), so the
// load takes seconds; the materialized views build the hourly rollups exactly as they do for ingested rows.
// BENCH_COMPLIANCE_EVENTS sets the request count (smoke-run: BENCH_COMPLIANCE_EVENTS=200000).
import { generatedDataDirectory, insertInChunks, lastThirtyDays, percentile, report, startServer, timeGraphql } from './support.mjs';

const eventCount = Number(process.env.BENCH_COMPLIANCE_EVENTS ?? 10_000_000);
const decisionCount = Math.max(1, Math.floor(eventCount / 5));
const runs = Number(process.env.BENCH_COMPLIANCE_RUNS ?? 20);
const { start, end } = lastThirtyDays();
const teams = "['search','support-bot','legal-review','marketing','data-science','platform','finance-ops','claims','hr','sales']";
const dataDir = await generatedDataDirectory('compliance', async (client) => {
  const started = performance.now();
  await insertInChunks(eventCount, 'requests', async ({ offset, count }) => {
    // One request in eight carries personal data (email, phone, a resident id: masked, hashed or blocked); one in
    // five names an inference node (on-premises); one in seven was stamped by the gateway with its location.
    await client.command({
      query: `INSERT INTO warden.requests (id, timestamp, team, user, provider, node, model, operation, input_tokens, output_tokens,
                cached_input_tokens, latency_ms, status, cost_nano_usd, cost_source, prompt, completion, retention_days, ingested_at,
                location, pii_findings, pii_action)
        SELECT concat('bench-', toString(number)),
               fromUnixTimestamp64Milli(toInt64({start:UInt64} + intDiv(number * 2592000000, {total:UInt64}))),
               ${teams}[number % 10 + 1], concat('user-', toString(number % 500)),
               ['openai','anthropic','google','mistral','vllm'][number % 5 + 1], if(number % 5 = 4, 'gpu-node-a', ''),
               ['gpt-4o','gpt-4o-mini','claude-sonnet-4-5','gemini-2.5-flash','llama-3.3-70b','qwen2.5-coder'][number % 6 + 1],
               'chat', 500 + number % 3000, 100 + number % 700, 0, toUInt32(200 + number % 4000), 'ok', toInt64(1000 + number % 100000),
               'catalog', if(number % 3 = 0, concat('prompt ', toString(number)), ''), '', toUInt16(365), now64(3),
               multiIf(number % 7 = 0, 'external', number % 7 = 1, 'on-premises', ''),
               if(number % 8 = 0, map(['email','phone','cn_resident_id'][number % 3 + 1], toUInt32(1 + number % 3)), map()),
               if(number % 8 = 0, ['mask','hash','block'][intDiv(number, 8) % 3 + 1], '')
        FROM numbers({offset:UInt64}, {count:UInt64})`,
      query_params: { start, total: eventCount, offset, count },
    });
  });
  await client.command({
    query: `INSERT INTO warden.policy_decisions (time, decision_id, api_key_id, team, user, model, node, allowed, reason, message,
              policy_name, policy_version, policy_names, policy_versions, reservation_id, estimated_tokens, estimated_cost_nano_usd,
              pii_action, pii_findings, soft_quotas_exceeded, source, retention_days, recorded_at)
      SELECT fromUnixTimestamp64Milli(toInt64({start:UInt64} + intDiv(number * 2592000000, {total:UInt64}))), concat('decision-', toString(number)), '',
             ${teams}[number % 10 + 1], '', ['gpt-4o','gpt-4o-mini','claude-sonnet-4-5','o1-preview'][number % 4 + 1], '',
             number % 9 != 0, if(number % 9 = 0, ['model_not_allowed','insufficient_quota','rate_limit_exceeded','content_policy_violation','on_premises_required'][intDiv(number, 9) % 5 + 1], ''),
             '', 'org', 1, ['org'], [1], '', 100, NULL, '', map(), [], 'http', toUInt16(365), now64(3)
      FROM numbers({count:UInt64})`,
    query_params: { start, total: decisionCount, count: decisionCount },
  });
  report('requests / decisions loaded (generated in ClickHouse), seconds', `${eventCount.toLocaleString('en-US')} / ${decisionCount.toLocaleString('en-US')} in ${((performance.now() - started) / 1000).toFixed(1)}`);
});

const server = await startServer(dataDir, { WARDEN_RETENTION_SWEEP_MINUTES: '0' });
const timeQuery = (query, count) => timeGraphql(server, query, count);
const view = `complianceView(from: "${new Date(start).toISOString()}", to: "${new Date(end).toISOString()}", bucket: DAY)`;
const line = (label, timings) => report(`${label}, p50 / p95 ms`, `${percentile(timings, 0.5).toFixed(0)} / ${percentile(timings, 0.95).toFixed(0)}`);

const rollups = await timeQuery(
  `{ ${view} { decisions { decisions denied timeline { bucket denied } byReason { key denied } denials { team model reason denied } }
     personalData { team detector outcome requests } locality { team requests onPremises withPersonalData personalDataOnPremises } } }`,
  runs,
);
const figures = rollups.data.complianceView;
const requestsCovered = figures.locality.find((row) => row.team === null).requests;
report('requests covered / decisions covered', `${requestsCovered.toLocaleString('en-US')} / ${figures.decisions.decisions.toLocaleString('en-US')}`);
report('dashboard figures (decisions, personal data, locality; 30 days), p50 / p95 ms', `${percentile(rollups.timings, 0.5).toFixed(0)} / ${percentile(rollups.timings, 0.95).toFixed(0)} (target p50 < 300)`);
line('decisions over time and denials alone', (await timeQuery(`{ ${view} { decisions { decisions denied timeline { bucket } denials { team } } } }`, runs)).timings);
line('personal data by detector, team and handling alone', (await timeQuery(`{ ${view} { personalData { team detector outcome requests } } }`, runs)).timings);
line('data locality alone', (await timeQuery(`{ ${view} { locality { team requests onPremises } } }`, runs)).timings);
line('retention status (raw rows: oldest row and oldest content per team)', (await timeQuery(`{ ${view} { retention { dataClass team oldestKept } } }`, Math.min(runs, 5))).timings);
line('audit chain verification (a fresh log)', (await timeQuery(`{ ${view} { auditChain { valid checkedRows } } }`, Math.min(runs, 5))).timings);
line('whole dashboard (every figure)', (await timeQuery(
  `{ ${view} { decisions { decisions denied timeline { bucket denied } denials { team } } personalData { team } locality { team requests } retention { team oldestKept } auditChain { valid } } }`,
  Math.min(runs, 5),
)).timings);
await server.stop();
if (requestsCovered !== eventCount) throw new Error(`the locality figures covered ${requestsCovered} of ${eventCount} requests`);
if (figures.decisions.decisions !== decisionCount) throw new Error(`the decision figures covered ${figures.decisions.decisions} of ${decisionCount} decisions`);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNanoUsd } from '../../../../server/src/engine/money/exact-decimal';
import { allocateByWeight } from '../../../../server/src/modules/gpu/gpu-cost';
import { GpuCostService } from '../../../../server/src/modules/gpu/gpu-cost.service';
import { costNanoUsd } from '../../../../server/src/modules/pricing/catalog/cost-calculator';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';
import { graphqlData, instants, postAll, type SampleInput } from '../gpu/gpu-support';
import { call } from '../policies/policy-test-support';

const day = '2026-03-02';
const hourStart = (hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00Z`;

function powerSamples(): SampleInput[] {
  const samples: SampleInput[] = [];
  instants(hourStart(10), hourStart(12), 300).forEach((time, step) => {
    const timestamp = time.toISOString();
    samples.push({ timestamp, node: 'gpu-a', gpuUuid: 'GPU-a0', gpuIndex: 0, powerDrawWatts: 300.25 + (step % 5) * 0.5, utilizationRatio: 0.9 });
    samples.push({ timestamp, node: 'gpu-b', gpuUuid: 'GPU-b0', gpuIndex: 0, powerDrawWatts: 120.125 + (step % 3), utilizationRatio: 0.4 });
    // gpu-c is registered, has no owner and serves nothing: its idle cost stays with the node.
    samples.push({ timestamp, node: 'gpu-c', gpuUuid: 'GPU-c0', gpuIndex: 0, powerDrawWatts: 55.5, utilizationRatio: 0 });
  });
  return samples;
}

let sequence = 0;
const event = (hour: number, team: string, user: string, node: string, provider: string, model: string, inputTokens: number, outputTokens: number) => ({
  id: `cb-${(sequence += 1)}`,
  timestamp: `${day}T${hour}:${String(5 + sequence).padStart(2, '0')}:00Z`,
  team, user, provider, node, model, inputTokens, outputTokens, latencyMs: 400,
});

const events = [
  event(10, 'ml', 'alice', 'gpu-a', 'vllm', 'llama-3.3-70b', 1200, 800),
  event(10, 'ml', 'bob', 'gpu-a', 'vllm', 'llama-3.3-70b', 3000, 250),
  event(10, 'search', 'carol', 'gpu-a', 'vllm', 'llama-3.3-70b', 777, 1333),
  event(10, 'search', 'carol', 'gpu-a', 'vllm', 'qwen-2.5-32b', 5000, 100),
  event(10, 'platform', 'dave', 'gpu-a', 'vllm', 'qwen-2.5-32b', 10, 7),
  event(11, 'ml', 'alice', 'gpu-a', 'vllm', 'llama-3.3-70b', 100, 50),
  event(11, 'platform', 'dave', 'gpu-b', 'vllm', 'mistral-7b', 4321, 1234),
  // Hosted APIs: one priced by the catalog, one with no price anywhere.
  event(10, 'ml', 'alice', '', 'openai', 'gpt-4o-mini', 1000, 1000),
  event(11, 'search', 'erin', '', 'acme', 'mystery-model', 10, 10),
];

interface Row {
  team: string | null; node: string | null; user: string | null; day: string | null; hour: string | null; provider: string | null; model: string | null;
  requests: number; costNanoUsd: string; onPremCostUsd: string; onPremCostNanoUsd: string; totalCostUsd: string; totalCostNanoUsd: string; estimated: boolean; idle: boolean; unpricedRequests: number;
}
const rowFields = 'team node user day hour provider model requests costNanoUsd onPremCostUsd onPremCostNanoUsd totalCostUsd totalCostNanoUsd estimated idle unpricedRequests';
const sum = (values: Array<string | bigint>) => values.reduce<bigint>((total, value) => total + BigInt(value), 0n);

describe('chargeback: all-in spend, internal prices, budgets and the report on real engines', () => {
  let testApp: TestApp;
  let financeToken: string;
  let viewerToken: string;
  const spend = async (from: string, to: string, groupBy: string[], filter?: Record<string, string>) =>
    (await graphqlData<{ spend: Row[] }>(testApp, `query($from: DateTime!, $to: DateTime!, $groupBy: [SpendDimension!]!, $filter: SpendFilter) {
      spend(from: $from, to: $to, groupBy: $groupBy, filter: $filter) { ${rowFields} } }`, { from, to, groupBy, filter }, financeToken)).spend;
  const onPrem = async (from: string, to: string) =>
    (await graphqlData<{ onPremCost: { nodes: Array<{ node: string; allocatedCostNanoUsd: string; idleCostNanoUsd: string }>; models: Array<{ node: string; model: string; allocatedCostNanoUsd: string; usdPerMillionInputTokensExact: string; usdPerMillionOutputTokensExact: string }> } }>(
      testApp, `{ onPremCost(from: "${from}", to: "${to}") { nodes { node allocatedCostNanoUsd idleCostNanoUsd } models { node model allocatedCostNanoUsd usdPerMillionInputTokensExact usdPerMillionOutputTokensExact } } }`)).onPremCost;

  beforeAll(async () => {
    testApp = await startTestApp();
    financeToken = (await testApp.signIn('finance')).token;
    viewerToken = (await testApp.signIn('viewer')).token;
    const create = `mutation($name: String!, $hourly: Decimal, $energy: Decimal, $owner: String) {
      createNode(name: $name, kind: "vllm", hourlyCostUsd: $hourly, energyPriceUsdPerKwh: $energy, ratesEffectiveFrom: "2026-03-01T00:00:00Z", ownerTeam: $owner) { name ownerTeam } }`;
    await graphqlData(testApp, create, { name: 'gpu-a', hourly: '2.5', energy: '0.123456789' });
    const owned = await graphqlData<{ createNode: { ownerTeam: string | null } }>(testApp, create, { name: 'gpu-b', hourly: '1.1', energy: '0.2', owner: 'platform' });
    expect(owned.createNode.ownerTeam).toBe('platform');
    await graphqlData(testApp, create, { name: 'gpu-c', hourly: '0.7', energy: '0.2' });
    await postAll(testApp, powerSamples());
    const posted = await postEvents(testApp, events);
    expect(posted.body).toMatchObject({ accepted: events.length, rejected: 0 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('splits each node-hour over teams, users and days so the shares add up exactly to its allocated cost (BigInt)', async () => {
    let allocatedOverBothHours = 0n;
    for (const hour of [10, 11]) {
      const cost = await onPrem(hourStart(hour), hourStart(hour + 1));
      const byTeamAndNode = await spend(hourStart(hour), hourStart(hour + 1), ['TEAM', 'NODE']);
      for (const node of cost.nodes) {
        const shares = byTeamAndNode.filter((row) => row.node === node.node && !row.idle).map((row) => row.onPremCostNanoUsd);
        expect(sum(shares), `${node.node} at ${hour}:00`).toBe(BigInt(node.allocatedCostNanoUsd));
        allocatedOverBothHours += BigInt(node.allocatedCostNanoUsd);
      }
    }
    expect(allocatedOverBothHours).toBeGreaterThan(0n);
    const range = [hourStart(10), hourStart(12)] as const;
    const whole = await onPrem(...range);
    expect(sum(whole.nodes.map((node) => node.allocatedCostNanoUsd))).toBe(allocatedOverBothHours);
    // The On-prem page's per-model figures are sums of the same shares.
    const byModel = await spend(...range, ['NODE', 'MODEL']);
    for (const model of whole.models) {
      expect(byModel.find((row) => row.node === model.node && row.model === model.model)?.onPremCostNanoUsd).toBe(model.allocatedCostNanoUsd);
    }
    for (const groupBy of [['TEAM'], ['USER'], ['DAY'], ['TEAM', 'USER', 'DAY'], ['HOUR', 'PROVIDER'], []]) {
      const rows = await spend(...range, groupBy);
      expect(sum(rows.filter((row) => !row.idle).map((row) => row.onPremCostNanoUsd)), groupBy.join('×')).toBe(allocatedOverBothHours);
      for (const row of rows) {
        expect(BigInt(row.totalCostNanoUsd)).toBe(BigInt(row.costNanoUsd) + BigInt(row.onPremCostNanoUsd));
        expect(row.totalCostUsd).toBe(formatNanoUsd(BigInt(row.totalCostNanoUsd)));
        expect(row.onPremCostUsd).toBe(formatNanoUsd(BigInt(row.onPremCostNanoUsd)));
        expect(row.estimated).toBe(false);
      }
    }
    // Per user, the split follows the weighted tokens (input + 4 × output) within a nano-dollar per unit.
    const cost10 = await onPrem(hourStart(10), hourStart(11));
    const gpuA10 = BigInt(cost10.nodes.find((node) => node.node === 'gpu-a')!.allocatedCostNanoUsd);
    const users10 = await spend(hourStart(10), hourStart(11), ['USER'], { node: 'gpu-a' });
    const weightOf = (user: string) => sum(events.filter((item) => item.user === user && item.node === 'gpu-a' && item.timestamp.includes('T10:')).map((item) => BigInt(item.inputTokens + 4 * item.outputTokens)));
    const totalWeight = sum(['alice', 'bob', 'carol', 'dave'].map(weightOf));
    for (const row of users10) {
      const exact = gpuA10 * weightOf(row.user!);
      const difference = BigInt(row.onPremCostNanoUsd) * totalWeight - exact;
      expect(difference < 0n ? -difference : difference).toBeLessThanOrEqual(3n * totalWeight);
    }
    // The hosted API cost stays in costUsd; on-prem requests add none there and none are "unpriced".
    const ml = (await spend(...range, ['TEAM'])).find((row) => row.team === 'ml' && !row.idle)!;
    const gpt = (await spend(...range, ['MODEL'])).find((row) => row.model === 'gpt-4o-mini')!;
    expect(ml.costNanoUsd).toBe(gpt.costNanoUsd);
    expect(ml.unpricedRequests).toBe(0);
  });

  it('the ClickHouse allocation equals the in-memory reference unit for unit (largest remainder, BigInt)', async () => {
    const gpuCost = testApp.app.get(GpuCostService);
    const allocation = await gpuCost.allocation(new Date(hourStart(10)), new Date(hourStart(12)));
    const records = await gpuCost.allocated(allocation, ['hour', 'node', 'team', 'model', 'provider'], {});
    const got = new Map(records.map((record) => [`${Number(record.hour) * 1000}/${record.node}/${record.team}/${record.model}/${record.provider}`, BigInt(record.share_nano_usd)]));
    const expected = new Map<string, bigint>();
    for (const nodeHour of allocation.nodeHours.filter((candidate) => !candidate.idle)) {
      const units = new Map<string, bigint>();
      for (const item of events) {
        if (item.node !== nodeHour.node || Date.parse(item.timestamp) - nodeHour.hourMs >= 3600_000 || Date.parse(item.timestamp) < nodeHour.hourMs) continue;
        const key = `${item.model}\u0000${item.team}\u0000${item.provider}`;
        units.set(key, (units.get(key) ?? 0n) + BigInt(item.inputTokens) + 4n * BigInt(item.outputTokens));
      }
      const keys = [...units.keys()].sort();
      const parts = allocateByWeight(nodeHour.costNanoUsd, keys.map((key) => units.get(key)!));
      keys.forEach((key, index) => {
        const [model, team, provider] = key.split('\u0000');
        expected.set(`${nodeHour.hourMs}/${nodeHour.node}/${team}/${model}/${provider}`, parts[index]);
      });
    }
    expect(got).toEqual(expected);
    expect(got.size).toBeGreaterThan(5);
  });

  it('lists as unpriced only models with no price anywhere', async () => {
    const answer = await graphqlData<{ unpricedModels: Array<{ model: string; requests: number }> }>(testApp, `{ unpricedModels(from: "${hourStart(10)}", to: "${hourStart(12)}") { model requests } }`);
    expect(answer.unpricedModels).toEqual([{ model: 'mystery-model', requests: 1 }]);
  });

  it("gives a node's idle hours to its owner team as a line of its own, and never an unowned node's", async () => {
    const cost = await onPrem(hourStart(10), hourStart(12));
    const gpuB = cost.nodes.find((node) => node.node === 'gpu-b')!;
    expect(BigInt(gpuB.idleCostNanoUsd)).toBeGreaterThan(0n);
    expect(BigInt(cost.nodes.find((node) => node.node === 'gpu-c')!.idleCostNanoUsd)).toBeGreaterThan(0n);
    const byTeam = await spend(hourStart(10), hourStart(12), ['TEAM', 'NODE']);
    const idleLines = byTeam.filter((row) => row.idle);
    expect(idleLines).toEqual([expect.objectContaining({ team: 'platform', node: 'gpu-b', requests: 0, costNanoUsd: '0', onPremCostNanoUsd: gpuB.idleCostNanoUsd, totalCostNanoUsd: gpuB.idleCostNanoUsd })]);
    // Without a team grouping there is no owner to carry it.
    expect((await spend(hourStart(10), hourStart(12), ['NODE'])).some((row) => row.idle)).toBe(false);
    // Clearing the owner returns the idle cost to the node.
    const nodes = await graphqlData<{ allNodes: Array<{ id: string; name: string }> }>(testApp, '{ allNodes { id name } }');
    const gpuBId = nodes.allNodes.find((node) => node.name === 'gpu-b')!.id;
    await graphqlData(testApp, `mutation { updateNode(id: "${gpuBId}", ownerTeam: "") { ownerTeam } }`);
    expect((await spend(hourStart(10), hourStart(12), ['TEAM'])).some((row) => row.idle)).toBe(false);
    const restored = await graphqlData<{ updateNode: { ownerTeam: string } }>(testApp, `mutation { updateNode(id: "${gpuBId}", ownerTeam: "platform") { ownerTeam } }`);
    expect(restored.updateNode.ownerTeam).toBe('platform');
  });

  it('produces the chargeback report as a job, whose CSV equals spend for the month, for finance only', async () => {
    const denied = await testApp.graphql('mutation { createChargebackReport(month: "2026-03") { id } }', undefined, viewerToken);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const badMonth = await testApp.graphql('mutation { createChargebackReport(month: "2026-13") { id } }', undefined, financeToken);
    expect(badMonth.errors?.[0].message).toMatch(/month/);
    const created = await graphqlData<{ createChargebackReport: { id: string; name: string } }>(testApp, 'mutation { createChargebackReport(month: "2026-03") { id name state progress } }', undefined, financeToken);
    const id = created.createChargebackReport.id;
    expect(created.createChargebackReport.name).toBe('chargeback.report');
    let state = '';
    for (let attempt = 0; attempt < 200 && state !== 'completed' && state !== 'failed'; attempt += 1) {
      const job = await graphqlData<{ job: { state: string; progress: number; error: string | null } }>(testApp, `{ job(id: "${id}") { state progress error } }`, undefined, financeToken);
      state = job.job.state;
      if (state === 'failed') throw new Error(job.job.error ?? 'failed');
      if (state !== 'completed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe('completed');
    const download = (extension: string, token: string) => fetch(`${testApp.baseUrl}/api/v1/reports/chargeback/${id}.${extension}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await download('csv', viewerToken)).status).toBe(403);
    const csvResponse = await download('csv', financeToken);
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toMatch(/text\/csv/);
    const [header, ...lines] = (await csvResponse.text()).trim().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['month', 'team', 'category', 'provider', 'model', 'node', 'requests', 'input_tokens', 'output_tokens', 'cost_usd']);
    const cents = (usd: string) => Math.round(Number(usd) * 100);

    const month = ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'] as const;
    const byTeam = await spend(...month, ['TEAM']);
    const teamTotals = new Map<string, bigint>();
    for (const row of byTeam) teamTotals.set(row.team ?? '', (teamTotals.get(row.team ?? '') ?? 0n) + BigInt(row.totalCostNanoUsd));
    const totals = lines.filter((line) => line[2] === 'total');
    expect(totals.map((line) => line[1]).sort()).toEqual([...teamTotals.keys()].sort());
    for (const line of totals) {
      expect(line[9]).toBe(formatNanoUsd(teamTotals.get(line[1])!));
      expect(cents(line[9])).toBe(cents(formatNanoUsd(teamTotals.get(line[1])!)));
    }
    const byTeamNode = await spend(...month, ['TEAM', 'NODE']);
    for (const row of byTeamNode.filter((candidate) => BigInt(candidate.onPremCostNanoUsd) > 0n)) {
      const line = lines.find((candidate) => candidate[1] === row.team && candidate[2] === (row.idle ? 'idle' : 'on-prem') && candidate[5] === row.node);
      expect(line?.[9], `${row.team}/${row.node}`).toBe(row.onPremCostUsd);
    }
    const byApi = await spend(...month, ['TEAM', 'PROVIDER', 'MODEL']);
    for (const row of byApi.filter((candidate) => BigInt(candidate.costNanoUsd) > 0n)) {
      const line = lines.find((candidate) => candidate[1] === row.team && candidate[2] === 'api' && candidate[4] === row.model);
      expect(line?.[9]).toBe(formatNanoUsd(BigInt(row.costNanoUsd)));
    }
    const html = await download('html', financeToken);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/<h1>Chargeback 2026-03<\/h1>[\s\S]*<h2>platform<\/h2>/);
    // Who asked for the figures and who took them out, in the audit log (read by admin).
    const audited = await graphqlData<{ allAuditEntries: Array<{ action: string; actor: string; targetId: string; details: { month?: string; format?: string } }> }>(
      testApp, '{ allAuditEntries(filter: { targetType: "chargeback_report" }, sortField: "sequence", sortOrder: "ASC") { action actor targetId details } }');
    expect(audited.allAuditEntries.map((entry) => [entry.action, entry.targetId, entry.details])).toEqual([
      ['chargeback.create', id, { month: '2026-03' }],
      ['chargeback.download', id, { format: 'csv' }],
      ['chargeback.download', id, { format: 'html' }],
    ]);
    expect(audited.allAuditEntries[0].actor).toMatch(/^user:finance-/);
    const listed = await graphqlData<{ chargebackReports: Array<{ id: string; totalCostUsd: string; csvUrl: string }> }>(testApp, '{ chargebackReports { id totalCostUsd csvUrl } }', undefined, financeToken);
    expect(listed.chargebackReports[0]).toEqual({ id, totalCostUsd: formatNanoUsd(sum([...teamTotals.values()])), csvUrl: `/api/v1/reports/chargeback/${id}.csv` });
  });

  it('turns a measured window into a catalog price that prices a new request at once; the open hour is an estimate', async () => {
    const cost = await onPrem(hourStart(10), hourStart(12));
    const llama = cost.models.find((row) => row.node === 'gpu-a' && row.model === 'llama-3.3-70b')!;
    const set = `mutation($from: DateTime!, $to: DateTime) { setInternalPrice(node: "gpu-a", model: "llama-3.3-70b", from: $from, to: $to) {
      modelPattern provider source inputPerMillionUsd outputPerMillionUsd measuredNode measuredFrom measuredTo effectiveFrom } }`;
    expect((await testApp.graphql(set, { from: hourStart(10), to: hourStart(12) }, viewerToken)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknownNode = await testApp.graphql(set.replace('"gpu-a"', '"gpu-z"'), { from: hourStart(10), to: hourStart(12) }, financeToken);
    expect(unknownNode.errors?.[0].message).toMatch(/^node: /);
    const nothingServed = await testApp.graphql(set, { from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' }, financeToken);
    expect(nothingServed.errors?.[0].message).toMatch(/^model: /);
    const price = (await graphqlData<{ setInternalPrice: Record<string, string> }>(testApp, set, { from: hourStart(10), to: hourStart(12) }, financeToken)).setInternalPrice;
    expect(price).toMatchObject({
      modelPattern: 'llama-3\\.3-70b', provider: '', source: 'measured', measuredNode: 'gpu-a', measuredFrom: '2026-03-02T10:00:00.000Z', measuredTo: '2026-03-02T12:00:00.000Z',
      inputPerMillionUsd: llama.usdPerMillionInputTokensExact, outputPerMillionUsd: llama.usdPerMillionOutputTokensExact,
    });
    const audited = await graphqlData<{ allAuditEntries: Array<{ action: string; details: { node: string } }> }>(testApp, '{ allAuditEntries(filter: { action: "pricing.setInternalPrice" }) { action details } }');
    expect(audited.allAuditEntries).toEqual([{ action: 'pricing.setInternalPrice', details: expect.objectContaining({ node: 'gpu-a', model: 'llama-3.3-70b' }) as unknown }]);

    // A request happening now is priced by the measured price at ingest, so quotas in USD count it at once.
    const now = new Date();
    const fresh = { id: 'cb-fresh', timestamp: now.toISOString(), team: 'ml', user: 'alice', provider: 'vllm', node: 'gpu-a', model: 'llama-3.3-70b', inputTokens: 1000, outputTokens: 500, latencyMs: 300 };
    expect((await postEvents(testApp, [fresh])).body).toMatchObject({ accepted: 1 });
    await postAll(testApp, [{ timestamp: now.toISOString(), node: 'gpu-a', gpuUuid: 'GPU-a0', gpuIndex: 0, powerDrawWatts: 310, utilizationRatio: 0.8 }]);
    const stored = await graphqlData<{ Request: { costNanoUsd: string; costSource: string } }>(testApp, '{ Request(id: "cb-fresh") { costNanoUsd costSource } }');
    const expected = costNanoUsd({ inputPerMillionUsd: price.inputPerMillionUsd, outputPerMillionUsd: price.outputPerMillionUsd, cachedInputPerMillionUsd: null }, { inputTokens: 1000, outputTokens: 500 });
    expect(stored.Request).toEqual({ costNanoUsd: expected.toString(), costSource: 'catalog' });

    // In all-in spend the node's allocation prices it (not twice), and the hour not yet closed is marked.
    const openHour = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000);
    const rows = await spend(openHour.toISOString(), new Date(openHour.getTime() + 3600_000).toISOString(), ['TEAM']);
    const mlNow = rows.find((row) => row.team === 'ml')!;
    expect(mlNow).toMatchObject({ costNanoUsd: '0', estimated: true });
    const openCost = await onPrem(openHour.toISOString(), new Date(openHour.getTime() + 3600_000).toISOString());
    expect(mlNow.onPremCostNanoUsd).toBe(openCost.nodes.find((node) => node.node === 'gpu-a')!.allocatedCostNanoUsd);
  });
  it('answers team budgets: spent all in, the limit its policies set for that month, the forecast and the overrun date', async () => {
    const put = await call(testApp, 'PUT', '/api/v1/policies/ml-budget', testApp.sessionToken, {
      name: 'ml-budget', scope: { team: 'ml' }, quotas: [{ name: 'monthly', metric: 'costUsd', limit: '0.5', period: 'month' }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const budgetsQuery = 'query($month: String!) { teamBudgets(month: $month) { team spentUsd limitUsd limitSource forecastUsd forecastLowUsd forecastHighUsd projectedOverrun overrunDate includesEstimate } }';
    type Budget = { team: string; spentUsd: string; limitUsd: string | null; limitSource: string | null; forecastUsd: string; forecastLowUsd: string; forecastHighUsd: string; projectedOverrun: boolean; overrunDate: string | null; includesEstimate: boolean };
    const spentOf = async (from: string, to: string, team: string) => formatNanoUsd(sum((await spend(from, to, ['TEAM'])).filter((row) => row.team === team).map((row) => row.totalCostNanoUsd)));

    // A closed month is what it was, with the limits in force then: the policy written today did not exist in March.
    const march = (await graphqlData<{ teamBudgets: Budget[] }>(testApp, budgetsQuery, { month: '2026-03' }, financeToken)).teamBudgets;
    const marchMl = await spentOf('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', 'ml');
    expect(march.find((budget) => budget.team === 'ml')).toEqual({
      team: 'ml', spentUsd: marchMl, limitUsd: null, limitSource: null, forecastUsd: marchMl, forecastLowUsd: marchMl, forecastHighUsd: marchMl,
      projectedOverrun: false, overrunDate: null, includesEstimate: false,
    });
    expect(march.find((budget) => budget.team === 'platform')?.spentUsd).toBe(await spentOf('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', 'platform'));

    // This month: the open hour's estimate counts, the limit is today's, and the overrun already happened today.
    const now = new Date();
    const month = now.toISOString().slice(0, 7);
    const monthStart = `${month}-01T00:00:00Z`;
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    const current = (await graphqlData<{ teamBudgets: Budget[] }>(testApp, budgetsQuery, { month }, financeToken)).teamBudgets;
    const ml = current.find((budget) => budget.team === 'ml')!;
    expect(ml).toMatchObject({ spentUsd: await spentOf(monthStart, nextMonth, 'ml'), limitUsd: '0.5', limitSource: 'ml-budget/monthly', projectedOverrun: true, overrunDate: now.toISOString().slice(0, 10), includesEstimate: true });
    expect(Number(ml.forecastLowUsd)).toBeLessThanOrEqual(Number(ml.forecastUsd));
    expect(Number(ml.forecastUsd)).toBeLessThanOrEqual(Number(ml.forecastHighUsd));
    expect(Number(ml.forecastUsd)).toBeGreaterThanOrEqual(Number(ml.spentUsd));
    const denied = await testApp.graphql('{ teamBudgets(month: "2026-03") { team } }', undefined, viewerToken);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bad = await testApp.graphql('{ teamBudgets(month: "March") { team } }', undefined, financeToken);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toMatch(/month/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';
import { graphqlData, instants, postAll, type SampleInput } from './gpu-support';

const day = '2026-03-02';

// Power per GPU and minute over 10:00–12:00: gpu-a has two GPUs, gpu-b one; values with fractions of a watt.
function powerSamples(): SampleInput[] {
  const samples: SampleInput[] = [];
  instants(`${day}T10:00:00Z`, `${day}T12:00:00Z`, 60).forEach((time, step) => {
    const timestamp = time.toISOString();
    samples.push({ timestamp, node: 'gpu-a', gpuUuid: 'GPU-a0', gpuIndex: 0, powerDrawWatts: 300.25 + (step % 7) * 0.5, utilizationRatio: 0.9 });
    samples.push({ timestamp, node: 'gpu-a', gpuUuid: 'GPU-a1', gpuIndex: 1, powerDrawWatts: 280.125 + (step % 3), utilizationRatio: 0.7 });
    // One missing reading a minute on gpu-b: the mean is over the samples that had a value.
    samples.push({ timestamp, node: 'gpu-b', gpuUuid: 'GPU-b0', gpuIndex: 0, powerDrawWatts: step % 11 === 0 ? null : 61.5 + (step % 4) * 0.25, utilizationRatio: 0.2 });
  });
  return samples;
}

const event = (id: string, hour: number, node: string, model: string, inputTokens: number, outputTokens: number) => ({
  id, timestamp: `${day}T${hour}:${String(10 + (id.length % 40)).padStart(2, '0')}:00Z`, team: 'ml', provider: 'self-hosted', node, model, inputTokens, outputTokens, latencyMs: 500,
});

const events = [
  event('a-llama-1', 10, 'gpu-a', 'llama-3.3-70b', 1200, 800),
  event('a-llama-2', 10, 'gpu-a', 'llama-3.3-70b', 3000, 250),
  event('a-llama-3', 10, 'gpu-a', 'llama-3.3-70b', 777, 1333),
  event('a-qwen-1', 10, 'gpu-a', 'qwen-2.5-32b', 5000, 100),
  event('a-qwen-2', 10, 'gpu-a', 'qwen-2.5-32b', 10, 7),
  // gpu-a serves nothing at 11:00 (idle hour); gpu-b nothing at 10:00 (idle hour).
  event('b-mistral-1', 11, 'gpu-b', 'mistral-7b', 4321, 1234),
  event('b-mistral-2', 11, 'gpu-b', 'mistral-7b', 99, 1),
  // Not registered: its tokens have no known cost.
  event('x-llama-1', 10, 'gpu-x', 'llama-3.3-70b', 100, 100),
  // A hosted API call: no node, not on-prem.
  { ...event('hosted-1', 10, '', 'gpt-4o-mini', 1000, 1000), provider: 'openai' },
];

// Rates per node and hour: gpu-b's change mid-window, at 11:00, so each of its hours has its own version.
const nodes = {
  'gpu-a': { 10: { hourlyCostUsd: '2.5', energyPriceUsdPerKwh: '0.123456789', overheadMilli: 1200n }, 11: { hourlyCostUsd: '2.5', energyPriceUsdPerKwh: '0.123456789', overheadMilli: 1200n } },
  'gpu-b': { 10: { hourlyCostUsd: '1.1', energyPriceUsdPerKwh: '0.2', overheadMilli: 1000n }, 11: { hourlyCostUsd: '1.7', energyPriceUsdPerKwh: '0.25', overheadMilli: 1100n } },
} as const;
const ratesFrom = '2026-03-01T00:00:00Z';
const gpuBChangeAt = `${day}T11:00:00Z`;

// ---- An independent computation of the documented formula, in BigInt, from the samples and events as sent. ----
const nano = (usd: string) => {
  const [whole, fraction = ''] = usd.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
};
const halfUp = (numerator: bigint, denominator: bigint) => (2n * numerator + denominator) / (2n * denominator);

function expectedCost(samples: SampleInput[], outputWeight: bigint) {
  const hours = [10, 11];
  const perNodeHour = new Map<string, bigint>();
  for (const [node, ratesByHour] of Object.entries(nodes)) {
    for (const hour of hours) {
      const rates = ratesByHour[hour as 10 | 11];
      const byGpu = new Map<string, { mw: bigint; n: bigint }>();
      for (const sample of samples) {
        if (sample.node !== node || new Date(sample.timestamp).getUTCHours() !== hour || sample.powerDrawWatts === null || sample.powerDrawWatts === undefined) continue;
        const gpu = byGpu.get(sample.gpuUuid) ?? { mw: 0n, n: 0n };
        gpu.mw += BigInt(Math.round(sample.powerDrawWatts * 1000));
        gpu.n += 1n;
        byGpu.set(sample.gpuUuid, gpu);
      }
      // Σ mw_g / n_g over a common denominator, then one rounding.
      const gpus = [...byGpu.values()];
      const denominator = gpus.reduce((product, gpu) => product * gpu.n, 1n);
      const numerator = gpus.reduce((sum, gpu) => sum + (gpu.mw * denominator) / gpu.n, 0n);
      const energy = halfUp(numerator * nano(rates.energyPriceUsdPerKwh) * rates.overheadMilli, denominator * 1_000_000_000n);
      perNodeHour.set(`${node}@${hour}`, nano(rates.hourlyCostUsd) + energy);
    }
  }
  const models = new Map<string, { allocated: bigint; input: bigint; output: bigint; inputTokens: bigint; outputTokens: bigint }>();
  const idle = new Map<string, bigint>();
  for (const [key, cost] of perNodeHour) {
    const [node, hour] = key.split('@');
    const served = new Map<string, { input: bigint; output: bigint }>();
    for (const item of events) {
      if (item.node !== node || Number(item.timestamp.slice(11, 13)) !== Number(hour)) continue;
      const tokens = served.get(item.model) ?? { input: 0n, output: 0n };
      tokens.input += BigInt(item.inputTokens);
      tokens.output += BigInt(item.outputTokens);
      served.set(item.model, tokens);
    }
    if (served.size === 0) {
      idle.set(node, (idle.get(node) ?? 0n) + cost);
      continue;
    }
    const names = [...served.keys()].sort();
    const weight = (name: string) => served.get(name)!.input * 1000n + served.get(name)!.output * outputWeight * 1000n;
    const totalWeight = names.reduce((sum, name) => sum + weight(name), 0n);
    const floors = names.map((name) => (cost * weight(name)) / totalWeight);
    let left = cost - floors.reduce((sum, part) => sum + part, 0n);
    const order = names.map((name, index) => ({ index, remainder: (cost * weight(name)) % totalWeight }))
      .sort((first, second) => (first.remainder === second.remainder ? first.index - second.index : first.remainder > second.remainder ? -1 : 1));
    for (const { index } of order) if (left > 0n) { floors[index] += 1n; left -= 1n; }
    names.forEach((name, index) => {
      const share = floors[index];
      const inputShare = halfUp(share * served.get(name)!.input * 1000n, weight(name));
      const entry = models.get(`${node}/${name}`) ?? { allocated: 0n, input: 0n, output: 0n, inputTokens: 0n, outputTokens: 0n };
      entry.allocated += share;
      entry.input += inputShare;
      entry.output += share - inputShare;
      entry.inputTokens += served.get(name)!.input;
      entry.outputTokens += served.get(name)!.output;
      models.set(`${node}/${name}`, entry);
    });
  }
  return { models, idle, perNodeHour };
}

const usdPerMillion = (costNano: bigint, tokens: bigint) => {
  const perMillionNano = halfUp(costNano * 1_000_000n, tokens);
  const text = perMillionNano.toString().padStart(10, '0');
  return `${text.slice(0, -9)}.${text.slice(-9)}`.replace(/\.?0+$/, '');
};

interface CostAnswer {
  onPremCost: {
    inputTokenWeight: number;
    outputTokenWeight: number;
    method: string;
    totalCostNanoUsd: string;
    idleCostNanoUsd: string;
    unregisteredNodes: string[];
    models: Array<{ node: string; model: string; inputTokens: number; outputTokens: number; requests: number; allocatedCostNanoUsd: string; inputCostNanoUsd: string; outputCostNanoUsd: string; usdPerMillionInputTokensExact: string; usdPerMillionOutputTokensExact: string; usdPerMillionInputTokens: string }>;
    nodes: Array<{ node: string; observedHours: number; busyHours: number; idleHours: number; unpricedHours: number; totalCostNanoUsd: string; allocatedCostNanoUsd: string; idleCostNanoUsd: string; hourlyCostNanoUsd: string; energyCostNanoUsd: string }>;
    hostedComparison: Array<{ model: string; priced: boolean; usdPerMillionInputTokensExact: string | null; usdPerMillionOutputTokensExact: string | null; costOfServedTokensNanoUsd: string | null }>;
  };
}

const costQuery = `query($outputTokenWeight: Float, $compareWith: [String!]) {
  onPremCost(from: "${day}T10:00:00Z", to: "${day}T12:00:00Z", outputTokenWeight: $outputTokenWeight, compareWith: $compareWith) {
    inputTokenWeight outputTokenWeight method totalCostNanoUsd idleCostNanoUsd unregisteredNodes
    models { node model inputTokens outputTokens requests allocatedCostNanoUsd inputCostNanoUsd outputCostNanoUsd usdPerMillionInputTokensExact usdPerMillionOutputTokensExact usdPerMillionInputTokens }
    nodes { node observedHours busyHours idleHours unpricedHours totalCostNanoUsd allocatedCostNanoUsd idleCostNanoUsd hourlyCostNanoUsd energyCostNanoUsd }
    hostedComparison { model priced usdPerMillionInputTokensExact usdPerMillionOutputTokensExact costOfServedTokensNanoUsd }
  } }`;

describe('nodes and GPU cost per token on real engines', () => {
  let testApp: TestApp;
  let samples: SampleInput[];
  let viewerToken: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    viewerToken = (await testApp.signIn('viewer')).token;
    samples = powerSamples();
    await postAll(testApp, samples);
    const posted = await postEvents(testApp, events);
    expect(posted.body).toMatchObject({ accepted: events.length, rejected: 0 });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('node CRUD: admin writes, a viewer reads but cannot write, names are unique, bad input is named', async () => {
    const create = `mutation($name: String!, $kind: String, $hourly: Decimal, $energy: Decimal, $overhead: Decimal, $labels: [NodeLabelInput!], $from: DateTime) {
      createNode(name: $name, kind: $kind, hourlyCostUsd: $hourly, energyPriceUsdPerKwh: $energy, powerOverheadFactor: $overhead, labels: $labels, ratesEffectiveFrom: $from) {
        id name kind hourlyCostUsd hourlyCostUsdExact energyPriceUsdPerKwh energyPriceUsdPerKwhExact powerOverheadFactor ratesEffectiveFrom labels { key value } } }`;
    const denied = await testApp.graphql(create, { name: 'gpu-a', hourly: 2.5 }, viewerToken);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const a = await graphqlData<{ createNode: { id: string } }>(
      testApp, create, { name: 'gpu-a', kind: 'vllm', hourly: '2.5', energy: '0.123456789', overhead: 1.2, labels: [{ key: 'rack', value: 'r1' }], from: ratesFrom });
    expect(a.createNode).toMatchObject({
      hourlyCostUsd: '2.5', hourlyCostUsdExact: '2.500000000', energyPriceUsdPerKwh: '0.123456789', energyPriceUsdPerKwhExact: '0.123456789',
      powerOverheadFactor: '1.2', ratesEffectiveFrom: '2026-03-01T00:00:00.000Z', labels: [{ key: 'rack', value: 'r1' }],
    });
    const b = await graphqlData<{ createNode: { id: string } }>(testApp, create, { name: 'gpu-b', kind: 'ollama', hourly: '1.1', energy: '0.2', from: ratesFrom });

    const duplicate = await testApp.graphql(create, { name: 'gpu-a' });
    expect(duplicate.errors?.[0].extensions?.code).toBe('CONFLICT');
    const invalid = await testApp.graphql(create, { name: ' bad name!', kind: 'kubernetes', hourly: -1, overhead: '0.5' });
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(invalid.errors?.[0].message).toMatch(/name:.*kind:.*hourlyCostUsd: must not be negative; powerOverheadFactor: must be at least 1$/);
    // More decimals than the column keeps are refused, never rounded; so is a rate beyond its range.
    const tooPrecise = await testApp.graphql(create, { name: 'gpu-precise', hourly: '2.1234567891', energy: '1001', overhead: '1.2345' });
    expect(tooPrecise.errors?.[0].message).toBe(
      'hourlyCostUsd: more than 9 decimal places (2.1234567891); the column keeps 9: round it yourself; energyPriceUsdPerKwh: too large: at most 1000; ' +
        'powerOverheadFactor: more than 3 decimal places (1.2345); the column keeps 3: round it yourself',
    );

    const list = await graphqlData<{ allNodes: Array<{ name: string }>; _allNodesMeta: { count: number } }>(
      testApp, `{ allNodes(sortField: "name", sortOrder: "ASC") { name } _allNodesMeta { count } }`, undefined, viewerToken);
    expect(list).toEqual({ allNodes: [{ name: 'gpu-a' }, { name: 'gpu-b' }], _allNodesMeta: { count: 2 } });
    const filtered = await graphqlData<{ allNodes: Array<{ name: string }> }>(testApp, `{ allNodes(filter: { kind: "ollama" }) { name } }`);
    expect(filtered.allNodes).toEqual([{ name: 'gpu-b' }]);

    const deniedUpdate = await testApp.graphql(`mutation { updateNode(id: "${b.createNode.id}", notes: "x") { id } }`, undefined, viewerToken);
    expect(deniedUpdate.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const updated = await graphqlData<{ updateNode: { notes: string; kind: string } }>(testApp, `mutation { updateNode(id: "${b.createNode.id}", notes: "lab box") { notes kind } }`);
    expect(updated.updateNode).toEqual({ notes: 'lab box', kind: 'ollama' });

    // gpu-b's rates change at 11:00: a new version; the one in force before keeps costing the hours before it.
    const versionsQuery = `{ nodeRateVersions(id: "${b.createNode.id}") { effectiveFrom effectiveUntil inForce hourlyCostUsd energyPriceUsdPerKwh powerOverheadFactor } }`;
    expect((await graphqlData<{ nodeRateVersions: unknown[] }>(testApp, versionsQuery)).nodeRateVersions).toHaveLength(1);
    const changed = await graphqlData<{ updateNode: { hourlyCostUsd: string; ratesEffectiveFrom: string } }>(testApp,
      `mutation { updateNode(id: "${b.createNode.id}", hourlyCostUsd: "1.7", energyPriceUsdPerKwh: "0.25", powerOverheadFactor: "1.1", ratesEffectiveFrom: "${gpuBChangeAt}") { hourlyCostUsd ratesEffectiveFrom } }`);
    expect(changed.updateNode).toEqual({ hourlyCostUsd: '1.7', ratesEffectiveFrom: '2026-03-02T11:00:00.000Z' });
    expect((await graphqlData<{ nodeRateVersions: unknown[] }>(testApp, versionsQuery)).nodeRateVersions).toEqual([
      { effectiveFrom: '2026-03-01T00:00:00.000Z', effectiveUntil: '2026-03-02T11:00:00.000Z', inForce: false, hourlyCostUsd: '1.1', energyPriceUsdPerKwh: '0.2', powerOverheadFactor: '1' },
      { effectiveFrom: '2026-03-02T11:00:00.000Z', effectiveUntil: null, inForce: true, hourlyCostUsd: '1.7', energyPriceUsdPerKwh: '0.25', powerOverheadFactor: '1.1' },
    ]);
    const rewrite = await testApp.graphql(`mutation { updateNode(id: "${b.createNode.id}", hourlyCostUsd: "5", ratesEffectiveFrom: "${ratesFrom}") { id } }`);
    expect(rewrite.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(rewrite.errors?.[0].message).toBe('The rates of this node from 2026-03-01T00:00:00.000Z are already in force and are never rewritten: give the new rates a later ratesEffectiveFrom');
    const temporary = await graphqlData<{ createNode: { id: string } }>(testApp, create, { name: 'gpu-temp' });
    const deniedDelete = await testApp.graphql(`mutation { deleteNode(id: "${temporary.createNode.id}") { id } }`, undefined, viewerToken);
    expect(deniedDelete.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await graphqlData(testApp, `mutation { deleteNode(id: "${temporary.createNode.id}") { id } }`);
    const gone = await testApp.graphql(`{ Node(id: "${temporary.createNode.id}") { id } }`);
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // The fleet can be filtered by the registry's kind and labels.
    const byLabel = await graphqlData<{ gpuFleet: { tiles: Array<{ node: string }> } }>(testApp, `{ gpuFleet(at: "${day}T12:00:00Z", filter: { label: "rack=r1" }) { tiles { node } } }`);
    expect(byLabel.gpuFleet.tiles.map((tile) => tile.node)).toEqual(['gpu-a', 'gpu-a']);
  });

  it('allocates each node-hour to the tokens served in it, to the nano-dollar, and reports idle hours apart', async () => {
    const { onPremCost } = await graphqlData<CostAnswer>(testApp, costQuery, { compareWith: ['gpt-4o-mini', 'no-such-model'] });
    const expected = expectedCost(samples, 4n);
    expect(onPremCost).toMatchObject({ inputTokenWeight: 1, outputTokenWeight: 4, unregisteredNodes: ['gpu-x'] });
    expect(onPremCost.method).toMatch(/input × 1 \+ output × 4/);
    expect(onPremCost.models.map((row) => `${row.node}/${row.model}`)).toEqual([...expected.models.keys()].sort());
    for (const row of onPremCost.models) {
      const want = expected.models.get(`${row.node}/${row.model}`)!;
      expect(row.allocatedCostNanoUsd).toBe(want.allocated.toString());
      expect(row.inputCostNanoUsd).toBe(want.input.toString());
      expect(row.outputCostNanoUsd).toBe(want.output.toString());
      expect(row.inputTokens).toBe(Number(want.inputTokens));
      expect(row.usdPerMillionInputTokensExact).toBe(usdPerMillion(want.input, want.inputTokens));
      expect(row.usdPerMillionOutputTokensExact).toBe(usdPerMillion(want.output, want.outputTokens));
      // The display field is the exact figure too, as a Decimal string without trailing zeros.
      expect(row.usdPerMillionInputTokens).toBe(row.usdPerMillionInputTokensExact);
    }
    const llama = onPremCost.models.find((row) => row.model === 'llama-3.3-70b')!;
    expect(llama).toMatchObject({ node: 'gpu-a', requests: 3, inputTokens: 4977, outputTokens: 2383 });

    // Idle hours: gpu-a at 11:00 and gpu-b at 10:00, each its whole node-hour cost, in no per-token figure.
    const nodeA = onPremCost.nodes.find((row) => row.node === 'gpu-a')!;
    const nodeB = onPremCost.nodes.find((row) => row.node === 'gpu-b')!;
    // gpu-b's hourly cost is each hour's version: 1.1 at 10:00, 1.7 at 11:00.
    expect(nodeB.hourlyCostNanoUsd).toBe('2800000000');
    expect(BigInt(nodeB.totalCostNanoUsd)).toBe(expected.perNodeHour.get('gpu-b@10')! + expected.perNodeHour.get('gpu-b@11')!);
    expect(nodeA).toMatchObject({ observedHours: 2, busyHours: 1, idleHours: 1, unpricedHours: 0, idleCostNanoUsd: expected.perNodeHour.get('gpu-a@11')!.toString(), allocatedCostNanoUsd: expected.perNodeHour.get('gpu-a@10')!.toString() });
    expect(nodeB).toMatchObject({ observedHours: 2, busyHours: 1, idleHours: 1, idleCostNanoUsd: expected.perNodeHour.get('gpu-b@10')!.toString() });
    expect(nodeA.hourlyCostNanoUsd).toBe('5000000000');
    expect(BigInt(nodeA.hourlyCostNanoUsd) + BigInt(nodeA.energyCostNanoUsd)).toBe(BigInt(nodeA.totalCostNanoUsd));
    const allocatedA = onPremCost.models.filter((row) => row.node === 'gpu-a').reduce((sum, row) => sum + BigInt(row.allocatedCostNanoUsd), 0n);
    expect(allocatedA).toBe(BigInt(nodeA.allocatedCostNanoUsd));
    expect(BigInt(onPremCost.idleCostNanoUsd)).toBe(expected.idle.get('gpu-a')! + expected.idle.get('gpu-b')!);
    expect(BigInt(onPremCost.totalCostNanoUsd)).toBe([...expected.perNodeHour.values()].reduce((sum, cost) => sum + cost, 0n));

    // Next to the hosted price: gpt-4o-mini is $0.15/M in, $0.60/M out in the default catalog.
    const servedInput = events.filter((item) => item.node === 'gpu-a' || item.node === 'gpu-b').reduce((sum, item) => sum + item.inputTokens, 0);
    const servedOutput = events.filter((item) => item.node === 'gpu-a' || item.node === 'gpu-b').reduce((sum, item) => sum + item.outputTokens, 0);
    expect(onPremCost.hostedComparison).toEqual([
      { model: 'gpt-4o-mini', priced: true, usdPerMillionInputTokensExact: '0.150000000', usdPerMillionOutputTokensExact: '0.600000000', costOfServedTokensNanoUsd: String(servedInput * 150 + servedOutput * 600) },
      { model: 'no-such-model', priced: false, usdPerMillionInputTokensExact: null, usdPerMillionOutputTokensExact: null, costOfServedTokensNanoUsd: null },
    ]);
  });

  it('takes the output-token weight as an argument and states it in the answer', async () => {
    const { onPremCost } = await graphqlData<CostAnswer>(testApp, costQuery, { outputTokenWeight: 1 });
    const expected = expectedCost(samples, 1n);
    expect(onPremCost.outputTokenWeight).toBe(1);
    for (const row of onPremCost.models) expect(row.inputCostNanoUsd).toBe(expected.models.get(`${row.node}/${row.model}`)!.input.toString());
    expect(onPremCost.hostedComparison.length).toBeGreaterThan(3);
    const bad = await testApp.graphql(costQuery, { outputTokenWeight: 0 });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('says "ClickHouse is down" as an error, never as an empty answer', async () => {
    await testApp.engines.clickhouse.close();
    const fleet = await testApp.graphql(`{ gpuFleet(at: "${day}T12:00:00Z") { gpus } }`);
    expect(fleet.data).toBeNull();
    expect(fleet.errors?.[0].extensions?.code).toBe('STORE_UNAVAILABLE');
    const cost = await testApp.graphql(costQuery, {});
    expect(cost.errors?.length).toBeGreaterThan(0);
  });
});

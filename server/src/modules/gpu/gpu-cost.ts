/**
 * GPU cost per token, exactly. All money is integer nano-USD (bigint); measured power enters as integer milliwatt
 * sums, so the only roundings are the ones named here, each half-up, and allocations always add up to the cost
 * they divide.
 *
 *   node-hour cost = hourly cost + energy
 *   energy         = Σ over the node's whole GPUs of (mean draw in that hour, W) × 1 h / 1000 × USD/kWh × overhead
 *                    (a GPU's mean is taken over the samples it sent that hour; an hour without samples has no energy)
 *   weight(model)  = input tokens × inputWeight + output tokens × outputWeight   (in that node-hour)
 *   cost(model)    = node-hour cost × weight(model) / Σ weights, by largest remainder
 *   input share    = cost(model) × input tokens × inputWeight / weight(model), rounded half-up; output: the rest
 *
 * A node-hour is counted when the node sent GPU samples or served requests in it. One with no weighted tokens is
 * idle: its whole cost is idle cost, reported apart and never spread over the tokens of other hours.
 *
 * Rates keep their history: each node-hour is costed with the node's rate version in force for that hour. Rates are
 * per whole hour, so a version applies from the start of the hour in which it takes effect (a change at 10:30
 * prices the 10:00 hour; of two changes within one hour, the later). A node-hour before the node's first version
 * has no known cost: it is counted as unpriced, and neither its cost nor its tokens enter any figure.
 */
import { divideRoundingHalfUp } from '../../engine/money/exact-decimal';

export interface NodeRates {
  hourlyCostNanoUsd: bigint;
  /** Nano-USD per kWh. */
  energyPriceNanoUsdPerKwh: bigint;
  /** Overhead factor × 1000 (PUE 1.2 → 1200). */
  powerOverheadMilli: bigint;
}

/** One rate version of a node, from the start of the hour it takes effect in. */
export interface NodeRateVersionInHours {
  fromHourMs: number;
  rates: NodeRates;
}

export interface GpuHourPower {
  hourMs: number;
  node: string;
  gpuUuid: string;
  milliwattsSum: bigint;
  samples: bigint;
}

/** Tokens of one allocation unit in one node-hour: per model, and per team, provider and user where known. */
export interface ModelHourTokens {
  hourMs: number;
  node: string;
  model: string;
  team?: string;
  provider?: string;
  user?: string;
  requests: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
}

export interface TokenWeights {
  /** Weights × 1000, so 1 and 4 are 1000n and 4000n. */
  inputMilli: bigint;
  outputMilli: bigint;
}

export interface NodeModelCost {
  node: string;
  model: string;
  requests: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  busyHours: number;
  allocatedNanoUsd: bigint;
  inputCostNanoUsd: bigint;
  outputCostNanoUsd: bigint;
}

export interface NodeCostTotals {
  node: string;
  observedHours: number;
  busyHours: number;
  idleHours: number;
  /** Observed hours before the node's first rate version: cost unknown, left out of every figure. */
  unpricedHours: number;
  hourlyCostNanoUsd: bigint;
  energyCostNanoUsd: bigint;
  /** Σ over hours and GPUs of mean draw × 1 h, in kWh, before overhead. For display only: money uses exact sums. */
  energyKwh: number;
  totalCostNanoUsd: bigint;
  allocatedCostNanoUsd: bigint;
  idleCostNanoUsd: bigint;
}

export interface OnPremCostResult {
  nodes: NodeCostTotals[];
  models: NodeModelCost[];
  /** Nodes that served tokens but are not registered: their cost is unknown, not zero. */
  unregisteredNodes: string[];
}

function gcd(first: bigint, second: bigint): bigint {
  let a = first < 0n ? -first : first;
  let b = second < 0n ? -second : second;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Energy cost of one node-hour, rounded once: Σ_g (mW_g / n_g) × price/kWh × overhead / (10^6 mW per kW × 1000). */
export function energyCostNanoUsd(gpus: Array<{ milliwattsSum: bigint; samples: bigint }>, rates: NodeRates): bigint {
  // Σ mW_g / n_g as one exact fraction.
  let numerator = 0n;
  let denominator = 1n;
  for (const gpu of gpus) {
    if (gpu.samples === 0n) continue;
    numerator = numerator * gpu.samples + gpu.milliwattsSum * denominator;
    denominator *= gpu.samples;
    const divisor = gcd(numerator, denominator) || 1n;
    numerator /= divisor;
    denominator /= divisor;
  }
  return divideRoundingHalfUp(numerator * rates.energyPriceNanoUsdPerKwh * rates.powerOverheadMilli, denominator * 1_000_000n * 1000n);
}

/** Splits `total` over `weights` in proportion, by largest remainder (ties: earlier index), so the parts sum to total. */
export function allocateByWeight(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const parts = weights.map((weight) => (total * weight) / sum);
  const remainders = weights.map((weight, index) => ({ index, remainder: (total * weight) % sum }));
  let left = total - parts.reduce((acc, part) => acc + part, 0n);
  remainders.sort((first, second) => (second.remainder > first.remainder ? 1 : second.remainder < first.remainder ? -1 : first.index - second.index));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] += 1n;
    left -= 1n;
  }
  return parts;
}

/** The version in force for the hour starting at `hourMs`: the last one from that hour or before; null if none. */
export function ratesForHour(versions: readonly NodeRateVersionInHours[], hourMs: number): NodeRates | null {
  let found: NodeRates | null = null;
  for (const version of versions) {
    if (version.fromHourMs > hourMs) break;
    found = version.rates;
  }
  return found;
}

/** One node-hour's cost, costed with the node's rates in force for that hour. */
export interface NodeHourCost {
  hourMs: number;
  node: string;
  hourlyCostNanoUsd: bigint;
  energyCostNanoUsd: bigint;
  energyKwh: number;
  costNanoUsd: bigint;
  /** No weighted tokens that hour: the whole cost is idle cost, never spread over other hours' tokens. */
  idle: boolean;
}

/** One allocation unit's share of its node-hour's cost (units: the rows the tokens came in, e.g. team × model × provider). */
export interface UnitShare<Unit extends ModelHourTokens = ModelHourTokens> {
  unit: Unit;
  weight: bigint;
  shareNanoUsd: bigint;
  inputShareNanoUsd: bigint;
  outputShareNanoUsd: bigint;
}

export interface OnPremAllocation<Unit extends ModelHourTokens = ModelHourTokens> {
  /** Priced node-hours, busy and idle, ordered by node then hour. */
  nodeHours: NodeHourCost[];
  /** Observed node-hours before the node's first rate version, per node: cost unknown, left out. */
  unpricedHours: Map<string, number>;
  /** Per priced busy node-hour, every unit served in it with its share; shares add up exactly to the hour's cost. */
  shares: Array<UnitShare<Unit>>;
  unregisteredNodes: string[];
}

const byteOrder = (first: string, second: string) => (first < second ? -1 : first > second ? 1 : 0);

/** Units of one node-hour in a fixed order (byte order, as ClickHouse sorts), so largest-remainder ties go one way. */
function compareUnits(first: ModelHourTokens, second: ModelHourTokens): number {
  return (
    byteOrder(first.model, second.model) ||
    byteOrder(first.team ?? '', second.team ?? '') ||
    byteOrder(first.provider ?? '', second.provider ?? '') ||
    byteOrder(first.user ?? '', second.user ?? '')
  );
}

/** Weighted tokens served by a node in one hour (0: requests without tokens: the hour is idle). */
export interface NodeHourWeight {
  hourMs: number;
  node: string;
  weight: bigint;
}

/**
 * Every observed node-hour of the registered nodes (GPU samples or requests in it) with its cost: hourly rate +
 * energy, with the rates in force for that hour; busy when it served weighted tokens, else idle. Hours before a
 * node's first rate version are counted per node as unpriced.
 */
export function costNodeHours(
  rates: Map<string, readonly NodeRateVersionInHours[]>,
  power: GpuHourPower[],
  weights: NodeHourWeight[],
): { nodeHours: NodeHourCost[]; unpricedHours: Map<string, number> } {
  const keyOf = (node: string, hourMs: number) => `${node}\u0000${hourMs}`;
  const powerByNodeHour = new Map<string, GpuHourPower[]>();
  for (const row of power) {
    if (!rates.has(row.node)) continue;
    const key = keyOf(row.node, row.hourMs);
    let list = powerByNodeHour.get(key);
    if (!list) powerByNodeHour.set(key, (list = []));
    list.push(row);
  }
  const weightByNodeHour = new Map<string, bigint>();
  for (const row of weights) {
    if (!rates.has(row.node)) continue;
    const key = keyOf(row.node, row.hourMs);
    weightByNodeHour.set(key, (weightByNodeHour.get(key) ?? 0n) + row.weight);
  }
  const keys = [...new Set([...powerByNodeHour.keys(), ...weightByNodeHour.keys()])].map((key) => {
    const separator = key.lastIndexOf('\u0000');
    return { key, node: key.slice(0, separator), hourMs: Number(key.slice(separator + 1)) };
  });
  keys.sort((first, second) => byteOrder(first.node, second.node) || first.hourMs - second.hourMs);
  const nodeHours: NodeHourCost[] = [];
  const unpricedHours = new Map<string, number>();
  for (const { key, node, hourMs } of keys) {
    const nodeRates = ratesForHour(rates.get(node)!, hourMs);
    if (!nodeRates) {
      unpricedHours.set(node, (unpricedHours.get(node) ?? 0) + 1);
      continue;
    }
    const gpus = powerByNodeHour.get(key) ?? [];
    const energy = energyCostNanoUsd(gpus, nodeRates);
    nodeHours.push({
      hourMs,
      node,
      hourlyCostNanoUsd: nodeRates.hourlyCostNanoUsd,
      energyCostNanoUsd: energy,
      energyKwh: gpus.reduce((sum, gpu) => sum + (gpu.samples === 0n ? 0 : Number(gpu.milliwattsSum) / Number(gpu.samples) / 1e6), 0),
      costNanoUsd: nodeRates.hourlyCostNanoUsd + energy,
      idle: (weightByNodeHour.get(key) ?? 0n) === 0n,
    });
  }
  return { nodeHours, unpricedHours };
}

/**
 * The allocation of GPU cost to requests, in memory: the reference the ClickHouse query (UsageRepository.allocate,
 * which the On-prem page and all-in spend both sum) is tested against, unit for unit. Per node-hour: cost = hourly cost + energy; each unit served
 * gets cost × weight(unit) / Σ weights by largest remainder (the shares add up to the cost exactly); its input part
 * is share × input weight / weight, half-up, and the output part the rest.
 */
export function allocateOnPremCost<Unit extends ModelHourTokens>(
  rates: Map<string, readonly NodeRateVersionInHours[]>,
  power: GpuHourPower[],
  tokens: Unit[],
  weights: TokenWeights,
): OnPremAllocation<Unit> {
  const unregistered = new Set<string>();
  const tokensByNodeHour = new Map<string, Unit[]>();
  const keyOf = (node: string, hourMs: number) => `${node}\u0000${hourMs}`;
  const weightOf = (row: ModelHourTokens) => row.inputTokens * weights.inputMilli + row.outputTokens * weights.outputMilli;
  for (const row of tokens) {
    if (!rates.has(row.node)) {
      if (row.inputTokens + row.outputTokens > 0n) unregistered.add(row.node);
      continue;
    }
    const key = keyOf(row.node, row.hourMs);
    let list = tokensByNodeHour.get(key);
    if (!list) tokensByNodeHour.set(key, (list = []));
    list.push(row);
  }
  const { nodeHours, unpricedHours } = costNodeHours(rates, power, tokens.map((row) => ({ hourMs: row.hourMs, node: row.node, weight: weightOf(row) })));
  const shares: Array<UnitShare<Unit>> = [];
  for (const nodeHour of nodeHours) {
    if (nodeHour.idle) continue;
    const served = (tokensByNodeHour.get(keyOf(nodeHour.node, nodeHour.hourMs)) ?? []).slice().sort(compareUnits);
    const unitWeights = served.map(weightOf);
    const parts = allocateByWeight(nodeHour.costNanoUsd, unitWeights);
    served.forEach((unit, index) => {
      const weight = unitWeights[index];
      const share = parts[index];
      const inputShare = weight === 0n ? 0n : divideRoundingHalfUp(share * unit.inputTokens * weights.inputMilli, weight);
      shares.push({ unit, weight, shareNanoUsd: share, inputShareNanoUsd: inputShare, outputShareNanoUsd: share - inputShare });
    });
  }
  return { nodeHours, unpricedHours, shares, unregisteredNodes: [...unregistered].sort() };
}

/** `rates`: per registered node, its rate versions ordered by when they take effect (see the header). */
export function computeOnPremCost(
  rates: Map<string, readonly NodeRateVersionInHours[]>,
  power: GpuHourPower[],
  tokens: ModelHourTokens[],
  weights: TokenWeights,
): OnPremCostResult {
  return summarizeOnPremCost(allocateOnPremCost(rates, power, tokens, weights));
}

/** The On-prem page's per-node figures, from the costed node-hours. */
export function summarizeNodeHours(nodeHours: readonly NodeHourCost[], unpricedHours: ReadonlyMap<string, number>): NodeCostTotals[] {
  return summarizeOnPremCost({ nodeHours: [...nodeHours], unpricedHours: new Map(unpricedHours), shares: [], unregisteredNodes: [] }).nodes;
}

/** The On-prem page's figures: the allocation summed per node and per node × model. */
export function summarizeOnPremCost(allocation: OnPremAllocation): OnPremCostResult {
  const totals = new Map<string, NodeCostTotals>();
  const totalOf = (node: string): NodeCostTotals => {
    let total = totals.get(node);
    if (!total) {
      total = {
        node, observedHours: 0, busyHours: 0, idleHours: 0, unpricedHours: 0, hourlyCostNanoUsd: 0n, energyCostNanoUsd: 0n, energyKwh: 0,
        totalCostNanoUsd: 0n, allocatedCostNanoUsd: 0n, idleCostNanoUsd: 0n,
      };
      totals.set(node, total);
    }
    return total;
  };
  for (const [node, hours] of allocation.unpricedHours) {
    const total = totalOf(node);
    total.observedHours += hours;
    total.unpricedHours += hours;
  }
  for (const hour of allocation.nodeHours) {
    const total = totalOf(hour.node);
    total.observedHours += 1;
    total.hourlyCostNanoUsd += hour.hourlyCostNanoUsd;
    total.energyCostNanoUsd += hour.energyCostNanoUsd;
    total.energyKwh += hour.energyKwh;
    total.totalCostNanoUsd += hour.costNanoUsd;
    if (hour.idle) {
      total.idleHours += 1;
      total.idleCostNanoUsd += hour.costNanoUsd;
    } else {
      total.busyHours += 1;
      total.allocatedCostNanoUsd += hour.costNanoUsd;
    }
  }
  const models = new Map<string, NodeModelCost & { hours: Set<number> }>();
  for (const { unit, shareNanoUsd, inputShareNanoUsd, outputShareNanoUsd } of allocation.shares) {
    const modelKey = `${unit.node}\u0000${unit.model}`;
    let cost = models.get(modelKey);
    if (!cost) {
      cost = { node: unit.node, model: unit.model, requests: 0n, inputTokens: 0n, outputTokens: 0n, busyHours: 0, allocatedNanoUsd: 0n, inputCostNanoUsd: 0n, outputCostNanoUsd: 0n, hours: new Set() };
      models.set(modelKey, cost);
    }
    cost.requests += unit.requests;
    cost.inputTokens += unit.inputTokens;
    cost.outputTokens += unit.outputTokens;
    cost.hours.add(unit.hourMs);
    cost.allocatedNanoUsd += shareNanoUsd;
    cost.inputCostNanoUsd += inputShareNanoUsd;
    cost.outputCostNanoUsd += outputShareNanoUsd;
  }
  return {
    nodes: [...totals.values()].sort((first, second) => first.node.localeCompare(second.node)),
    models: [...models.values()]
      .map(({ hours, ...cost }) => ({ ...cost, busyHours: hours.size }))
      .sort((first, second) => first.node.localeCompare(second.node) || first.model.localeCompare(second.model)),
    unregisteredNodes: allocation.unregisteredNodes,
  };
}

/** nano-USD for `tokens` tokens → nano-USD per million tokens, half-up; null when no tokens. */
export function perMillionNanoUsd(costNanoUsd: bigint, tokens: bigint): bigint | null {
  return tokens === 0n ? null : divideRoundingHalfUp(costNanoUsd * 1_000_000n, tokens);
}

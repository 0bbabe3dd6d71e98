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

export interface ModelHourTokens {
  hourMs: number;
  node: string;
  model: string;
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

function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
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
  return roundHalfUp(numerator * rates.energyPriceNanoUsdPerKwh * rates.powerOverheadMilli, denominator * 1_000_000n * 1000n);
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

/** `rates`: per registered node, its rate versions ordered by when they take effect (see the header). */
export function computeOnPremCost(
  rates: Map<string, readonly NodeRateVersionInHours[]>,
  power: GpuHourPower[],
  tokens: ModelHourTokens[],
  weights: TokenWeights,
): OnPremCostResult {
  const powerByNodeHour = new Map<string, GpuHourPower[]>();
  const tokensByNodeHour = new Map<string, ModelHourTokens[]>();
  const unregistered = new Set<string>();
  const keyOf = (node: string, hourMs: number) => `${node}\u0000${hourMs}`;
  for (const row of power) {
    if (!rates.has(row.node)) continue;
    const key = keyOf(row.node, row.hourMs);
    powerByNodeHour.set(key, [...(powerByNodeHour.get(key) ?? []), row]);
  }
  for (const row of tokens) {
    if (!rates.has(row.node)) {
      if (row.inputTokens + row.outputTokens > 0n) unregistered.add(row.node);
      continue;
    }
    const key = keyOf(row.node, row.hourMs);
    tokensByNodeHour.set(key, [...(tokensByNodeHour.get(key) ?? []), row]);
  }

  const totals = new Map<string, NodeCostTotals>();
  const models = new Map<string, NodeModelCost>();
  const nodeHours = new Set([...powerByNodeHour.keys(), ...tokensByNodeHour.keys()]);
  for (const key of [...nodeHours].sort()) {
    const [node, hour] = key.split('\u0000');
    let total = totals.get(node);
    if (!total) {
      total = {
        node, observedHours: 0, busyHours: 0, idleHours: 0, unpricedHours: 0, hourlyCostNanoUsd: 0n, energyCostNanoUsd: 0n, energyKwh: 0,
        totalCostNanoUsd: 0n, allocatedCostNanoUsd: 0n, idleCostNanoUsd: 0n,
      };
      totals.set(node, total);
    }
    total.observedHours += 1;
    const nodeRates = ratesForHour(rates.get(node)!, Number(hour));
    if (!nodeRates) {
      total.unpricedHours += 1;
      continue;
    }
    const gpus = powerByNodeHour.get(key) ?? [];
    const energy = energyCostNanoUsd(gpus, nodeRates);
    const hourCost = nodeRates.hourlyCostNanoUsd + energy;
    total.hourlyCostNanoUsd += nodeRates.hourlyCostNanoUsd;
    total.energyCostNanoUsd += energy;
    total.energyKwh += gpus.reduce((sum, gpu) => sum + (gpu.samples === 0n ? 0 : Number(gpu.milliwattsSum) / Number(gpu.samples) / 1e6), 0);
    total.totalCostNanoUsd += hourCost;

    const served = (tokensByNodeHour.get(key) ?? []).slice().sort((first, second) => first.model.localeCompare(second.model));
    const modelWeights = served.map((row) => row.inputTokens * weights.inputMilli + row.outputTokens * weights.outputMilli);
    if (modelWeights.every((weight) => weight === 0n)) {
      total.idleHours += 1;
      total.idleCostNanoUsd += hourCost;
      continue;
    }
    total.busyHours += 1;
    total.allocatedCostNanoUsd += hourCost;
    const shares = allocateByWeight(hourCost, modelWeights);
    served.forEach((row, index) => {
      const modelKey = `${node}\u0000${row.model}`;
      let cost = models.get(modelKey);
      if (!cost) {
        cost = { node, model: row.model, requests: 0n, inputTokens: 0n, outputTokens: 0n, busyHours: 0, allocatedNanoUsd: 0n, inputCostNanoUsd: 0n, outputCostNanoUsd: 0n };
        models.set(modelKey, cost);
      }
      const share = shares[index];
      const inputShare = modelWeights[index] === 0n ? 0n : roundHalfUp(share * row.inputTokens * weights.inputMilli, modelWeights[index]);
      cost.requests += row.requests;
      cost.inputTokens += row.inputTokens;
      cost.outputTokens += row.outputTokens;
      cost.busyHours += 1;
      cost.allocatedNanoUsd += share;
      cost.inputCostNanoUsd += inputShare;
      cost.outputCostNanoUsd += share - inputShare;
    });
  }
  return {
    nodes: [...totals.values()].sort((first, second) => first.node.localeCompare(second.node)),
    models: [...models.values()].sort((first, second) => first.node.localeCompare(second.node) || first.model.localeCompare(second.model)),
    unregisteredNodes: [...unregistered].sort(),
  };
}

/** nano-USD for `tokens` tokens → nano-USD per million tokens, half-up; null when no tokens. */
export function perMillionNanoUsd(costNanoUsd: bigint, tokens: bigint): bigint | null {
  return tokens === 0n ? null : roundHalfUp(costNanoUsd * 1_000_000n, tokens);
}

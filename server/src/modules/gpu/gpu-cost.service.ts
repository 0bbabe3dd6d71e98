import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { NodeService, type NodeRateHistory } from '../nodes/nodes.service';
import { costNanoUsd } from '../pricing/catalog/cost-calculator';
import { formatNanoUsd, nanoUsdFromDecimal, parseExactDecimal, shiftDecimal, roundDecimal } from '../../engine/money/exact-decimal';
import { PricingService } from '../pricing/pricing.service';
import { UsageService } from '../usage/usage.service';
import { canonicalDecimal } from '../../engine/graphql/decimal.scalar';
import { maxNodeHoursPerQuery, type AllocatedRecord, type AllocationDimension, type AllocationFilter, type PricedNodes } from '../usage/usage.repository';
import { costNodeHours, perMillionNanoUsd, summarizeNodeHours, type NodeHourCost, type NodeRateVersionInHours, type TokenWeights } from './gpu-cost';

const byteOrder = (first: string, second: string) => (first < second ? -1 : first > second ? 1 : 0);
import { GpuRepository } from './gpu.repository';
import type { HostedModelPriceModel, OnPremCostModel } from './models/on-prem-cost.model';

/** Hosted models shown next to the on-prem figure when the caller names none: small and mid-size API models. */
export const defaultHostedComparison = ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5-mini', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'mistral-small-latest'];

/** The On-prem page's default weights (an output token costs about four input tokens of GPU time). */
export const defaultTokenWeights: TokenWeights = { inputMilli: 1000n, outputMilli: 4000n };

/** The costed node-hours every view of GPU cost divides, and which nodes are priced from when. */
export interface NodeCostAllocation {
  start: Date;
  end: Date;
  nodeHours: NodeHourCost[];
  unpricedHours: Map<string, number>;
  unregisteredNodes: string[];
  pricedNodes: PricedNodes;
  /** Per registered node, the team that carries its idle hours (null: the node keeps them). */
  ownerTeams: Map<string, string | null>;
  weights: TokenWeights;
}

const hourMs = 3600_000;
const dayMs = 24 * hourMs;
const maxRangeDays = 400;

// Money leaves as exact decimal strings (GraphQL Decimal), never as a float.
const nanoToUsd = (nano: bigint) => formatNanoUsd(nano);
const floorToHour = (time: Date) => Math.floor(time.getTime() / hourMs) * hourMs;

@Injectable()
export class GpuCostService {
  constructor(
    private readonly repository: GpuRepository,
    private readonly nodes: NodeService,
    private readonly usage: UsageService,
    private readonly pricing: PricingService,
  ) {}

  async onPremCost(from: Date, to: Date, inputTokenWeight: number, outputTokenWeight: number, compareWith: string[] = defaultHostedComparison): Promise<OnPremCostModel> {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || !(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be a date before "to"');
    if (to.getTime() - from.getTime() > maxRangeDays * dayMs) throw new DomainError(ErrorCode.Validation, `The range may span at most ${maxRangeDays} days`);
    for (const [field, weight] of [['inputTokenWeight', inputTokenWeight], ['outputTokenWeight', outputTokenWeight]] as const) {
      if (!(weight > 0 && weight <= 1000)) throw new DomainError(ErrorCode.Validation, `${field} must be above 0 and at most 1000`);
      // The allocation works in thousandths of a weight; a finer weight would be rounded silently, so it is refused.
      if (Math.abs(weight * 1000 - Math.round(weight * 1000)) > 1e-6) throw new DomainError(ErrorCode.Validation, `${field} may have at most 3 decimals`);
    }
    if (compareWith.length > 50) throw new DomainError(ErrorCode.Validation, 'compareWith: at most 50 models');
    const start = new Date(Math.floor(from.getTime() / hourMs) * hourMs);
    const end = new Date(Math.ceil(to.getTime() / hourMs) * hourMs);
    const weights = { inputMilli: BigInt(Math.round(inputTokenWeight * 1000)), outputMilli: BigInt(Math.round(outputTokenWeight * 1000)) };

    const allocation = await this.allocation(start, end, weights);
    const modelRecords = await this.allocated(allocation, ['node', 'model'], {});
    const result = {
      nodes: summarizeNodeHours(allocation.nodeHours, allocation.unpricedHours),
      models: modelRecords
        .map((record) => {
          const allocatedNanoUsd = BigInt(record.share_nano_usd);
          const inputCostNanoUsd = BigInt(record.input_share_nano_usd);
          return {
            node: record.node!, model: record.model!, requests: BigInt(record.requests), inputTokens: BigInt(record.input_tokens), outputTokens: BigInt(record.output_tokens),
            busyHours: Number(record.busy_hours), allocatedNanoUsd, inputCostNanoUsd, outputCostNanoUsd: allocatedNanoUsd - inputCostNanoUsd,
          };
        })
        .sort((first, second) => byteOrder(first.node, second.node) || byteOrder(first.model, second.model)),
      unregisteredNodes: allocation.unregisteredNodes,
    };

    let servedInput = 0n;
    let servedOutput = 0n;
    const models = result.models.map((cost) => {
      servedInput += cost.inputTokens;
      servedOutput += cost.outputTokens;
      const perMillionInput = perMillionNanoUsd(cost.inputCostNanoUsd, cost.inputTokens);
      const perMillionOutput = perMillionNanoUsd(cost.outputCostNanoUsd, cost.outputTokens);
      return {
        node: cost.node,
        model: cost.model,
        requests: Number(cost.requests),
        inputTokens: Number(cost.inputTokens),
        outputTokens: Number(cost.outputTokens),
        busyHours: cost.busyHours,
        allocatedCostUsd: nanoToUsd(cost.allocatedNanoUsd),
        allocatedCostNanoUsd: cost.allocatedNanoUsd.toString(),
        inputCostNanoUsd: cost.inputCostNanoUsd.toString(),
        outputCostNanoUsd: cost.outputCostNanoUsd.toString(),
        usdPerMillionInputTokens: perMillionInput === null ? null : nanoToUsd(perMillionInput),
        usdPerMillionInputTokensExact: perMillionInput === null ? null : formatNanoUsd(perMillionInput),
        usdPerMillionOutputTokens: perMillionOutput === null ? null : nanoToUsd(perMillionOutput),
        usdPerMillionOutputTokensExact: perMillionOutput === null ? null : formatNanoUsd(perMillionOutput),
      };
    });
    const nodes = result.nodes.map((total) => ({
      node: total.node,
      observedHours: total.observedHours,
      busyHours: total.busyHours,
      idleHours: total.idleHours,
      unpricedHours: total.unpricedHours,
      totalCostUsd: nanoToUsd(total.totalCostNanoUsd),
      totalCostNanoUsd: total.totalCostNanoUsd.toString(),
      hourlyCostNanoUsd: total.hourlyCostNanoUsd.toString(),
      energyCostNanoUsd: total.energyCostNanoUsd.toString(),
      energyKwh: total.energyKwh,
      allocatedCostUsd: nanoToUsd(total.allocatedCostNanoUsd),
      allocatedCostNanoUsd: total.allocatedCostNanoUsd.toString(),
      idleCostUsd: nanoToUsd(total.idleCostNanoUsd),
      idleCostNanoUsd: total.idleCostNanoUsd.toString(),
    }));
    const hostedComparison: HostedModelPriceModel[] = this.pricing.findCatalogPrices(compareWith, end).map(({ model, price }) => {
      if (!price) {
        return {
          model, priced: false, provider: null, usdPerMillionInputTokens: null, usdPerMillionInputTokensExact: null,
          usdPerMillionOutputTokens: null, usdPerMillionOutputTokensExact: null, costOfServedTokensUsd: null, costOfServedTokensNanoUsd: null,
        };
      }
      const served = costNanoUsd(price, { inputTokens: Number(servedInput), outputTokens: Number(servedOutput) });
      return {
        model,
        priced: true,
        provider: price.provider,
        usdPerMillionInputTokens: canonicalDecimal(price.inputPerMillionUsd),
        usdPerMillionInputTokensExact: price.inputPerMillionUsd,
        usdPerMillionOutputTokens: canonicalDecimal(price.outputPerMillionUsd),
        usdPerMillionOutputTokensExact: price.outputPerMillionUsd,
        costOfServedTokensUsd: nanoToUsd(served),
        costOfServedTokensNanoUsd: served.toString(),
      };
    });
    const totalCost = result.nodes.reduce((sum, total) => sum + total.totalCostNanoUsd, 0n);
    const idleCost = result.nodes.reduce((sum, total) => sum + total.idleCostNanoUsd, 0n);
    return {
      from: start,
      to: end,
      inputTokenWeight,
      outputTokenWeight,
      method:
        `Per node and hour, with the node's rates in force for that hour: hourly cost + measured energy (mean draw of each GPU that hour × 1 h / 1000 × USD per kWh × overhead). ` +
        `Busy hours are split over the models served that hour by weighted tokens (input × ${inputTokenWeight} + output × ${outputTokenWeight}), ` +
        `and each model's share over its input and output tokens the same way. Hours with no tokens are idle cost, reported apart; ` +
        `hours before a node's first rate version are unpriced and left out.`,
      models,
      nodes,
      hostedComparison,
      unregisteredNodes: result.unregisteredNodes,
      totalCostUsd: nanoToUsd(totalCost),
      totalCostNanoUsd: totalCost.toString(),
      idleCostUsd: nanoToUsd(idleCost),
      idleCostNanoUsd: idleCost.toString(),
    };
  }

  /**
   * Every observed node-hour of the registered nodes over whole hours [start, end) with its cost, busy or idle: what
   * the one allocation (allocated, below) divides. Also which nodes are priced from when, and their owner teams.
   */
  async allocation(start: Date, end: Date, weights: TokenWeights = defaultTokenWeights): Promise<NodeCostAllocation> {
    const registered = await this.nodes.rateHistories();
    const { rates, pricedNodes } = ratesOf(registered);
    const names = [...rates.keys()];
    const [powerRecords, nodeWeights, unregisteredNodes] = await Promise.all([
      names.length > 0 ? this.repository.hourlyPowerByNodeHour(start, end, names) : Promise.resolve([]),
      this.usage.nodeHourWeights(start, end, names, weights.inputMilli, weights.outputMilli),
      this.usage.unregisteredNodes(start, end, names),
    ]);
    // The GPU within the node-hour does not matter to its cost, only its own sum and count (the mean of its draw).
    const power = powerRecords.flatMap((record) =>
      record.sums.map((milliwatts, index) => ({
        hourMs: record.hour * 1000, node: record.node, gpuUuid: String(index), milliwattsSum: BigInt(milliwatts), samples: BigInt(record.counts[index]),
      })),
    );
    const { nodeHours, unpricedHours } = costNodeHours(rates, power, nodeWeights);
    return { start, end, nodeHours, unpricedHours, unregisteredNodes, pricedNodes, ownerTeams: new Map(registered.map((node) => [node.name, node.ownerTeam])), weights };
  }

  /**
   * THE allocation of the busy node-hours' costs to the requests served in them (UsageRepository.allocate, in
   * ClickHouse), summed by `groupBy`: the On-prem page sums it by node and model, all-in spend by team, day, …
   * A long range goes in slices of whole hours, which is exact: every share belongs to one node-hour.
   */
  async allocated(allocation: NodeCostAllocation, groupBy: AllocationDimension[], filter: AllocationFilter, now = new Date()): Promise<AllocatedRecord[]> {
    const busy = allocation.nodeHours.filter((nodeHour) => !nodeHour.idle).sort((first, second) => first.hourMs - second.hourMs);
    const openHour = new Date(floorToHour(now));
    const slices: NodeHourCost[][] = [];
    for (let index = 0; index < busy.length; ) {
      // Never split one hour over two slices, so each slice is a range of whole hours.
      let stop = Math.min(index + maxNodeHoursPerQuery, busy.length);
      while (stop < busy.length && stop > index + 1 && busy[stop].hourMs === busy[stop - 1].hourMs) stop -= 1;
      slices.push(busy.slice(index, stop));
      index = stop;
    }
    const merged = new Map<string, AllocatedRecord>();
    for (const slice of slices) {
      const costs = {
        nodes: slice.map((nodeHour) => nodeHour.node),
        hours: slice.map((nodeHour) => nodeHour.hourMs / 1000),
        costsNanoUsd: slice.map((nodeHour) => nodeHour.costNanoUsd),
        inputWeightMilli: allocation.weights.inputMilli,
        outputWeightMilli: allocation.weights.outputMilli,
      };
      const from = new Date(slice[0].hourMs);
      const to = new Date(slice[slice.length - 1].hourMs + hourMs);
      const records = await this.usage.allocate(from, to, costs, groupBy, filter, openHour);
      if (slices.length === 1) return records;
      for (const record of records) {
        const key = JSON.stringify(groupBy.map((dimension) => record[dimension]));
        const found = merged.get(key);
        if (!found) {
          merged.set(key, { ...record });
          continue;
        }
        for (const field of ['share_nano_usd', 'input_share_nano_usd', 'requests', 'input_tokens', 'output_tokens', 'busy_hours'] as const) {
          found[field] = (BigInt(found[field]) + BigInt(record[field])).toString();
        }
        found.estimated = Math.max(Number(found.estimated), Number(record.estimated));
      }
    }
    return [...merged.values()];
  }

  /** Registered nodes with at least one rate version, each from the hour of its first one. */
  async pricedNodes(): Promise<PricedNodes> {
    return ratesOf(await this.nodes.rateHistories()).pricedNodes;
  }
}

function ratesOf(registered: NodeRateHistory[]): { rates: Map<string, NodeRateVersionInHours[]>; pricedNodes: PricedNodes } {
  const rates = new Map<string, NodeRateVersionInHours[]>(
    registered.map((node) => [
      node.name,
      node.versions.map((version) => ({
        fromHourMs: floorToHour(version.effectiveFrom),
        rates: {
          hourlyCostNanoUsd: nanoUsdFromDecimal(version.hourlyCostUsd),
          energyPriceNanoUsdPerKwh: nanoUsdFromDecimal(version.energyPriceUsdPerKwh),
          powerOverheadMilli: milliOf(version.powerOverheadFactor),
        },
      })),
    ]),
  );
  const pricedNodes: PricedNodes = { names: [], fromHours: [] };
  for (const [name, versions] of rates) {
    if (versions.length === 0) continue;
    pricedNodes.names.push(name);
    pricedNodes.fromHours.push(new Date(Math.min(...versions.map((version) => version.fromHourMs))));
  }
  return { rates, pricedNodes };
}

function milliOf(decimal: string): bigint {
  const rounded = roundDecimal(shiftDecimal(parseExactDecimal(decimal), 3), 0);
  return rounded.units * 10n ** BigInt(rounded.scale);
}

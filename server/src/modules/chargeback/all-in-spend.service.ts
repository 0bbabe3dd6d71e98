import { Injectable } from '@nestjs/common';
import { dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { GpuCostService, type NodeCostAllocation } from '../gpu/gpu-cost.service';
import { SpendDimension, type SpendFilter, type SpendRowModel } from '../usage/models/spend.model';
import { UsageService } from '../usage/usage.service';
import type { AllocationDimension } from '../usage/usage.repository';
import { mergeAllInSpend, ownedIdlePieces, splitShares, type CostPiece } from './all-in-spend';

const hourMs = 3600_000;

/** What one all-in answer was built from, for callers that need more than the rows (chargeback, budgets). */
export interface AllInSpendAnswer {
  rows: SpendRowModel[];
  allocation: NodeCostAllocation;
}

/**
 * `spend` all in: hosted API cost from the request rows, plus the GPU cost of registered nodes allocated to the
 * requests they served (the same allocation the On-prem page sums), plus owner teams' idle lines.
 */
@Injectable()
export class AllInSpendService {
  constructor(
    private readonly usage: UsageService,
    private readonly gpuCost: GpuCostService,
  ) {}

  async spend(from: Date, to: Date, groupBy: SpendDimension[], filter: SpendFilter = {}, now = new Date()): Promise<SpendRowModel[]> {
    return (await this.spendWithAllocation(from, to, groupBy, filter, now)).rows;
  }

  async spendWithAllocation(from: Date, to: Date, groupBy: SpendDimension[], filter: SpendFilter = {}, now = new Date(), reuse?: NodeCostAllocation): Promise<AllInSpendAnswer> {
    const uniqueGroupBy = [...new Set(groupBy)];
    const start = new Date(Math.floor(from.getTime() / hourMs) * hourMs);
    const end = new Date(Math.ceil(to.getTime() / hourMs) * hourMs);
    // Hosted API rows and the allocation are independent once the priced nodes are known: both at once.
    const pricedNodes = reuse?.pricedNodes ?? (await this.gpuCost.pricedNodes());
    const [apiRows, { allocation, pieces }] = await Promise.all([
      this.usage.spend(from, to, uniqueGroupBy, filter, pricedNodes),
      (async () => {
        const costed = reuse ?? (await this.allocationFor(from, to));
        return { allocation: costed, pieces: await this.piecesFor(costed, from, to, start, end, uniqueGroupBy, filter, now) };
      })(),
    ]);
    const idle = ownedIdlePieces(allocation.nodeHours, allocation.ownerTeams, from, to, now);
    return { rows: mergeAllInSpend(apiRows, pieces, idle, uniqueGroupBy, filter), allocation };
  }

  /** The allocation over the whole hours around [from, to), checked first the way spend checks its range. */
  async allocationFor(from: Date, to: Date): Promise<NodeCostAllocation> {
    if (!(from < to)) {
      // Let spend's own validation speak (it names the arguments).
      await this.usage.spend(from, to, []);
    }
    const start = new Date(Math.floor(from.getTime() / hourMs) * hourMs);
    const end = new Date(Math.ceil(to.getTime() / hourMs) * hourMs);
    if (end.getTime() - start.getTime() > 401 * 24 * hourMs) await this.usage.spend(from, to, []);
    return this.gpuCost.allocation(start, end);
  }

  /** Registered nodes with a cost, from when: their requests are priced by allocation, never "without a price". */
  /** `teams`: the reader's team scope (null: every team). */
  async unpricedModels(from: Date, to: Date, teams: readonly string[] | null = null) {
    const allocation = await this.gpuCost.pricedNodes();
    return this.usage.unpricedModels(from, to, allocation, teams);
  }

  private async piecesFor(allocation: NodeCostAllocation, from: Date, to: Date, start: Date, end: Date, groupBy: SpendDimension[], filter: SpendFilter, now: Date): Promise<CostPiece[]> {
    const byUser = groupBy.includes(SpendDimension.USER) || Boolean(filter.user);
    const onWholeHours = start.getTime() === from.getTime() && end.getTime() === to.getTime();
    if (!byUser && onWholeHours) {
      // Summed in ClickHouse by the asked dimensions; the filter applies after the split, never to the weights.
      const dimensions = groupBy.map((dimension) => allocationDimensionOf[dimension as Exclude<SpendDimension, SpendDimension.USER>]);
      const records = await this.gpuCost.allocated(allocation, dimensions, { team: filter.team, model: filter.model, provider: filter.provider, node: filter.node }, now);
      return records.map((record) => ({
        hourMs: record.hour !== undefined ? Number(record.hour) * 1000 : record.day !== undefined ? Number(record.day) * 1000 : 0,
        node: record.node ?? filter.node ?? '',
        team: record.team ?? filter.team ?? '',
        model: record.model ?? filter.model ?? '',
        provider: record.provider ?? filter.provider ?? '',
        user: '',
        costNanoUsd: BigInt(record.share_nano_usd),
        estimated: Number(record.estimated) === 1,
      }));
    }
    // By user, or a range not on whole hours: each unit's share, split over its requests' users and range.
    const records = await this.gpuCost.allocated(allocation, ['hour', 'node', 'team', 'model', 'provider'], {}, now);
    if (records.length === 0) return [];
    const shares = records.map((record) => ({
      unit: {
        hourMs: Number(record.hour) * 1000, node: record.node!, team: record.team!, model: record.model!, provider: record.provider!,
        requests: BigInt(record.requests), inputTokens: BigInt(record.input_tokens), outputTokens: BigInt(record.output_tokens),
      },
      weight: 0n,
      shareNanoUsd: BigInt(record.share_nano_usd),
      inputShareNanoUsd: BigInt(record.input_share_nano_usd),
      outputShareNanoUsd: BigInt(record.share_nano_usd) - BigInt(record.input_share_nano_usd),
    }));
    const nodes = [...new Set(shares.map((share) => share.unit.node))];
    const subRecords = await this.usage.allocationSubUnits(start, end, nodes, byUser, from, to);
    const subUnits = subRecords.map((record) => ({
      hourMs: dateFromClickhouseTime(record.hour).getTime(),
      node: record.node,
      team: record.team,
      model: record.model,
      provider: record.provider,
      user: record.user ?? '',
      inRange: Number(record.in_range) === 1,
      inputTokens: BigInt(record.input_tokens),
      outputTokens: BigInt(record.output_tokens),
    }));
    return splitShares(shares, subUnits, allocation.weights, now);
  }
}

const allocationDimensionOf: Record<Exclude<SpendDimension, SpendDimension.USER>, AllocationDimension> = {
  [SpendDimension.TEAM]: 'team',
  [SpendDimension.MODEL]: 'model',
  [SpendDimension.PROVIDER]: 'provider',
  [SpendDimension.NODE]: 'node',
  [SpendDimension.DAY]: 'day',
  [SpendDimension.HOUR]: 'hour',
};

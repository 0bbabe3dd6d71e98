import { Injectable } from '@nestjs/common';
import { dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { GpuCostService, type NodeCostAllocation } from '../gpu/gpu-cost.service';
import { SpendDimension, type SpendFilter, type SpendRowModel } from '../usage/models/spend.model';
import { UsageService } from '../usage/usage.service';
import { mergeAllInSpend, ownedIdlePieces, piecesOfShares, splitShares, type CostPiece } from './all-in-spend';

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
    // The API rows first: they validate the range and name a bad argument before any GPU cost is computed.
    const start = new Date(Math.floor(from.getTime() / hourMs) * hourMs);
    const end = new Date(Math.ceil(to.getTime() / hourMs) * hourMs);
    const allocation = reuse ?? (await this.allocationFor(from, to));
    const apiRows = await this.usage.spend(from, to, uniqueGroupBy, filter, allocation.pricedNodes);
    const pieces = await this.piecesFor(allocation, from, to, start, end, uniqueGroupBy.includes(SpendDimension.USER) || Boolean(filter.user), now);
    const idle = ownedIdlePieces(allocation.allocation.nodeHours, allocation.ownerTeams, from, to, now);
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
  async unpricedModels(from: Date, to: Date) {
    const allocation = await this.gpuCost.pricedNodes();
    return this.usage.unpricedModels(from, to, allocation);
  }

  private async piecesFor(allocation: NodeCostAllocation, from: Date, to: Date, start: Date, end: Date, byUser: boolean, now: Date): Promise<CostPiece[]> {
    const shares = allocation.allocation.shares;
    const onWholeHours = start.getTime() === from.getTime() && end.getTime() === to.getTime();
    if (!byUser && onWholeHours) return piecesOfShares(shares, now);
    if (shares.length === 0) return [];
    const nodes = [...new Set(shares.map((share) => share.unit.node))];
    const records = await this.usage.allocationSubUnits(start, end, nodes, byUser, from, to);
    const subUnits = records.map((record) => ({
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

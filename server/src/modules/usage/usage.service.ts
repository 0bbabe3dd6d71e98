import { Injectable } from '@nestjs/common';
import { dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { formatNanoUsd } from '../../engine/money/exact-decimal';
import type { Paging } from '../../engine/graphql/list-arguments';
import { SpendDimension, type SpendFilter, type SpendRowModel } from './models/spend.model';
import type { RequestFilter, RequestModel } from './models/request.model';
import { UsageRepository, type AllocatedRecord, type AllocationDimension, type AllocationFilter, type AllocationUnitRecord, type NodeHourCosts, type PricedNodes, type SpendRecord, type StoredRequest } from './usage.repository';
import { mayPerform } from '../tenancy/access-rules';
import type { TeamScope } from '../tenancy/read-scope';
import type { Role } from '../tenancy/roles';

const hourMilliseconds = 3600_000;
const maxSpendRangeDays = 400;

@Injectable()
export class UsageService {
  constructor(private readonly repository: UsageRepository) {}

  /**
   * Spend over [from, to). Served from the hourly rollup when the range is on whole hours and no user is involved;
   * otherwise from the request rows, so an answer is always exact for the range asked.
   */
  async spend(from: Date, to: Date, groupBy: SpendDimension[], filter: SpendFilter = {}, pricedNodes?: PricedNodes): Promise<SpendRowModel[]> {
    if (!(from < to)) throw new DomainError(ErrorCode.Validation, '"from" must be before "to"');
    if (to.getTime() - from.getTime() > maxSpendRangeDays * 24 * hourMilliseconds) {
      throw new DomainError(ErrorCode.Validation, `The range may span at most ${maxSpendRangeDays} days`);
    }
    const uniqueGroupBy = [...new Set(groupBy)];
    const onWholeHours = from.getTime() % hourMilliseconds === 0 && to.getTime() % hourMilliseconds === 0;
    const fromRawRows = !onWholeHours || uniqueGroupBy.includes(SpendDimension.USER) || Boolean(filter.user);
    const records = await this.repository.spend({ from, to, groupBy: uniqueGroupBy, filter: { ...filter }, fromRawRows, pricedNodes });
    return records.filter((record) => uniqueGroupBy.length > 0 || Number(record.requests) > 0 || records.length === 1).map(toSpendRow);
  }

  /** Weighted tokens per node-hour of `nodes` over whole hours [from, to): busy or idle. */
  async nodeHourWeights(from: Date, to: Date, nodes: string[], inputWeightMilli: bigint, outputWeightMilli: bigint): Promise<Array<{ hourMs: number; node: string; weight: bigint }>> {
    const rows = await this.repository.nodeHourWeights(from, to, nodes, inputWeightMilli, outputWeightMilli);
    return rows.map((row) => ({ hourMs: Number(row.hour) * 1000, node: row.node, weight: BigInt(row.weight) }));
  }

  unregisteredNodes(from: Date, to: Date, registered: string[]): Promise<string[]> {
    return this.repository.unregisteredNodes(from, to, registered);
  }

  /** The allocation of the given busy node-hours' costs to their requests, summed by `groupBy` (see the repository). */
  allocate(from: Date, to: Date, costs: NodeHourCosts, groupBy: AllocationDimension[], filter: AllocationFilter, openHour: Date): Promise<AllocatedRecord[]> {
    return this.repository.allocate(from, to, costs, groupBy, filter, openHour);
  }

  /** The units split by user (when asked) and by lying in [rangeFrom, rangeTo), from the request rows. */
  allocationSubUnits(from: Date, to: Date, nodes: string[], byUser: boolean, rangeFrom: Date, rangeTo: Date): Promise<AllocationUnitRecord[]> {
    return this.repository.allocationSubUnits(from, to, nodes, byUser, rangeFrom, rangeTo);
  }

  async unpricedModels(from: Date, to: Date, pricedNodes?: PricedNodes, teams: TeamScope = null) {
    const rows = await this.repository.unpricedModels(from, to, pricedNodes, teams);
    return rows.map((row) => ({ model: row.model, provider: row.provider, requests: Number(row.requests) }));
  }

  /** `teams`: the reader's team scope (null: every team); rows of other teams are not read at all. */
  async listRequests(paging: Paging<string>, filter: RequestFilter = {}, viewer?: Role, teams: TeamScope = null): Promise<RequestModel[]> {
    const rows = await this.repository.listRequests({ ...paging, filter: { ...requestFilterOf(filter), teams } });
    return rows.map((row) => toRequestModel(row, canReadContent(viewer)));
  }

  countRequests(filter: RequestFilter = {}, teams: TeamScope = null): Promise<number> {
    return this.repository.countRequests({ ...requestFilterOf(filter), teams });
  }

  /** One request, its content per the viewer's role; `team` picks one where two teams used the same id. */
  async getRequest(id: string, viewer?: Role, team?: string, teams: TeamScope = null): Promise<RequestModel> {
    const row = await this.repository.findRequest(id, team, teams);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No request with id ${id}`);
    return toRequestModel(row, canReadContent(viewer));
  }
}

function requestFilterOf(filter: RequestFilter) {
  const { timestamp_gte, timestamp_lte, ...rest } = filter;
  return { ...rest, from: timestamp_gte, to: timestamp_lte };
}

function finiteOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

function toSpendRow(record: SpendRecord): SpendRowModel {
  const costNanoUsd = BigInt(record.cost_nano_usd);
  return {
    team: record.team ?? null,
    model: record.model ?? null,
    provider: record.provider ?? null,
    node: record.node ?? null,
    user: record.user ?? null,
    day: record.day ? new Date(record.day) : null,
    hour: record.hour ? new Date(record.hour) : null,
    requests: Number(record.requests),
    errors: Number(record.errors),
    inputTokens: Number(record.input_tokens),
    outputTokens: Number(record.output_tokens),
    cachedInputTokens: Number(record.cached_input_tokens),
    costUsd: Number(costNanoUsd) / 1e9,
    costNanoUsd: costNanoUsd.toString(),
    unpricedRequests: Number(record.unpriced_requests),
    // API-only until all-in spend (chargeback) adds the allocated GPU cost.
    onPremCostUsd: '0',
    onPremCostNanoUsd: '0',
    totalCostUsd: formatNanoUsd(costNanoUsd),
    totalCostNanoUsd: costNanoUsd.toString(),
    estimated: false,
    idle: false,
    latencyP50Ms: finiteOrNull(record.latency_quantiles?.[0]),
    latencyP95Ms: finiteOrNull(record.latency_quantiles?.[1]),
  };
}

/** Prompts and completions are compliance data: the access table's content.read roles; no viewer reads nothing. */
function canReadContent(viewer: Role | undefined): boolean {
  return mayPerform(viewer, 'content.read');
}

function toRequestModel(row: StoredRequest, contentVisible: boolean): RequestModel {
  return {
    id: row.id,
    timestamp: dateFromClickhouseTime(row.timestamp),
    team: row.team,
    user: row.user,
    provider: row.provider,
    node: row.node,
    model: row.model,
    operation: row.operation,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    latencyMs: Number(row.latency_ms),
    ttftMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    status: row.status,
    errorType: row.error_type,
    costUsd: row.cost_nano_usd === null ? null : Number(row.cost_nano_usd) / 1e9,
    costNanoUsd: row.cost_nano_usd,
    costSource: row.cost_source,
    priceKnown: row.cost_nano_usd !== null,
    prompt: contentVisible ? row.prompt : '',
    completion: contentVisible ? row.completion : '',
    contentVisible,
    metadata: Object.entries(row.metadata ?? {}).map(([key, value]) => ({ key, value })),
    decisionId: row.decision_id ?? '',
    location: row.location ?? '',
    piiAction: row.pii_action ?? '',
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { SpendDimension } from './models/spend.model';

export interface SpendQuery {
  from: Date;
  to: Date;
  groupBy: SpendDimension[];
  filter: Partial<Record<'team' | 'model' | 'provider' | 'node' | 'user', string>>;
  /** Exact rows instead of the hourly rollup (needed for USER, or a range not on whole hours). */
  fromRawRows: boolean;
  /**
   * Registered nodes with a cost, each from the hour of its first rate version: their requests are priced by
   * allocation of the node's cost, so their catalog cost stays out of cost_nano_usd and they are never unpriced.
   */
  pricedNodes?: PricedNodes;
}

/** Node names and, at the same index, the start of the first hour each one has a rate for. */
export interface PricedNodes {
  names: string[];
  fromHours: Date[];
}

/** One allocation unit's tokens in one node-hour, from the hourly rollup (or raw rows, with user and in-range flag). */
export interface AllocationUnitRecord {
  hour: string;
  node: string;
  team: string;
  model: string;
  provider: string;
  user?: string;
  in_range?: number;
  requests: string;
  input_tokens: string;
  output_tokens: string;
}

/** Dimensions the GPU-cost allocation can be summed by (the allocation unit's own). */
export type AllocationDimension = 'hour' | 'day' | 'node' | 'team' | 'model' | 'provider';

/**
 * The cost of each busy node-hour to allocate, as parallel arrays (one entry per node-hour), and the weights of an
 * input and an output token (× 1000). Hours are Unix seconds.
 */
export interface NodeHourCosts {
  nodes: string[];
  hours: number[];
  costsNanoUsd: bigint[];
  inputWeightMilli: bigint;
  outputWeightMilli: bigint;
}

export interface AllocationFilter {
  team?: string;
  model?: string;
  provider?: string;
  node?: string;
}

/** One group's sum of the allocated shares. `hour` is Unix seconds when grouped by hour, `day` likewise. */
export interface AllocatedRecord {
  hour?: number;
  day?: number;
  node?: string;
  team?: string;
  model?: string;
  provider?: string;
  share_nano_usd: string;
  input_share_nano_usd: string;
  requests: string;
  input_tokens: string;
  output_tokens: string;
  busy_hours: string;
  /** 1 when a share comes from an hour at or after `openHour` (not yet closed). */
  estimated: number;
}

/** Node-hours passed per allocation query; longer ranges are cut in time (exact: shares are per node-hour). */
export const maxNodeHoursPerQuery = 20_000;

const allocationDimensionSql: Record<AllocationDimension, string> = {
  hour: 'toUInt32(hour) AS hour',
  day: 'toUInt32(toStartOfDay(hour)) AS day',
  node: 'node',
  team: 'team',
  model: 'model',
  provider: 'provider',
};

/** Largest number of allocation units read for one answer: beyond it the answer would not be exact, so it fails. */
export const maxAllocationUnits = 2_000_000;

export interface SpendRecord {
  team?: string;
  model?: string;
  provider?: string;
  node?: string;
  user?: string;
  day?: string;
  hour?: string;
  requests: string;
  errors: string;
  input_tokens: string;
  output_tokens: string;
  cached_input_tokens: string;
  cost_nano_usd: string;
  unpriced_requests: string;
  latency_quantiles: [number, number] | null;
}

export interface RequestListQuery {
  page: number;
  perPage: number;
  sortField: string;
  sortOrder: 'ASC' | 'DESC';
  filter: {
    ids?: string[];
    q?: string;
    team?: string;
    user?: string;
    model?: string;
    provider?: string;
    node?: string;
    status?: string;
    from?: Date;
    to?: Date;
    priceKnown?: boolean;
    /** The reader's teams (null or absent: every team). */
    teams?: readonly string[] | null;
    decisionId?: string;
    location?: string;
  };
}

export interface StoredRequest {
  id: string;
  timestamp: string;
  team: string;
  user: string;
  provider: string;
  node: string;
  model: string;
  operation: string;
  input_tokens: string;
  output_tokens: string;
  cached_input_tokens: string;
  latency_ms: number;
  ttft_ms: number | null;
  status: string;
  error_type: string;
  cost_nano_usd: string | null;
  cost_source: string;
  prompt: string;
  completion: string;
  metadata: Record<string, string>;
  decision_id: string;
  location: string;
  pii_action: string;
}

// Column expressions per dimension, for the rollup (hour buckets) and for raw rows. Only these ever reach SQL.
const rollupDimension: Record<SpendDimension, [string, string]> = {
  TEAM: ['team', 'team'],
  MODEL: ['model', 'model'],
  PROVIDER: ['provider', 'provider'],
  NODE: ['node', 'node'],
  USER: ['user', 'user'],
  DAY: ['toStartOfDay(hour)', 'day'],
  HOUR: ['hour', 'hour'],
};
const rawDimension: Record<SpendDimension, [string, string]> = {
  ...rollupDimension,
  DAY: ['toStartOfDay(timestamp)', 'day'],
  HOUR: ['toStartOfHour(timestamp)', 'hour'],
};

// Sortable request columns: GraphQL field name → column.
export const requestSortColumns: Record<string, string> = {
  timestamp: 'timestamp',
  costUsd: 'cost_nano_usd',
  costNanoUsd: 'cost_nano_usd',
  latencyMs: 'latency_ms',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  team: 'team',
  model: 'model',
  user: 'user',
};

const requestColumns =
  'id, timestamp, team, user, provider, node, model, operation, input_tokens, output_tokens, cached_input_tokens, ' +
  'latency_ms, ttft_ms, status, error_type, cost_nano_usd, cost_source, prompt, completion, metadata, decision_id, location, pii_action';

/** Every analytics read of request data. Values are always bound as {name:Type} parameters. */
@Injectable()
export class UsageRepository {
  private readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
  }

  async spend(query: SpendQuery): Promise<SpendRecord[]> {
    const dimensions = (query.fromRawRows ? rawDimension : rollupDimension);
    const selected = query.groupBy.map((dimension) => `${dimensions[dimension][0]} AS ${dimensions[dimension][1]}`);
    const aliases = query.groupBy.map((dimension) => dimensions[dimension][1]);
    const conditions: string[] = [];
    const params: Record<string, unknown> = {
      from: clickhouseTime(query.from),
      to: clickhouseTime(query.to),
      pricedNodes: query.pricedNodes?.names ?? [],
      pricedFrom: (query.pricedNodes?.fromHours ?? []).map((hour) => clickhouseTime(hour)),
    };
    // A request on a priced node in an hour the node has a rate for: priced by allocation (see PricedNodes).
    const onPricedNode = (hourExpression: string) =>
      `(indexOf({pricedNodes:Array(String)}, node) > 0 AND ${hourExpression} >= arrayElement({pricedFrom:Array(DateTime64(3, 'UTC'))}, indexOf({pricedNodes:Array(String)}, node)))`;
    for (const [field, value] of Object.entries(query.filter)) {
      if (value === undefined || value === null) continue;
      conditions.push(`${field} = {${field}:String}`);
      params[field] = value;
    }
    let sql: string;
    if (query.fromRawRows) {
      sql = `SELECT ${[...selected,
        'count() AS requests', "countIf(status = 'error') AS errors",
        'sum(input_tokens) AS input_tokens', 'sum(output_tokens) AS output_tokens', 'sum(cached_input_tokens) AS cached_input_tokens',
        // Int128: an Int64 sum of a few events at the largest accepted cost would wrap around.
        `sumIf(toInt128(ifNull(source.cost_nano_usd, 0)), NOT ${onPricedNode('toStartOfHour(timestamp)')}) AS cost_nano_usd`,
        `countIf(source.cost_nano_usd IS NULL AND NOT ${onPricedNode('toStartOfHour(timestamp)')}) AS unpriced_requests`,
        'quantilesTDigest(0.5, 0.95)(latency_ms) AS latency_quantiles'].join(', ')}
        FROM ${this.database}.requests AS source FINAL
        WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
        ${conditions.map((condition) => `AND ${condition}`).join(' ')}`;
    } else {
      sql = `SELECT ${[...selected,
        'sum(requests) AS requests', 'sum(errors) AS errors',
        'sum(input_tokens) AS input_tokens', 'sum(output_tokens) AS output_tokens', 'sum(cached_input_tokens) AS cached_input_tokens',
        `sumIf(cost_nano_usd, NOT ${onPricedNode('hour')}) AS cost_nano_usd`, `sumIf(unpriced_requests, NOT ${onPricedNode('hour')}) AS unpriced_requests`,
        'quantilesTDigestMerge(0.5, 0.95)(latency_quantiles) AS latency_quantiles'].join(', ')}
        FROM ${this.database}.requests_hourly
        WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}
        ${conditions.map((condition) => `AND ${condition}`).join(' ')}`;
    }
    if (aliases.length > 0) {
      const timeAliases: string[] = aliases.filter((alias) => alias === 'day' || alias === 'hour');
      sql += ` GROUP BY ${aliases.join(', ')} ORDER BY ${[...timeAliases, 'cost_nano_usd DESC', ...aliases.filter((alias) => !timeAliases.includes(alias))].join(', ')} LIMIT 10000`;
    }
    const result = await this.clickhouse.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    const rows = await result.json<SpendRecord>();
    // With no grouping ClickHouse still answers one row; with no matching data its quantiles are NaN.
    return rows;
  }

  /** Models with requests nobody could price: no catalog price, and not served by a node whose cost is allocated. */
  async unpricedModels(from: Date, to: Date, pricedNodes: PricedNodes = { names: [], fromHours: [] }, teams: readonly string[] | null = null): Promise<Array<{ model: string; provider: string; requests: string }>> {
    const result = await this.clickhouse.query({
      query: `SELECT model, provider, sumIf(unpriced_requests, NOT (indexOf({pricedNodes:Array(String)}, node) > 0
                AND hour >= arrayElement({pricedFrom:Array(DateTime64(3, 'UTC'))}, indexOf({pricedNodes:Array(String)}, node)))) AS requests
              FROM ${this.database}.requests_hourly
              WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
              ${teams ? 'AND team IN {readerTeams:Array(String)}' : ''}
              GROUP BY model, provider HAVING requests > 0 ORDER BY requests DESC LIMIT 100`,
      query_params: {
        from: clickhouseTime(from),
        to: clickhouseTime(to),
        pricedNodes: pricedNodes.names,
        pricedFrom: pricedNodes.fromHours.map((hour) => clickhouseTime(hour)),
        readerTeams: teams ?? [],
      },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /**
   * Weighted tokens per node-hour of the given nodes over whole hours [from, to): which node-hours are busy (weight
   * above 0), so their cost is allocated, and which are idle.
   */
  async nodeHourWeights(from: Date, to: Date, nodes: string[], inputWeightMilli: bigint, outputWeightMilli: bigint): Promise<Array<{ hour: number; node: string; weight: string }>> {
    if (nodes.length === 0) return [];
    const result = await this.clickhouse.query({
      query: `SELECT toUInt32(hour) AS hour, node, sum(toInt128(input_tokens) * {inputWeight:Int64} + toInt128(output_tokens) * {outputWeight:Int64}) AS weight
              FROM ${this.database}.requests_hourly
              WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')} AND node IN {nodes:Array(String)}
              GROUP BY hour, node`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), nodes, inputWeight: inputWeightMilli.toString(), outputWeight: outputWeightMilli.toString() },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /** Nodes that served tokens in [from, to) but are not among `registered`: their cost is unknown, not zero. */
  async unregisteredNodes(from: Date, to: Date, registered: string[]): Promise<string[]> {
    const result = await this.clickhouse.query({
      query: `SELECT DISTINCT node FROM ${this.database}.requests_hourly
              WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')} AND node != '' AND node NOT IN {registered:Array(String)}
                AND input_tokens + output_tokens > 0
              ORDER BY node LIMIT 1000`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), registered },
      format: 'JSONEachRow',
    });
    return (await result.json<{ node: string }>()).map((row) => row.node);
  }

  /**
   * THE allocation of GPU cost to requests, in ClickHouse, summed by `groupBy`. Per busy node-hour (its cost given):
   * every unit (team × model × provider served that hour, from the hourly rollup) gets
   *   floor(cost × weight / Σ weights), plus one nano-USD for the (cost − Σ floors) units with the largest remainders
   *   (ties: model, team, provider in byte order),
   * so the shares of a node-hour add up to its cost exactly (largest remainder, integers only: Int256). The input part of
   * a share is share × input weight / weight, half-up. `filter` applies after the split, never to the weights.
   */
  async allocate(from: Date, to: Date, costs: NodeHourCosts, groupBy: AllocationDimension[], filter: AllocationFilter, openHour: Date): Promise<AllocatedRecord[]> {
    if (costs.nodes.length === 0) return [];
    const selected = groupBy.map((dimension) => allocationDimensionSql[dimension]);
    const aliases = groupBy.map((dimension) => dimension);
    const conditions: string[] = [];
    const params: Record<string, unknown> = {
      from: clickhouseTime(from),
      to: clickhouseTime(to),
      openHour: Math.floor(openHour.getTime() / 1000),
      costNodes: costs.nodes,
      costHours: costs.hours,
      costNanos: costs.costsNanoUsd.map((cost) => cost.toString()),
      inputWeight: costs.inputWeightMilli.toString(),
      outputWeight: costs.outputWeightMilli.toString(),
    };
    for (const field of ['team', 'model', 'provider', 'node'] as const) {
      if (filter[field] === undefined || filter[field] === null) continue;
      conditions.push(`${field} = {${field}:String}`);
      params[field] = filter[field];
    }
    const sql = `
      WITH costs AS (
        SELECT tupleElement(entry, 1) AS cost_node, toDateTime(tupleElement(entry, 2), 'UTC') AS cost_hour, toInt256(tupleElement(entry, 3)) AS cost
        FROM (SELECT arrayJoin(arrayZip({costNodes:Array(String)}, {costHours:Array(UInt32)}, arrayMap(cost -> toInt64(cost), {costNanos:Array(String)}))) AS entry)
      ),
      units AS (
        SELECT hour, node, team, model, provider, sum(requests) AS unit_requests, sum(input_tokens) AS unit_input, sum(output_tokens) AS unit_output,
               toInt256(unit_input) * {inputWeight:Int64} + toInt256(unit_output) * {outputWeight:Int64} AS weight
        FROM ${this.database}.requests_hourly
        WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')} AND node IN (SELECT cost_node FROM costs)
        GROUP BY hour, node, team, model, provider
      ),
      floored AS (
        SELECT units.*, costs.cost AS cost, sum(weight) OVER (PARTITION BY node, hour) AS total_weight,
               intDiv(cost * weight, total_weight) AS base, (cost * weight) % total_weight AS remainder
        FROM units INNER JOIN costs ON units.node = costs.cost_node AND units.hour = costs.cost_hour
      ),
      ranked AS (
        SELECT *, row_number() OVER (PARTITION BY node, hour ORDER BY remainder DESC, model, team, provider) AS place,
               cost - sum(base) OVER (PARTITION BY node, hour) AS leftover,
               base + if(place <= leftover, 1, 0) AS share,
               if(weight = 0, toInt256(0), intDiv(2 * share * unit_input * {inputWeight:Int64} + weight, 2 * weight)) AS input_share
        FROM floored
        WHERE total_weight > 0
      )
      SELECT ${[...selected, 'toString(sum(share)) AS share_nano_usd', 'toString(sum(input_share)) AS input_share_nano_usd',
        'sum(unit_requests) AS requests', 'sum(unit_input) AS input_tokens', 'sum(unit_output) AS output_tokens',
        'uniqExact(node, hour) AS busy_hours', "max(toUInt32(hour) >= {openHour:UInt32}) AS estimated"].join(', ')}
      FROM ranked
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ${aliases.length > 0 ? `GROUP BY ${aliases.join(', ')}` : ''}`;
    const result = await this.clickhouse.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return result.json<AllocatedRecord>();
  }

  /**
   * The allocation units (hour, node, team, model, provider) split further, from the request rows: by user when asked, and by whether each request lies in
   * [rangeFrom, rangeTo) (a range not on whole hours). Hours are the whole hours [from, to) around the range.
   */
  async allocationSubUnits(from: Date, to: Date, nodes: string[], byUser: boolean, rangeFrom: Date, rangeTo: Date): Promise<AllocationUnitRecord[]> {
    if (nodes.length === 0) return [];
    const result = await this.clickhouse.query({
      query: `SELECT toStartOfHour(timestamp) AS hour, node, team, model, provider, ${byUser ? 'user' : "'' AS user"},
                toUInt8(timestamp >= {rangeFrom:DateTime64(3, 'UTC')} AND timestamp < {rangeTo:DateTime64(3, 'UTC')}) AS in_range,
                count() AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
              FROM ${this.database}.requests FINAL
              WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')} AND node IN {nodes:Array(String)}
              GROUP BY hour, node, team, model, provider, user, in_range
              LIMIT {limit:UInt32}`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), nodes, rangeFrom: clickhouseTime(rangeFrom), rangeTo: clickhouseTime(rangeTo), limit: maxAllocationUnits + 1 },
      format: 'JSONEachRow',
    });
    const rows = await result.json<AllocationUnitRecord>();
    if (rows.length > maxAllocationUnits) throw new Error(`More than ${maxAllocationUnits} allocation units in the range: on-prem cost cannot be computed exactly; ask for a shorter range`);
    return rows;
  }

  async listRequests(query: RequestListQuery): Promise<StoredRequest[]> {
    const { where, params } = this.requestConditions(query.filter);
    const result = await this.clickhouse.query({
      query: `SELECT ${requestColumns} FROM ${this.database}.requests FINAL ${where}
              ORDER BY ${requestSortColumns[query.sortField]} ${query.sortOrder}, id
              LIMIT {limit:UInt32} OFFSET {offset:UInt64}`,
      query_params: { ...params, limit: query.perPage, offset: query.page * query.perPage },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  async countRequests(filter: RequestListQuery['filter']): Promise<number> {
    const { where, params } = this.requestConditions(filter);
    const result = await this.clickhouse.query({
      query: `SELECT count() AS count FROM ${this.database}.requests FINAL ${where}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ count: string }>();
    return Number(rows[0]?.count ?? 0);
  }

  /**
   * One request by id (ids are unique per team: `team` picks one when two teams used the same id). Its time comes
   * from the key index first, so the main table is read by primary key.
   */
  async findRequest(id: string, team?: string, teams: readonly string[] | null = null): Promise<StoredRequest | null> {
    const located = await this.clickhouse.query({
      query: `SELECT team, timestamp FROM ${this.database}.request_keys FINAL
              WHERE id = {id:String} ${team === undefined ? '' : 'AND team = {team:String}'}
              ${teams ? 'AND team IN {readerTeams:Array(String)}' : ''} ORDER BY team LIMIT 1`,
      query_params: { id, team, readerTeams: teams ?? [] },
      format: 'JSONEachRow',
    });
    const found = await located.json<{ team: string; timestamp: string }>();
    if (found.length === 0) return null;
    const at = new Date(found[0].timestamp);
    const rows = await this.listRequests({
      page: 0,
      perPage: 1,
      sortField: 'timestamp',
      sortOrder: 'DESC',
      filter: { ids: [id], team: found[0].team, from: at, to: at },
    });
    return rows[0] ?? null;
  }

  private requestConditions(filter: RequestListQuery['filter']): { where: string; params: Record<string, unknown> } {
    const conditions: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.ids) {
      conditions.push('id IN {ids:Array(String)}');
      params.ids = filter.ids;
    }
    for (const field of ['team', 'user', 'model', 'provider', 'node', 'status'] as const) {
      if (filter[field] === undefined || filter[field] === null || filter[field] === '') continue;
      conditions.push(`${field} = {${field}:String}`);
      params[field] = filter[field];
    }
    if (filter.decisionId) {
      conditions.push('decision_id = {decisionId:String}');
      params.decisionId = filter.decisionId;
    }
    if (filter.location) {
      conditions.push('location = {location:String}');
      params.location = filter.location;
    }
    if (filter.teams) {
      conditions.push('team IN {readerTeams:Array(String)}');
      params.readerTeams = filter.teams;
    }
    if (filter.from) {
      conditions.push("timestamp >= {from:DateTime64(3, 'UTC')}");
      params.from = clickhouseTime(filter.from);
    }
    if (filter.to) {
      conditions.push("timestamp <= {to:DateTime64(3, 'UTC')}");
      params.to = clickhouseTime(filter.to);
    }
    if (filter.priceKnown !== undefined && filter.priceKnown !== null) {
      conditions.push(filter.priceKnown ? 'cost_nano_usd IS NOT NULL' : 'cost_nano_usd IS NULL');
    }
    if (filter.q) {
      conditions.push(
        '(id = {q:String} OR positionCaseInsensitive(user, {q:String}) > 0 OR positionCaseInsensitive(model, {q:String}) > 0 ' +
          'OR positionCaseInsensitive(team, {q:String}) > 0 OR positionCaseInsensitive(error_type, {q:String}) > 0)',
      );
      params.q = filter.q;
    }
    return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
  }
}

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
  /** The reader's teams (null: every team). */
  teams?: readonly string[] | null;
  /** Exact rows instead of the hourly rollup (needed for USER, or a range not on whole hours). */
  fromRawRows: boolean;
}

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
  'latency_ms, ttft_ms, status, error_type, cost_nano_usd, cost_source, prompt, completion, metadata';

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
    const params: Record<string, unknown> = { from: clickhouseTime(query.from), to: clickhouseTime(query.to) };
    for (const [field, value] of Object.entries(query.filter)) {
      if (value === undefined || value === null) continue;
      conditions.push(`${field} = {${field}:String}`);
      params[field] = value;
    }
    if (query.teams) {
      conditions.push('team IN {readerTeams:Array(String)}');
      params.readerTeams = query.teams;
    }
    let sql: string;
    if (query.fromRawRows) {
      sql = `SELECT ${[...selected,
        'count() AS requests', "countIf(status = 'error') AS errors",
        'sum(input_tokens) AS input_tokens', 'sum(output_tokens) AS output_tokens', 'sum(cached_input_tokens) AS cached_input_tokens',
        // Int128: an Int64 sum of a few events at the largest accepted cost would wrap around.
        'sum(toInt128(ifNull(source.cost_nano_usd, 0))) AS cost_nano_usd', 'countIf(source.cost_nano_usd IS NULL) AS unpriced_requests',
        'quantilesTDigest(0.5, 0.95)(latency_ms) AS latency_quantiles'].join(', ')}
        FROM ${this.database}.requests AS source FINAL
        WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
        ${conditions.map((condition) => `AND ${condition}`).join(' ')}`;
    } else {
      sql = `SELECT ${[...selected,
        'sum(requests) AS requests', 'sum(errors) AS errors',
        'sum(input_tokens) AS input_tokens', 'sum(output_tokens) AS output_tokens', 'sum(cached_input_tokens) AS cached_input_tokens',
        'sum(cost_nano_usd) AS cost_nano_usd', 'sum(unpriced_requests) AS unpriced_requests',
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

  async unpricedModels(from: Date, to: Date, teams: readonly string[] | null = null): Promise<Array<{ model: string; provider: string; requests: string }>> {
    const result = await this.clickhouse.query({
      query: `SELECT model, provider, sum(unpriced_requests) AS requests
              FROM ${this.database}.requests_hourly
              WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
              ${teams ? 'AND team IN {readerTeams:Array(String)}' : ''}
              GROUP BY model, provider HAVING requests > 0 ORDER BY requests DESC LIMIT 100`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), readerTeams: teams ?? [] },
      format: 'JSONEachRow',
    });
    return result.json();
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

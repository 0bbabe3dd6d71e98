import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { DataSource } from 'typeorm';
import { clickhouseTime } from '../../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../../engine/engine.module';
import { ExportEntity } from './export.entity';

export type ExportSource = 'requests' | 'decisions';

/** One page's position: the last row's sort key, the next page starts after it. */
export interface PageCursor {
  hour: string;
  team: string;
  /** model for requests, '' for decisions. */
  model: string;
  id: string;
}

export interface HourCount {
  hour: string;
  rows: number;
}

interface SourceShape {
  /** The raw table and its hourly rollup (the rollup only sizes the pages). */
  table: string;
  rollup: string;
  rollupCount: string;
  time: string;
  /** The key the table is ordered by after the hour; pages follow it. */
  key: { team: string; model: string; id: string };
}

// Only these texts ever reach SQL; every value is a parameter.
const sources: Record<ExportSource, SourceShape> = {
  requests: {
    table: 'requests',
    rollup: 'requests_hourly',
    rollupCount: 'sum(requests)',
    time: 'timestamp',
    key: { team: 'team', model: 'model', id: 'id' },
  },
  decisions: {
    table: 'policy_decisions',
    rollup: 'policy_decisions_hourly',
    rollupCount: 'sum(decisions)',
    time: 'time',
    key: { team: 'team', model: "''", id: 'decision_id' },
  },
};

/** The columns each CSV carries, in order: metadata first, content only where the export may hold it. */
export const requestMetadataColumns = [
  'id', 'timestamp', 'team', 'user', 'provider', 'node', 'model', 'operation', 'input_tokens', 'output_tokens',
  'cached_input_tokens', 'latency_ms', 'ttft_ms', 'status', 'error_type', 'cost_nano_usd', 'cost_source', 'location',
  'pii_action', 'pii_findings', 'decision_id', 'api_key_id', 'source', 'trace_id', 'span_id', 'retention_days',
] as const;
export const requestContentColumns = ['prompt', 'completion'] as const;
export const decisionColumns = [
  'time', 'decision_id', 'team', 'user', 'model', 'node', 'allowed', 'reason', 'message', 'policy_name', 'policy_version',
  'policy_names', 'policy_versions', 'estimated_tokens', 'estimated_cost_nano_usd', 'pii_action', 'pii_findings',
  'soft_quotas_exceeded', 'source', 'api_key_id', 'reservation_id',
] as const;

/**
 * Exports' rows in Postgres, and the pages of ClickHouse rows they are written from. A page is at most `limit` rows
 * in the table's own order after a cursor, inside a window of whole hours, so memory stays bounded whatever the
 * export's size and whichever engine answers (the embedded one returns a result in one piece).
 */
@Injectable()
export class ExportsRepository {
  private readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
    private readonly dataSource: DataSource,
  ) {
    this.database = config.clickhouse.database;
  }

  private get exports() {
    return this.dataSource.getRepository(ExportEntity);
  }

  insert(row: ExportEntity): Promise<ExportEntity> {
    return this.exports.save(row);
  }

  find(id: string): Promise<ExportEntity | null> {
    return this.exports.findOneBy({ id });
  }

  async update(id: string, changes: Partial<ExportEntity>): Promise<void> {
    await this.exports.update({ id }, changes as Parameters<typeof this.exports.update>[1]);
  }

  list(page: { page: number; perPage: number; sortField: 'createdAt' | 'kind' | 'state'; sortOrder: 'ASC' | 'DESC' }): Promise<[ExportEntity[], number]> {
    return this.exports.findAndCount({
      order: { [page.sortField]: page.sortOrder, id: 'ASC' },
      skip: page.page * page.perPage,
      take: page.perPage,
    });
  }

  /** Rows per hour in [from, to) from the rollup: sizes the pages and the progress, never the content. */
  async hourCounts(source: ExportSource, from: Date, to: Date, teams: string[]): Promise<HourCount[]> {
    const shape = sources[source];
    const rows = await this.rows<{ hour: string; rows: string }>(
      `SELECT hour, ${shape.rollupCount} AS rows FROM ${this.database}.${shape.rollup}
       WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
         ${teams.length > 0 ? 'AND team IN {teams:Array(String)}' : ''}
       GROUP BY hour HAVING rows > 0 ORDER BY hour LIMIT 100000`,
      { from: clickhouseTime(from), to: clickhouseTime(to), teams },
    );
    return rows.map((row) => ({ hour: row.hour, rows: Number(row.rows) }));
  }

  /** Up to `limit` rows in [windowFrom, windowTo) ∩ [from, to), after `cursor`, in the table's order. */
  async page<T>(
    source: ExportSource,
    columns: readonly string[],
    window: { from: Date; to: Date },
    teams: string[],
    cursor: PageCursor | null,
    limit: number,
  ): Promise<Array<T & { cursor_hour: string; cursor_team: string; cursor_model: string; cursor_id: string }>> {
    const shape = sources[source];
    const conditions = [`${shape.time} >= {from:DateTime64(3, 'UTC')}`, `${shape.time} < {to:DateTime64(3, 'UTC')}`];
    const params: Record<string, unknown> = { from: clickhouseTime(window.from), to: clickhouseTime(window.to), limit };
    if (teams.length > 0) {
      conditions.push('team IN {teams:Array(String)}');
      params.teams = teams;
    }
    const keyTuple = `(toStartOfHour(${shape.time}), ${shape.key.team}, ${shape.key.model}, ${shape.key.id})`;
    if (cursor) {
      conditions.push(`${keyTuple} > (toDateTime({cursorHour:String}, 'UTC'), {cursorTeam:String}, {cursorModel:String}, {cursorId:String})`);
      Object.assign(params, { cursorHour: cursor.hour, cursorTeam: cursor.team, cursorModel: cursor.model, cursorId: cursor.id });
    }
    return this.rows(
      `SELECT ${columns.map((column) => `source.${column} AS ${column}`).join(', ')},
              formatDateTime(toStartOfHour(source.${shape.time}), '%Y-%m-%d %H:%i:%S') AS cursor_hour, source.${shape.key.team} AS cursor_team,
              ${shape.key.model === "''" ? "''" : `source.${shape.key.model}`} AS cursor_model, source.${shape.key.id} AS cursor_id
       FROM ${this.database}.${shape.table} AS source FINAL
       WHERE ${conditions.join(' AND ')}
       ORDER BY ${keyTuple}
       LIMIT {limit:UInt32}`,
      params,
    );
  }

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }
}

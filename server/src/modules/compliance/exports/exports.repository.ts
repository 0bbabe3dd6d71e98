import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { DataSource } from 'typeorm';
import { clickhouseTime, dateFromClickhouseTime } from '../../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../../engine/engine.module';
import { ExportEntity } from './export.entity';

export type ExportSource = 'requests' | 'decisions';

/** Rows stored in one stretch of time: what sizes an export's windows. */
export interface IntervalCount {
  start: Date;
  end: Date;
  rows: number;
}

interface SourceShape {
  table: string;
  time: string;
  /** Within a window, rows are written in this order. */
  order: string[];
  /** Text columns a sender wrote: a leading =, +, -, @, tab or CR is neutralised for spreadsheets. */
  textColumns: ReadonlySet<string>;
}

// Only these texts ever reach SQL; every value is a parameter.
const sources: Record<ExportSource, SourceShape> = {
  requests: {
    table: 'requests',
    time: 'timestamp',
    order: ['timestamp', 'team', 'id'],
    textColumns: new Set(['id', 'team', 'user', 'provider', 'node', 'model', 'operation', 'error_type', 'prompt', 'completion', 'trace_id', 'span_id', 'decision_id', 'api_key_id', 'source', 'location']),
  },
  decisions: {
    table: 'policy_decisions',
    time: 'time',
    order: ['time', 'team', 'decision_id'],
    textColumns: new Set(['decision_id', 'team', 'user', 'model', 'node', 'reason', 'message', 'policy_name', 'api_key_id', 'reservation_id', 'source']),
  },
};

const intervalSql = { hour: 'toStartOfHour', minute: 'toStartOfMinute' } as const;
const intervalMilliseconds = { hour: 3_600_000, minute: 60_000 } as const;
/** A text a spreadsheet would run as a formula (OWASP "CSV injection"): it gets a leading quote mark. */
const formulaStart = String.raw`'^[=+\\-@\\t\\r]'`;

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
 * Exports' rows in Postgres, and the windows of ClickHouse rows they are written from. A window is a stretch of
 * time sized by counting first, so it holds about one page of rows and memory stays bounded whatever the export's
 * size and whichever engine answers (the embedded one returns a result in one piece).
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

  /**
   * Rows stored per hour (or minute) in [from, to), counted on the raw table (the time column only, versions not
   * collapsed: never fewer than what is written), so a window sized by them holds at most what they say.
   */
  async intervalCounts(source: ExportSource, from: Date, to: Date, teams: string[], unit: 'hour' | 'minute'): Promise<IntervalCount[]> {
    const shape = sources[source];
    const result = await this.clickhouse.query({
      query: `SELECT ${intervalSql[unit]}(${shape.time}) AS start, count() AS rows FROM ${this.database}.${shape.table}
              WHERE ${shape.time} >= {from:DateTime64(3, 'UTC')} AND ${shape.time} < {to:DateTime64(3, 'UTC')}
                ${teams.length > 0 ? 'AND team IN {teams:Array(String)}' : ''}
              GROUP BY start ORDER BY start LIMIT 1000000`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), teams },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ start: string; rows: string }>();
    return rows.map((row) => {
      const start = dateFromClickhouseTime(row.start);
      return { start, end: new Date(start.getTime() + intervalMilliseconds[unit]), rows: Number(row.rows) };
    });
  }

  /**
   * The rows of [from, to) as CSV lines (RFC 4180 quoting, CRLF), formatted by ClickHouse: one record per row
   * (versions collapsed), a sender's text neutralised where a spreadsheet would run it as a formula.
   */
  async windowCsv(source: ExportSource, columns: readonly string[], window: { from: Date; to: Date }, teams: string[]): Promise<string> {
    const shape = sources[source];
    const selected = columns.map((column) =>
      shape.textColumns.has(column)
        ? `if(match(source.${column}, ${formulaStart}), concat('''', source.${column}), source.${column}) AS ${column}`
        : `source.${column} AS ${column}`,
    );
    const result = await this.clickhouse.query({
      query: `SELECT ${selected.join(', ')}
              FROM ${this.database}.${shape.table} AS source FINAL
              WHERE source.${shape.time} >= {from:DateTime64(3, 'UTC')} AND source.${shape.time} < {to:DateTime64(3, 'UTC')}
                ${teams.length > 0 ? 'AND source.team IN {teams:Array(String)}' : ''}
              ORDER BY ${shape.order.map((column) => `source.${column}`).join(', ')}
              SETTINGS output_format_csv_crlf_end_of_line = 1`,
      query_params: { from: clickhouseTime(window.from), to: clickhouseTime(window.to), teams },
      format: 'CSV',
    });
    return result.text();
  }
}

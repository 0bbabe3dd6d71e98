import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type WriteOutcome } from '../../engine/clickhouse/clickhouse-batch-writer';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { requestColumns, type RequestRow } from './request-row';

/** The only place that writes request rows and their rollup. */
@Injectable()
export class IngestRepository implements OnModuleInit {
  private readonly requestsTable: string;
  private readonly requestIdsTable: string;
  private readonly database: string;

  constructor(
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
    this.requestsTable = `${this.database}.requests`;
    this.requestIdsTable = `${this.database}.request_ids`;
  }

  onModuleInit(): void {
    this.writer.registerLayout(this.requestsTable, { columns: requestColumns });
    this.writer.registerDeduplication<RequestRow>(this.requestsTable, {
      keyOf: (row) => row.id,
      findStoredKeys: async (ids) => {
        const result = await this.clickhouse.query({
          query: `SELECT id FROM ${this.requestIdsTable} WHERE id IN {ids:Array(String)}`,
          query_params: { ids },
          format: 'JSONCompactEachRow',
        });
        const rows = await result.json<[string]>();
        return new Set(rows.map((row) => row[0]));
      },
      recordStoredRows: async (rows) => {
        await this.clickhouse.insert({
          table: this.requestIdsTable,
          values: rows.map((row) => ({ id: row.id, timestamp: row.timestamp, retention_days: row.retention_days })),
          format: 'JSONEachRow',
        });
      },
    });
  }

  /** Resolves once the rows are stored; ids already stored come back as duplicates and are not written again. */
  writeRequests(rows: RequestRow[]): Promise<WriteOutcome> {
    return this.writer.write(this.requestsTable, rows);
  }

  /** The current version of every request in [from, to), for re-pricing. */
  async readRequests(from: Date, to: Date): Promise<RequestRow[]> {
    const result = await this.clickhouse.query({
      query: `SELECT * FROM ${this.requestsTable} FINAL
              WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to) },
      format: 'JSONEachRow',
    });
    const rows = await result.json<RequestRow>();
    // Read back in the writer's own shape: DateTime64 comes out as ISO text, the writer sends ClickHouse text.
    return rows.map((row) => ({ ...row, timestamp: clickhouseTime(new Date(row.timestamp)), ingested_at: clickhouseTime(new Date(row.ingested_at)) }));
  }

  /** Writes new versions of existing rows (ReplacingMergeTree keeps the latest ingested_at). */
  async replaceRequests(rows: RequestRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 20_000) {
      await this.clickhouse.insert({ table: this.requestsTable, values: rows.slice(start, start + 20_000), format: 'JSONEachRow' });
    }
  }

  /**
   * Recomputes the hourly rollup for whole hours in [from, to) from the deduplicated rows. The SELECT mirrors the
   * materialized view in migrations/clickhouse/0001_requests.sql; keep the two in step.
   */
  async rebuildHourlyRollup(from: Date, to: Date): Promise<void> {
    const params = { from: clickhouseTime(from), to: clickhouseTime(to) };
    await this.clickhouse.command({
      query: `ALTER TABLE ${this.database}.requests_hourly DELETE
              WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}`,
      query_params: params,
      clickhouse_settings: { mutations_sync: '2' },
    });
    await this.clickhouse.command({
      query: `INSERT INTO ${this.database}.requests_hourly
              SELECT toStartOfHour(timestamp) AS hour, team, model, provider, node,
                     count() AS requests, countIf(status = 'error') AS errors,
                     sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                     sum(cached_input_tokens) AS cached_input_tokens,
                     sum(ifNull(source.cost_nano_usd, 0)) AS cost_nano_usd, countIf(source.cost_nano_usd IS NULL) AS unpriced_requests,
                     quantilesTDigestState(0.5, 0.95)(latency_ms) AS latency_quantiles, max(retention_days) AS retention_days
              FROM ${this.requestsTable} AS source FINAL
              WHERE timestamp >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND timestamp < {to:DateTime64(3, 'UTC')}
              GROUP BY hour, team, model, provider, node`,
      query_params: params,
    });
  }
}

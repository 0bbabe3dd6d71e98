import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type RollupRebuild, type WriteOutcome } from '../../engine/clickhouse/clickhouse-batch-writer';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { clickhouseTime, dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { findStoredTeamIdKeys } from '../../engine/clickhouse/team-id-keys';
import { tableRollups } from '../../engine/clickhouse/rollup-rebuild';
import { requestColumns, requestKey, serializeRequestRow, type RequestRow } from './request-row';

/** A re-priced version of a stored request, with the version it replaces. */
export interface RequestRevision {
  row: RequestRow;
  /** ingested_at of the version this revision was computed from. */
  baseVersion: string;
}

/** Where a re-pricing scan stopped: the sort key of the last row read. */
export interface RepricingCursor {
  hour: string;
  team: string;
  model: string;
  id: string;
}

const requestsStream = 'requests';
const revisionsStream = 'request-revisions';

/** The only place that writes request rows, and reads them back for re-pricing. */
@Injectable()
export class IngestRepository implements OnModuleInit {
  private readonly database: string;
  /**
   * The requests' rollups rebuilt from the stored rows, after a crash on the embedded engine. Both streams fill one
   * table, so one rebuild serves both. A stored row is the current version of its request: sent through the views
   * again, it counts as an original at its current cost.
   */
  readonly rollups: RollupRebuild;

  constructor(
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
    this.rollups = tableRollups(clickhouse, {
      table: `${this.database}.requests`,
      timeColumn: 'timestamp',
      asOriginal: { is_revision: '0', previous_cost_nano_usd: 'NULL' },
    });
  }

  onModuleInit(): void {
    const table = `${this.database}.requests`;
    const rollups = this.rollups;
    // New events: claimed and looked up by (team, id) in request_keys, which the insert itself fills.
    this.writer.registerStream<RequestRow>({
      name: requestsStream,
      table,
      columns: requestColumns,
      serialize: serializeRequestRow,
      rollups,
      deduplication: {
        keyOf: (row) => requestKey(row.team, row.id),
        findStoredKeys: (keys) => this.findStoredRequestKeys(keys),
      },
    });
    // Revisions are written under the re-pricing lock, so they need no claims and no lookup while written. Replayed
    // on a server after a restart, a revision is dropped when its request has moved past the version it was
    // computed from (another re-pricing got there first), so its difference is never added twice.
    this.writer.registerStream<RequestRevision>({
      name: revisionsStream,
      table,
      columns: requestColumns,
      serialize: (revision) => serializeRequestRow(revision.row),
      rollups,
      deduplication: {
        keyOf: (revision) => `${requestKey(revision.row.team, revision.row.id)}\u0000${revision.row.timestamp}\u0000${revision.baseVersion}`,
        findStoredKeys: (keys) => this.findSupersededRevisionKeys(keys),
        claim: false,
        lookupOnWrite: false,
      },
    });
  }

  /** Resolves once the rows are stored; (team, id) pairs already stored come back as duplicates. */
  writeRequests(rows: RequestRow[]): Promise<WriteOutcome> {
    return this.writer.write(requestsStream, rows);
  }

  writeRevisions(revisions: RequestRevision[]): Promise<WriteOutcome> {
    return this.writer.write(revisionsStream, revisions);
  }

  /**
   * The current version of up to `limit` requests in [from, to) priced from the catalog or unpriced, in sort-key
   * order after `after`: a re-pricing scan reads a bounded page at a time, whatever the engine.
   */
  async readRepricingPage(from: Date, to: Date, after: RepricingCursor | null, limit: number): Promise<RequestRow[]> {
    const result = await this.clickhouse.query({
      query: `SELECT ${requestColumns.join(', ')} FROM ${this.database}.requests FINAL
              WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
                AND cost_source != 'event'
                ${after ? "AND (toStartOfHour(timestamp), team, model, id) > ({hour:DateTime('UTC')}, {team:String}, {model:String}, {id:String})" : ''}
              ORDER BY toStartOfHour(timestamp), team, model, id
              LIMIT {limit:UInt32}`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), limit, ...(after ?? {}) },
      format: 'JSONEachRow',
    });
    const rows = await result.json<RequestRow>();
    // Read back in the writer's own shape: DateTime64 comes out as ISO text, the writer sends ClickHouse text.
    return rows.map((row) => ({
      ...row,
      timestamp: clickhouseTime(dateFromClickhouseTime(row.timestamp)),
      ingested_at: clickhouseTime(dateFromClickhouseTime(row.ingested_at)),
    }));
  }

  private findStoredRequestKeys(keys: string[]): Promise<Set<string>> {
    return findStoredTeamIdKeys(this.clickhouse, `${this.database}.request_keys`, keys);
  }

  /** Revision keys whose request's current version is no longer the one the revision was computed from. */
  private async findSupersededRevisionKeys(keys: string[]): Promise<Set<string>> {
    const parsed = keys.map((key) => {
      const [team, id, timestamp, baseVersion] = key.split('\u0000');
      return { key, team, id, timestamp, baseVersion };
    });
    const result = await this.clickhouse.query({
      query: `SELECT team, id, ingested_at FROM ${this.database}.requests FINAL
              WHERE timestamp IN {timestamps:Array(DateTime64(3, 'UTC'))} AND team IN {teams:Array(String)} AND id IN {ids:Array(String)}`,
      query_params: {
        timestamps: [...new Set(parsed.map((entry) => entry.timestamp))],
        teams: [...new Set(parsed.map((entry) => entry.team))],
        ids: [...new Set(parsed.map((entry) => entry.id))],
      },
      format: 'JSONCompactEachRow',
    });
    const current = new Map<string, string>();
    for (const [team, id, ingestedAt] of await result.json<[string, string, string]>()) {
      current.set(requestKey(team, id), clickhouseTime(dateFromClickhouseTime(ingestedAt)));
    }
    return new Set(parsed.filter((entry) => current.get(requestKey(entry.team, entry.id)) !== entry.baseVersion).map((entry) => entry.key));
  }
}

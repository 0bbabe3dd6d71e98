import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type WriteOutcome } from '../../../engine/clickhouse/clickhouse-batch-writer';
import { clickhouseTime, dateFromClickhouseTime } from '../../../engine/clickhouse/clickhouse-time';
import type { WardenConfig } from '../../../engine/config/config';
import { CLICKHOUSE, CONFIG } from '../../../engine/engine.module';

/** A row of ClickHouse `node_engine_metrics` as written (one per heartbeat). */
export interface EngineMetricsRow {
  id: string;
  node: string;
  sampled_at: string;
  received_at: string;
  agent_version: string;
  engine_kind: string;
  engine_version: string;
  engine_up: number;
  models: string[];
  queue_depth: number | null;
  running: number | null;
  kv_cache_usage_ratio: number | null;
  prompt_tokens_per_second: number | null;
  generation_tokens_per_second: number | null;
  ttft_window: string;
  ttft_observations: number;
  ttft_p50_seconds: number | null;
  ttft_p90_seconds: number | null;
  ttft_p99_seconds: number | null;
  metrics_error: string;
  dropped_reports: number;
  retention_days: number;
  ingested_at: string;
}

const engineMetricsColumns: [keyof EngineMetricsRow, ...Array<keyof EngineMetricsRow>] = [
  'id', 'node', 'sampled_at', 'received_at', 'agent_version', 'engine_kind', 'engine_version', 'engine_up', 'models',
  'queue_depth', 'running', 'kv_cache_usage_ratio', 'prompt_tokens_per_second', 'generation_tokens_per_second',
  'ttft_window', 'ttft_observations', 'ttft_p50_seconds', 'ttft_p90_seconds', 'ttft_p99_seconds', 'metrics_error',
  'dropped_reports', 'retention_days', 'ingested_at',
];

/** The identity a re-sent heartbeat shares with its first copy: node, sampled-at (ms) and the report's id. */
export function engineMetricsKey(node: string, sampledAtMs: number, id: string): string {
  return `${node}\u0000${sampledAtMs}\u0000${id}`;
}

export interface EngineMetricsBucketRecord {
  time: string;
  samples: string;
  engine_up_samples: string;
  queue_depth_avg: number | null;
  queue_depth_max: number | null;
  running_avg: number | null;
  kv_cache_usage_ratio_avg: number | null;
  kv_cache_usage_ratio_max: number | null;
  prompt_tokens_per_second_avg: number | null;
  generation_tokens_per_second_avg: number | null;
  ttft_p50_seconds_avg: number | null;
  ttft_p99_seconds_max: number | null;
}

export interface NodeRequestStatsRecord {
  node: string;
  requests: string;
  errors: string;
  /** [p50, p95, p99] of latency_ms; NaN when there is no request. */
  latency: [number, number, number];
  /** [p50, p95, p99] of ttft_ms over the requests that have one. */
  ttft: [number, number, number];
  ttft_requests: string;
}

const engineMetricsStream = 'node_engine_metrics';

/**
 * The only place with node-agent SQL on ClickHouse: engine metric samples written through the batching writer
 * (deduplicated by node, sampled-at and report id), read back as series; request statistics per node read from
 * the `requests` table.
 */
@Injectable()
export class NodeEngineMetricsRepository implements OnModuleInit {
  private readonly database: string;
  private readonly table: string;

  constructor(
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
    this.table = `${this.database}.node_engine_metrics`;
  }

  onModuleInit(): void {
    this.writer.registerStream<EngineMetricsRow>({
      name: engineMetricsStream,
      table: this.table,
      columns: engineMetricsColumns,
      // An agent re-sends a report whose answer it lost, possibly to another server: claims and a lookup decide.
      deduplication: {
        keyOf: (row) => engineMetricsKey(row.node, dateFromClickhouseTime(row.sampled_at).getTime(), row.id),
        findStoredKeys: (keys) => this.findStoredKeys(keys),
      },
    });
  }

  /** Resolves once stored; a report already stored comes back in duplicateKeys and is not written again. */
  write(rows: EngineMetricsRow[]): Promise<WriteOutcome> {
    return this.writer.write(engineMetricsStream, rows);
  }

  private async findStoredKeys(keys: string[]): Promise<Set<string>> {
    const parts = keys.map((key) => key.split('\u0000'));
    const times = parts.map((part) => Number(part[1]));
    const result = await this.clickhouse.query({
      query: `SELECT node, toUnixTimestamp64Milli(sampled_at) AS ms, id FROM ${this.table}
              WHERE node IN {nodes:Array(String)}
                AND sampled_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND sampled_at <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
                AND id IN {ids:Array(String)}`,
      query_params: {
        nodes: [...new Set(parts.map((part) => part[0]))],
        from: Math.min(...times),
        to: Math.max(...times),
        ids: [...new Set(parts.map((part) => part[2]))],
      },
      format: 'JSONCompactEachRow',
    });
    const rows = await result.json<[string, string, string]>();
    return new Set(rows.map(([node, ms, id]) => engineMetricsKey(node, Number(ms), id)));
  }

  /** The node's engine metrics in [from, to), averaged (and peaked) per bucket of `bucketSeconds`, oldest first. */
  async series(node: string, from: Date, to: Date, bucketSeconds: number): Promise<EngineMetricsBucketRecord[]> {
    const result = await this.clickhouse.query({
      query: `SELECT toStartOfInterval(sampled_at, toIntervalSecond({bucket:UInt32})) AS time,
                     count() AS samples, countIf(engine_up = 1) AS engine_up_samples,
                     avg(queue_depth) AS queue_depth_avg, max(queue_depth) AS queue_depth_max,
                     avg(running) AS running_avg,
                     avg(kv_cache_usage_ratio) AS kv_cache_usage_ratio_avg, max(kv_cache_usage_ratio) AS kv_cache_usage_ratio_max,
                     avg(prompt_tokens_per_second) AS prompt_tokens_per_second_avg,
                     avg(generation_tokens_per_second) AS generation_tokens_per_second_avg,
                     avg(ttft_p50_seconds) AS ttft_p50_seconds_avg, max(ttft_p99_seconds) AS ttft_p99_seconds_max
              FROM ${this.table} FINAL
              WHERE node = {node:String} AND sampled_at >= {from:DateTime64(3, 'UTC')} AND sampled_at < {to:DateTime64(3, 'UTC')}
              GROUP BY time ORDER BY time
              LIMIT 10000`,
      query_params: { node, from: clickhouseTime(from), to: clickhouseTime(to), bucket: bucketSeconds },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /**
   * Requests per node in [from, to) from the raw request rows (FINAL: a re-sent or re-priced request counts once):
   * count, errors, and exact latency and time-to-first-token percentiles. `nodes` empty: every node.
   */
  async requestStats(nodes: readonly string[], from: Date, to: Date): Promise<NodeRequestStatsRecord[]> {
    const result = await this.clickhouse.query({
      query: `SELECT node, count() AS requests, countIf(status = 'error') AS errors,
                     quantilesExact(0.5, 0.95, 0.99)(latency_ms) AS latency,
                     quantilesExactIf(0.5, 0.95, 0.99)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL) AS ttft,
                     countIf(ttft_ms IS NOT NULL) AS ttft_requests
              FROM ${this.database}.requests FINAL
              WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
                AND node != '' ${nodes.length > 0 ? 'AND node IN {nodes:Array(String)}' : ''}
              GROUP BY node ORDER BY node
              LIMIT 10000`,
      query_params: { nodes: [...nodes], from: clickhouseTime(from), to: clickhouseTime(to) },
      format: 'JSONEachRow',
    });
    return result.json();
  }
}

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClickhouseBatchWriter, type RollupRebuild, type WriteOutcome } from '../../engine/clickhouse/clickhouse-batch-writer';
import { CLICKHOUSE, CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { clickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { tableRollups } from '../../engine/clickhouse/rollup-rebuild';
import { gpuSampleColumns, gpuSampleKey, timestampMsOfRow, type GpuSampleRow } from './gpu-sample-row';
import { GpuResolution } from './series-resolution';

/** Per GPU over a window or a bucket: the rollup columns merged (sums, counts, peaks), averages derived. */
export interface GpuAggregateRecord {
  time?: string;
  node: string;
  gpu_uuid: string;
  mig_instance: string;
  gpu_index: number;
  gpu_name: string;
  samples: string;
  first_seen: string;
  last_seen: string;
  utilization_avg: number | null;
  utilization_max: number | null;
  memory_used_avg: number | null;
  memory_used_max: string | null;
  memory_total_max: string | null;
  power_avg: number | null;
  power_max: number | null;
  power_limit_max: number | null;
  temperature_avg: number | null;
  temperature_max: number | null;
  sm_clock_avg: number | null;
  ecc_errors_min: string | null;
  ecc_errors_max: string | null;
  throttle_reasons: string[];
  throttled_samples: string;
}

export interface NodeSeriesRecord {
  time: string;
  gpus: string;
  utilization_avg: number | null;
  utilization_max: number | null;
  memory_used_bytes: number | null;
  memory_total_bytes: string | null;
  power_watts: number | null;
  temperature_max: number | null;
}

export interface GpuInventoryRecord {
  node: string;
  gpu_uuid: string;
  mig_instance: string;
  gpu_index: number;
  gpu_name: string;
  last_seen: string;
}

/** The latest sample of one GPU: [gpu_index, gpu_name, utilization, memory used, memory total, power, power limit,
 * temperature, sm clock, ecc total, throttle reasons], as ClickHouse answers a tuple. */
export interface GpuLatestRecord {
  node: string;
  gpu_uuid: string;
  mig_instance: string;
  last_seen: string;
  latest: [number, string, number | null, string | null, string | null, number | null, number | null, number | null, string | null, string | null, string[]];
}

export interface NodeHourPowerRecord {
  hour: string;
  node: string;
  gpu_uuid: string;
  power_milliwatts_sum: string;
  power_count: string;
}

export interface GpuScope {
  nodes?: string[];
  node?: string;
  gpuUuid?: string;
}

// Benign clock-event reasons: idle clocks and the operator's own clock settings are not throttling.
export const throttlingReasons = ['sw_power_cap', 'hw_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown', 'sw_thermal_slowdown'];

// The same output columns from any source, merged from the rollup's sums and counts. Keep in step with the
// materialized views in migrations/clickhouse/0002_gpu_samples.sql.
const mergedMeasures = `
  argMax(s.gpu_index, s.last_seen) AS gpu_index, argMax(s.gpu_name, s.last_seen) AS gpu_name,
  sum(s.samples) AS samples, min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen,
  sum(s.utilization_sum) / nullIf(sum(s.utilization_count), 0) AS utilization_avg, max(s.utilization_max) AS utilization_max,
  sum(s.memory_used_sum) / nullIf(sum(s.memory_used_count), 0) AS memory_used_avg, max(s.memory_used_max) AS memory_used_max,
  max(s.memory_total_max) AS memory_total_max,
  sum(s.power_milliwatts_sum) / 1000 / nullIf(sum(s.power_count), 0) AS power_avg, max(s.power_max) AS power_max,
  max(s.power_limit_max) AS power_limit_max,
  sum(s.temperature_sum) / nullIf(sum(s.temperature_count), 0) AS temperature_avg, max(s.temperature_max) AS temperature_max,
  sum(s.sm_clock_sum) / nullIf(sum(s.sm_clock_count), 0) AS sm_clock_avg,
  min(s.ecc_errors_min) AS ecc_errors_min, max(s.ecc_errors_max) AS ecc_errors_max,
  arraySort(groupUniqArrayArray(s.throttle_reasons)) AS throttle_reasons, sum(s.throttled_samples) AS throttled_samples`;

// Raw rows shaped like rollup rows (one sample each), so one merge serves every source.
const rawAsRollup = `
  timestamp AS bucket, node, gpu_uuid, mig_instance, gpu_index, gpu_name, toUInt64(1) AS samples,
  timestamp AS first_seen, timestamp AS last_seen,
  toFloat64(ifNull(utilization_ratio, 0)) AS utilization_sum, toUInt64(utilization_ratio IS NOT NULL) AS utilization_count,
  utilization_ratio AS utilization_max,
  ifNull(memory_used_bytes, 0) AS memory_used_sum, toUInt64(memory_used_bytes IS NOT NULL) AS memory_used_count,
  memory_used_bytes AS memory_used_max, memory_total_bytes AS memory_total_max,
  toUInt64(round(ifNull(power_draw_watts, 0) * 1000)) AS power_milliwatts_sum, toUInt64(power_draw_watts IS NOT NULL) AS power_count,
  power_draw_watts AS power_max, power_limit_watts AS power_limit_max,
  toFloat64(ifNull(temperature_celsius, 0)) AS temperature_sum, toUInt64(temperature_celsius IS NOT NULL) AS temperature_count,
  temperature_celsius AS temperature_max,
  ifNull(sm_clock_hertz, 0) AS sm_clock_sum, toUInt64(sm_clock_hertz IS NOT NULL) AS sm_clock_count,
  ecc_errors_total AS ecc_errors_min, ecc_errors_total AS ecc_errors_max,
  arrayMap(reason -> toString(reason), source.throttle_reasons) AS throttle_reasons,
  toUInt64(hasAny(source.throttle_reasons, {throttling:Array(String)})) AS throttled_samples`;

/** The only place with GPU SQL: writes through the batching writer (deduplicated), reads raw rows and rollups. */
@Injectable()
export class GpuRepository implements OnModuleInit {
  private readonly database: string;
  private readonly samplesTable: string;
  /** The 1-minute and 1-hour rollups rebuilt from the stored samples, after a crash on the embedded engine. */
  readonly rollups: RollupRebuild;

  constructor(
    private readonly writer: ClickhouseBatchWriter,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(CONFIG) config: WardenConfig,
  ) {
    this.database = config.clickhouse.database;
    this.samplesTable = `${this.database}.gpu_samples`;
    this.rollups = tableRollups(clickhouse, { table: this.samplesTable, timeColumn: 'timestamp' });
  }

  onModuleInit(): void {
    this.writer.registerStream<GpuSampleRow>({
      // The table's name is the stream's name in the write-ahead log, as it always was.
      name: this.samplesTable,
      table: this.samplesTable,
      columns: gpuSampleColumns,
      rollups: this.rollups,
      // The stored rows are their own record: the key columns lead the sort key under the hour, so a batch's keys
      // are found by reading only the hours and GPUs the batch touches.
      deduplication: {
      keyOf: (row) => gpuSampleKey(row.node, row.gpu_uuid, row.mig_instance, timestampMsOfRow(row)),
      findStoredKeys: async (keys) => {
        const parts = keys.map((key) => key.split('\u0000'));
        const times = parts.map((part) => Number(part[3]));
        const result = await this.clickhouse.query({
          query: `SELECT node, gpu_uuid, mig_instance, toUnixTimestamp64Milli(timestamp) AS ms FROM ${this.samplesTable}
                  WHERE timestamp >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND timestamp <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
                    AND node IN {nodes:Array(String)} AND gpu_uuid IN {uuids:Array(String)}
                    AND toUnixTimestamp64Milli(timestamp) IN {times:Array(Int64)}`,
          query_params: {
            from: times.reduce((least, time) => Math.min(least, time), Infinity),
            to: times.reduce((most, time) => Math.max(most, time), -Infinity),
            nodes: [...new Set(parts.map((part) => part[0]))],
            uuids: [...new Set(parts.map((part) => part[1]))],
            times: [...new Set(times)],
          },
          format: 'JSONCompactEachRow',
        });
        const rows = await result.json<[string, string, string, string]>();
        return new Set(rows.map(([node, uuid, mig, ms]) => gpuSampleKey(node, uuid, mig, Number(ms))));
      },
      },
    });
  }

  /** Resolves once stored; samples already stored come back as duplicates and are not written again. */
  writeSamples(rows: GpuSampleRow[]): Promise<WriteOutcome> {
    return this.writer.write(this.samplesTable, rows);
  }

  /** GPUs seen in [since, at]: closed hours from the hourly rollup, the current hour from raw rows. */
  async inventory(since: Date, at: Date, scope: GpuScope): Promise<GpuInventoryRecord[]> {
    const { condition, params } = scopeCondition(scope);
    const result = await this.clickhouse.query({
      query: `SELECT node, gpu_uuid, mig_instance, argMax(gpu_index, seen) AS gpu_index, argMax(gpu_name, seen) AS gpu_name, max(seen) AS last_seen
              FROM (
                SELECT node, gpu_uuid, mig_instance, gpu_index, gpu_name, last_seen AS seen FROM ${this.database}.gpu_samples_1h
                WHERE bucket >= toStartOfHour({since:DateTime64(3, 'UTC')}) AND bucket < toStartOfHour({at:DateTime64(3, 'UTC')}) ${condition}
                UNION ALL
                SELECT node, gpu_uuid, mig_instance, gpu_index, gpu_name, timestamp AS seen FROM ${this.samplesTable}
                WHERE timestamp >= toStartOfHour({at:DateTime64(3, 'UTC')}) AND timestamp <= {at:DateTime64(3, 'UTC')} ${condition}
              )
              WHERE seen >= {since:DateTime64(3, 'UTC')}
              GROUP BY node, gpu_uuid, mig_instance
              ORDER BY node, gpu_index, gpu_uuid, mig_instance
              LIMIT 100000`,
      query_params: { ...params, since: clickhouseTime(since), at: clickhouseTime(at) },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /** The latest sample of every GPU that reported in (from, at]. */
  async latest(from: Date, at: Date, scope: GpuScope): Promise<GpuLatestRecord[]> {
    const { condition, params } = scopeCondition(scope);
    const result = await this.clickhouse.query({
      query: `SELECT node, gpu_uuid, mig_instance, max(timestamp) AS last_seen,
                     argMax((gpu_index, gpu_name, utilization_ratio, memory_used_bytes, memory_total_bytes, power_draw_watts,
                             power_limit_watts, temperature_celsius, sm_clock_hertz, ecc_errors_total,
                             arrayMap(reason -> toString(reason), throttle_reasons)), timestamp) AS latest
              FROM ${this.samplesTable}
              WHERE timestamp > {from:DateTime64(3, 'UTC')} AND timestamp <= {at:DateTime64(3, 'UTC')} ${condition}
              GROUP BY node, gpu_uuid, mig_instance`,
      query_params: { ...params, from: clickhouseTime(from), at: clickhouseTime(at) },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /** Per GPU and bucket of `bucketSeconds` over [from, to). */
  async gpuSeries(resolution: GpuResolution, bucketSeconds: number, from: Date, to: Date, scope: GpuScope): Promise<GpuAggregateRecord[]> {
    const { sql, params } = this.perGpuBucketsSql(resolution, bucketSeconds, from, to, scope);
    const result = await this.clickhouse.query({ query: `${sql} ORDER BY node, gpu_uuid, mig_instance, time LIMIT 1000000`, query_params: params, format: 'JSONEachRow' });
    return result.json();
  }

  /** Per bucket across the GPUs in scope: mean utilisation, summed memory and power, hottest temperature. */
  async nodeSeries(resolution: GpuResolution, bucketSeconds: number, from: Date, to: Date, scope: GpuScope): Promise<NodeSeriesRecord[]> {
    const { sql, params } = this.perGpuBucketsSql(resolution, bucketSeconds, from, to, scope);
    const result = await this.clickhouse.query({
      query: `SELECT g.time AS time, count() AS gpus, avg(g.utilization_avg) AS utilization_avg, max(g.utilization_max) AS utilization_max,
                     sum(g.memory_used_avg) AS memory_used_bytes, sum(g.memory_total_max) AS memory_total_bytes,
                     sum(g.power_avg) AS power_watts, max(g.temperature_max) AS temperature_max
              FROM (${sql}) AS g GROUP BY time ORDER BY time LIMIT 100000`,
      query_params: params,
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /** Per GPU over the whole of [from, to). */
  async gpuWindow(resolution: GpuResolution, from: Date, to: Date, scope: GpuScope): Promise<GpuAggregateRecord[]> {
    const source = this.sourceSql(resolution, scope);
    const result = await this.clickhouse.query({
      query: `SELECT node, gpu_uuid, mig_instance, ${mergedMeasures} FROM (${source.sql}) AS s
              GROUP BY node, gpu_uuid, mig_instance ORDER BY node, gpu_index, gpu_uuid, mig_instance LIMIT 100000`,
      query_params: { ...source.params, from: clickhouseTime(from), to: clickhouseTime(to) },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /**
   * The same per node and hour, each GPU's sums side by side in arrays: one row per node-hour instead of one per GPU,
   * which is what costing node-hours reads (a month of an 8-GPU fleet is 8× fewer rows to move and parse).
   */
  async hourlyPowerByNodeHour(from: Date, to: Date, nodes: string[]): Promise<Array<{ hour: number; node: string; sums: string[]; counts: string[] }>> {
    const result = await this.clickhouse.query({
      query: `SELECT toUInt32(hour) AS hour, node, groupArray(toString(power_milliwatts_sum)) AS sums, groupArray(toString(power_count)) AS counts
              FROM (SELECT bucket AS hour, node, gpu_uuid, sum(h.power_milliwatts_sum) AS power_milliwatts_sum, sum(h.power_count) AS power_count
                    FROM ${this.database}.gpu_samples_1h AS h
                    WHERE bucket >= {from:DateTime64(3, 'UTC')} AND bucket < {to:DateTime64(3, 'UTC')}
                      AND node IN {nodes:Array(String)} AND mig_instance = ''
                    GROUP BY hour, node, gpu_uuid)
              GROUP BY hour, node`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), nodes },
      format: 'JSONCompactEachRowWithNames',
    });
    const [names, ...rows] = await result.json<unknown[]>();
    const at = (name: string) => (names as string[]).indexOf(name);
    return rows.map((row) => ({ hour: Number(row[at('hour')]), node: String(row[at('node')]), sums: row[at('sums')] as string[], counts: row[at('counts')] as string[] }));
  }

  /** Measured power per node, hour and whole GPU over [from, to) (hours), from the hourly rollup. */
  async hourlyPower(from: Date, to: Date, nodes: string[]): Promise<NodeHourPowerRecord[]> {
    const result = await this.clickhouse.query({
      query: `SELECT bucket AS hour, node, gpu_uuid, sum(h.power_milliwatts_sum) AS power_milliwatts_sum, sum(h.power_count) AS power_count
              FROM ${this.database}.gpu_samples_1h AS h
              WHERE bucket >= {from:DateTime64(3, 'UTC')} AND bucket < {to:DateTime64(3, 'UTC')}
                AND node IN {nodes:Array(String)} AND mig_instance = ''
              GROUP BY hour, node, gpu_uuid ORDER BY hour, node, gpu_uuid`,
      query_params: { from: clickhouseTime(from), to: clickhouseTime(to), nodes },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  private perGpuBucketsSql(resolution: GpuResolution, bucketSeconds: number, from: Date, to: Date, scope: GpuScope) {
    const source = this.sourceSql(resolution, scope);
    return {
      sql: `SELECT toStartOfInterval(bucket, INTERVAL {bucketSeconds:UInt32} SECOND, 'UTC') AS time, node, gpu_uuid, mig_instance, ${mergedMeasures}
            FROM (${source.sql}) AS s GROUP BY time, node, gpu_uuid, mig_instance`,
      params: { ...source.params, bucketSeconds, from: clickhouseTime(from), to: clickhouseTime(to) },
    };
  }

  /** Rollup-shaped rows in [{from}, {to}) from the source the resolution names. */
  private sourceSql(resolution: GpuResolution, scope: GpuScope): { sql: string; params: Record<string, unknown> } {
    const { condition, params } = scopeCondition(scope);
    if (resolution === GpuResolution.RAW) {
      return {
        sql: `SELECT ${rawAsRollup} FROM ${this.samplesTable} AS source
              WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')} ${condition}`,
        params: { ...params, throttling: throttlingReasons },
      };
    }
    const table = resolution === GpuResolution.MINUTE ? 'gpu_samples_1m' : 'gpu_samples_1h';
    return {
      sql: `SELECT * FROM ${this.database}.${table}
            WHERE bucket >= {from:DateTime64(3, 'UTC')} AND bucket < {to:DateTime64(3, 'UTC')} ${condition}`,
      params,
    };
  }
}

function scopeCondition(scope: GpuScope): { condition: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope.nodes) {
    conditions.push('node IN {scopeNodes:Array(String)}');
    params.scopeNodes = scope.nodes;
  }
  if (scope.node !== undefined) {
    conditions.push('node = {scopeNode:String}');
    params.scopeNode = scope.node;
  }
  if (scope.gpuUuid !== undefined) {
    conditions.push('gpu_uuid = {scopeGpuUuid:String}');
    params.scopeGpuUuid = scope.gpuUuid;
  }
  return { condition: conditions.map((condition) => `AND ${condition}`).join(' '), params };
}

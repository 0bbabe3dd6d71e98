import type { ClickHouseClient } from '@clickhouse/client';
import type { RollupRebuild } from './clickhouse-batch-writer';
import { dateFromClickhouseTime } from './clickhouse-time';

/*
 * The summing rollups a table's materialized views fill, rebuilt for some hours from the table's current rows: each
 * rollup's buckets in those hours are deleted, then the table's rows of those hours are sent through its views again
 * (inserted into the table once more: it is a ReplacingMergeTree, so each copy collapses into its original). The
 * views' own SELECTs stay the only definition of every rollup.
 *
 * Used after a crash on the embedded engine (clickhouse-batch-writer.ts, point 4): one process owns that engine and
 * repairs before it serves, so nothing writes meanwhile. Running it twice gives the same rollups.
 */

export interface RollupRebuildOptions {
  /** database.table the writer fills. */
  table: string;
  /** The column whose hour places a row in the rollups (in the writer's columns, as ClickHouse time text). */
  timeColumn: string;
  /**
   * Expressions that turn a stored row into the original it now stands for, where rows carry a revision's
   * difference (requests: { is_revision: '0', previous_cost_nano_usd: 'NULL' }).
   */
  asOriginal?: Record<string, string>;
}

interface SummingRollup {
  table: string;
  /** The rollup's first sort-key column: its time bucket (an hour, a minute). */
  bucketColumn: string;
}

const collapsingEngines = new Set(['ReplacingMergeTree', 'ReplicatedReplacingMergeTree']);
const summingEngines = new Set(['AggregatingMergeTree', 'SummingMergeTree', 'ReplicatedAggregatingMergeTree', 'ReplicatedSummingMergeTree']);

export function tableRollups(client: ClickHouseClient, options: RollupRebuildOptions): RollupRebuild {
  return {
    async rebuildFor(rows) {
      const hours = hoursOf(rows.map((row) => row[options.timeColumn]));
      if (hours.length === 0) return;
      for (const rollup of await summingRollupsOf(client, options.table)) {
        await client.command({
          query: `ALTER TABLE ${rollup.table} DELETE WHERE toStartOfHour(${rollup.bucketColumn}) IN {hours:Array(DateTime('UTC'))} SETTINGS mutations_sync = 2`,
          query_params: { hours },
        });
      }
      const replace = Object.entries(options.asOriginal ?? {}).map(([column, expression]) => `${expression} AS ${column}`);
      await client.command({
        query:
          `INSERT INTO ${options.table} SETTINGS insert_deduplicate = 0, deduplicate_blocks_in_dependent_materialized_views = 0 ` +
          `SELECT * ${replace.length > 0 ? `REPLACE (${replace.join(', ')})` : ''} FROM ${options.table} FINAL ` +
          `WHERE toStartOfHour(${options.timeColumn}) IN {hours:Array(DateTime('UTC'))}`,
        query_params: { hours },
      });
    },
  };
}

/** The distinct hours of these time values, as DateTime text. */
function hoursOf(values: unknown[]): string[] {
  const hours = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const date = typeof value === 'number' ? new Date(value) : dateFromClickhouseTime(value);
    if (Number.isNaN(date.getTime())) continue;
    hours.add(`${date.toISOString().slice(0, 13).replace('T', ' ')}:00:00`);
  }
  return [...hours];
}

/**
 * The summing tables the views on `table` fill, directly or through another view's table. A view into a table that
 * neither sums nor collapses copies could not be rebuilt this way: that is refused, not guessed at.
 */
async function summingRollupsOf(client: ClickHouseClient, table: string): Promise<SummingRollup[]> {
  const result = await client.query({
    query: `SELECT concat(database, '.', name) AS table, engine, create_table_query AS ddl, sorting_key AS sortingKey,
                   arrayMap((d, t) -> concat(d, '.', t), dependencies_database, dependencies_table) AS dependents
            FROM system.tables WHERE database = {database:String}`,
    query_params: { database: table.slice(0, table.indexOf('.')) },
    format: 'JSONEachRow',
  });
  const tables = new Map((await result.json<{ table: string; engine: string; ddl: string; sortingKey: string; dependents: string[] }>()).map((row) => [row.table, row]));
  const rollups: SummingRollup[] = [];
  const visit = (source: string, seen: Set<string>) => {
    for (const view of tables.get(source)?.dependents ?? []) {
      const target = /\bTO\s+`?([\w]+)`?\.`?([\w]+)`?/i.exec(tables.get(view)?.ddl ?? '');
      if (!target) continue;
      const name = `${target[1]}.${target[2]}`;
      const definition = tables.get(name);
      if (!definition || seen.has(name)) continue;
      seen.add(name);
      if (summingEngines.has(definition.engine)) {
        rollups.push({ table: name, bucketColumn: definition.sortingKey.split(',')[0].trim() });
      } else if (!collapsingEngines.has(definition.engine)) {
        throw new Error(`${view} fills ${name} (${definition.engine}), which a repair after a crash cannot rebuild`);
      }
      visit(name, seen);
    }
  };
  visit(table, new Set());
  return rollups;
}

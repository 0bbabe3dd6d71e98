import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A sharded cluster keeps each table as a local table on every shard (`name_local`) under a `Distributed` table with
 * the table's own name, through which the application reads and writes. Materialized views stay local: a shard's
 * view fills its shard's rollup from its shard's rows. Each table's sharding key keeps every copy of one key on one
 * shard, so per-shard deduplication (ReplacingMergeTree, FINAL, the keys tables) stays exact across the cluster.
 *
 * Migrations are written for a single table each (`{{database}}.requests`); this turns their rendered statements
 * into the sharded form, so a cluster is a setting, not a fork of the migrations.
 */
export interface ShardingPlan {
  database: string;
  cluster: string;
  /** Sharding key per table (migrations/clickhouse/sharding.json); tables without one are only read through. */
  keys: Record<string, string>;
}

export function readShardingKeys(migrationsDirectory: string): Record<string, string> {
  const file = path.join(migrationsDirectory, 'sharding.json');
  if (!fs.existsSync(file)) return {};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { shardingKeys?: Record<string, string> };
  return parsed.shardingKeys ?? {};
}

const identifier = '([A-Za-z_][A-Za-z0-9_]*)';

export function shardStatements(statements: string[], plan: ShardingPlan): string[] {
  const database = plan.database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const onCluster = `ON CLUSTER '${plan.cluster}'`;
  const local = (name: string) => `${plan.database}.${name}_local`;
  const isView = (name: string) => name.endsWith('_mv');
  /** Every table reference becomes its local table; views keep their names. */
  const localize = (statement: string) =>
    statement.replace(new RegExp(`\\b${database}\\.${identifier}\\b`, 'g'), (match, name: string) => (isView(name) ? match : local(name)));
  const distributed = (name: string) => {
    const key = plan.keys[name];
    return (
      `CREATE TABLE IF NOT EXISTS ${plan.database}.${name} ${onCluster} AS ${local(name)} ` +
      `ENGINE = Distributed('${plan.cluster}', '${plan.database}', '${name}_local'${key ? `, ${key}` : ''})`
    );
  };
  const result: string[] = [];
  for (const statement of statements) {
    const createTable = new RegExp(`^CREATE TABLE IF NOT EXISTS ${database}\\.${identifier}\\b`).exec(statement);
    const alterTable = new RegExp(`^ALTER TABLE ${database}\\.${identifier}\\b`).exec(statement);
    const dropTable = new RegExp(`^DROP TABLE IF EXISTS ${database}\\.${identifier}\\b`).exec(statement);
    if (createTable) {
      result.push(localize(statement), distributed(createTable[1]));
    } else if (alterTable) {
      result.push(localize(statement));
      // The Distributed table mirrors the columns; settings, codecs and TTLs belong to the local table only.
      if (/\b(ADD|DROP|RENAME) COLUMN\b/.test(statement)) result.push(statement);
    } else if (dropTable) {
      result.push(statement, localize(statement));
    } else {
      // Views, TRUNCATE and INSERT … SELECT work on the local tables. (An INSERT … SELECT in a migration runs on the
      // node that migrates: a backfill of existing data is for single-server installs; a cluster starts empty.)
      result.push(localize(statement));
    }
  }
  return result;
}

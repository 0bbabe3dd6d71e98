import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { readShardingKeys, shardStatements } from './sharded-ddl';

export interface ClickhouseTopology {
  database: string;
  /** Set for a cluster install: every DDL gets `ON CLUSTER <name>`. */
  cluster?: string;
  /** Use Replicated* engines (server defaults for the ZooKeeper path and replica name). */
  replicated: boolean;
  /** Local tables on every shard under Distributed tables (needs `cluster`); see sharded-ddl.ts. */
  sharded?: boolean;
}

export interface ClickhouseMigration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

const migrationFilePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Quoted: cluster names may hold '-' and '.', which an unquoted identifier cannot (config allows only [A-Za-z0-9_.-]). */
function onClusterClause(topology: ClickhouseTopology): string {
  return topology.cluster ? `ON CLUSTER '${topology.cluster}'` : '';
}

/**
 * Renders the placeholders migrations use so one SQL file serves a single server, the embedded engine and a
 * replicated cluster: {{database}}, {{on_cluster}}, {{engine:Name(args)}}.
 */
export function renderMigrationSql(sql: string, topology: ClickhouseTopology): string {
  return sql
    .replaceAll('{{database}}', topology.database)
    .replaceAll('{{on_cluster}}', onClusterClause(topology))
    .replace(/\{\{engine:([A-Za-z]+)(\([^)]*\))?\}\}/g, (_match, engine: string, args?: string) =>
      topology.replicated ? `Replicated${engine}${args ?? ''}` : `${engine}${args ?? ''}`,
    );
}

/** Splits on semicolons that end a line; comments are dropped so an empty statement is never sent. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) =>
      statement
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((statement) => statement.length > 0);
}

export function readClickhouseMigrations(directory: string, topology: ClickhouseTopology): ClickhouseMigration[] {
  const files = fs.readdirSync(directory).filter((file) => file.endsWith('.sql')).sort();
  if (topology.sharded && !topology.cluster) throw new Error('a sharded ClickHouse install needs a cluster name (CLICKHOUSE_CLUSTER)');
  const sharding = topology.sharded ? { database: topology.database, cluster: topology.cluster!, keys: readShardingKeys(directory) } : null;
  return files.map((file) => {
    const match = migrationFilePattern.exec(file);
    if (!match) throw new Error(`ClickHouse migration ${file} must be named NNNN_snake_case_name.sql`);
    const source = fs.readFileSync(path.join(directory, file), 'utf8');
    return {
      version: Number(match[1]),
      name: match[2],
      statements: sharding ? shardStatements(splitStatements(renderMigrationSql(source, topology)), sharding) : splitStatements(renderMigrationSql(source, topology)),
      checksum: crypto.createHash('sha256').update(source).digest('hex'),
    };
  });
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/** Applies pending migrations in order and records each in a ledger table; an edited applied migration is refused. */
export async function migrateClickhouse(
  client: ClickHouseClient,
  directory: string,
  topology: ClickhouseTopology,
): Promise<MigrationReport> {
  const onCluster = onClusterClause(topology);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${topology.database} ${onCluster}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${topology.database}.schema_migrations ${onCluster}
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${topology.replicated ? 'ReplicatedReplacingMergeTree' : 'ReplacingMergeTree'} ORDER BY version`,
  });
  const ledgerResult = await client.query({
    query: `SELECT version, name, checksum FROM ${topology.database}.schema_migrations FINAL ORDER BY version`,
    format: 'JSONEachRow',
  });
  const ledger = new Map(
    (await ledgerResult.json<{ version: number; name: string; checksum: string }>()).map((row) => [Number(row.version), row]),
  );
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const migration of readClickhouseMigrations(directory, topology)) {
    const recorded = ledger.get(migration.version);
    if (recorded) {
      if (recorded.checksum !== migration.checksum) {
        throw new Error(
          `ClickHouse migration ${migration.version}_${migration.name} was edited after it was applied; add a new migration instead`,
        );
      }
      report.alreadyApplied += 1;
      continue;
    }
    for (const statement of migration.statements) {
      await client.command({ query: statement });
    }
    await client.insert({
      table: `${topology.database}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    report.applied.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
  }
  return report;
}

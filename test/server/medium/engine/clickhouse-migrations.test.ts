import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickhouseClient } from '../../../../server/src/engine/clickhouse/clickhouse-client';
import { migrateClickhouse, readClickhouseMigrations, type ClickhouseTopology } from '../../../../server/src/engine/clickhouse/clickhouse-migrator';
import { clickhouseMigrationsDirectory } from '../../../../server/src/engine/engines';
import { temporaryDirectory } from '../../../support/test-engines';

const topology: ClickhouseTopology = { database: 'migration_test', replicated: false };

async function rows<Row>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<Row[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<Row>();
}

describe('ClickHouse migrations on the embedded engine', () => {
  let dataDir: string;
  let client: ClickHouseClient;
  const migrationFiles = fs.readdirSync(clickhouseMigrationsDirectory).filter((file) => file.endsWith('.sql')).sort();

  beforeAll(() => {
    dataDir = temporaryDirectory('clickhouse-migrations');
    client = createClickhouseClient({ dataDir, database: topology.database });
  });
  afterAll(async () => {
    await client?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies every migration in order and records each in the ledger', async () => {
    const report = await migrateClickhouse(client, clickhouseMigrationsDirectory, topology);
    expect(report.applied).toEqual(migrationFiles.map((file) => file.replace(/\.sql$/, '')));
    expect(report.alreadyApplied).toBe(0);
    const ledger = await rows<{ version: number; name: string; checksum: string }>(
      client,
      `SELECT version, name, checksum FROM ${topology.database}.schema_migrations FINAL ORDER BY version`,
    );
    const expected = readClickhouseMigrations(clickhouseMigrationsDirectory, topology);
    expect(ledger.map((row) => ({ version: Number(row.version), name: row.name, checksum: row.checksum }))).toEqual(
      expected.map((migration) => ({ version: migration.version, name: migration.name, checksum: migration.checksum })),
    );
  });

  it('creates requests, request_ids and requests_hourly with a TTL, and the rollup view', async () => {
    const tables = await rows<{ name: string; engine: string; engine_full: string; create_table_query: string }>(
      client,
      'SELECT name, engine, engine_full, create_table_query FROM system.tables WHERE database = {database:String} ORDER BY name',
      { database: topology.database },
    );
    const byName = new Map(tables.map((table) => [table.name, table]));
    expect(byName.get('requests')?.engine).toBe('ReplacingMergeTree');
    expect(byName.get('request_ids')?.engine).toBe('ReplacingMergeTree');
    expect(byName.get('requests_hourly')?.engine).toBe('AggregatingMergeTree');
    expect(byName.get('requests_hourly_mv')?.engine).toBe('MaterializedView');
    for (const name of ['requests', 'request_ids', 'requests_hourly']) {
      const table = byName.get(name);
      expect(table, `table ${name} is missing`).toBeDefined();
      expect(table!.engine_full, `${name} has no TTL`).toMatch(/TTL .*toIntervalDay\(retention_days\)/);
      expect(table!.create_table_query).toContain('TTL');
    }
  });

  it('applies nothing when run again', async () => {
    const report = await migrateClickhouse(client, clickhouseMigrationsDirectory, topology);
    expect(report).toEqual({ applied: [], alreadyApplied: migrationFiles.length });
    const ledger = await rows<{ count: string }>(client, `SELECT count() AS count FROM ${topology.database}.schema_migrations FINAL`);
    expect(Number(ledger[0].count)).toBe(migrationFiles.length);
  });

  it('refuses a migration edited after it was applied', async () => {
    const edited = temporaryDirectory('edited-migrations');
    for (const file of migrationFiles) fs.copyFileSync(path.join(clickhouseMigrationsDirectory, file), path.join(edited, file));
    fs.appendFileSync(path.join(edited, migrationFiles[0]), '\n-- an innocent-looking comment\n');
    const [version, name] = migrationFiles[0].replace(/\.sql$/, '').split(/_(.*)/s);
    await expect(migrateClickhouse(client, edited, topology)).rejects.toThrow(
      `ClickHouse migration ${Number(version)}_${name} was edited after it was applied; add a new migration instead`,
    );
    fs.rmSync(edited, { recursive: true, force: true });
  });

  it('sends ON CLUSTER for a cluster install in a form ClickHouse parses, even for a name with "-" and "."', async () => {
    // The embedded engine has no clusters: it must answer "cluster not found", which it can only do after parsing.
    const clustered: ClickhouseTopology = { database: 'migration_cluster_test', cluster: 'eu-west.analytics', replicated: true };
    await expect(migrateClickhouse(client, clickhouseMigrationsDirectory, clustered)).rejects.toThrow(/cluster 'eu-west\.analytics' not found/i);
  });

  it('applies a new migration added after the others, and only that one', async () => {
    const extended = temporaryDirectory('extended-migrations');
    for (const file of migrationFiles) fs.copyFileSync(path.join(clickhouseMigrationsDirectory, file), path.join(extended, file));
    fs.writeFileSync(
      path.join(extended, '9999_probe_table.sql'),
      '-- a later migration\nCREATE TABLE IF NOT EXISTS {{database}}.probe {{on_cluster}} (id String)\nENGINE = {{engine:MergeTree}}\nORDER BY id;\n',
    );
    const report = await migrateClickhouse(client, extended, topology);
    expect(report).toEqual({ applied: ['9999_probe_table'], alreadyApplied: migrationFiles.length });
    const probe = await rows<{ engine: string }>(client, "SELECT engine FROM system.tables WHERE database = {database:String} AND name = 'probe'", { database: topology.database });
    expect(probe).toEqual([{ engine: 'MergeTree' }]);
    fs.rmSync(extended, { recursive: true, force: true });
  });
});

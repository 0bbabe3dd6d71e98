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

  it('creates requests, request_keys and requests_hourly with a TTL, and their views', async () => {
    const tables = await rows<{ name: string; engine: string; engine_full: string; create_table_query: string }>(
      client,
      'SELECT name, engine, engine_full, create_table_query FROM system.tables WHERE database = {database:String} ORDER BY name',
      { database: topology.database },
    );
    const byName = new Map(tables.map((table) => [table.name, table]));
    expect(byName.get('requests')?.engine).toBe('ReplacingMergeTree');
    expect(byName.get('request_keys')?.engine).toBe('ReplacingMergeTree');
    expect(byName.get('request_keys_mv')?.engine).toBe('MaterializedView');
    expect(byName.has('request_ids')).toBe(false);
    expect(byName.get('requests_hourly')?.engine).toBe('AggregatingMergeTree');
    expect(byName.get('requests_hourly_mv')?.engine).toBe('MaterializedView');
    for (const name of ['requests', 'request_keys', 'requests_hourly']) {
      const table = byName.get(name);
      expect(table, `table ${name} is missing`).toBeDefined();
      expect(table!.engine_full, `${name} has no TTL`).toMatch(/TTL .*toIntervalDay\(retention_days\)/);
      expect(table!.create_table_query).toContain('TTL');
    }
  });

  it('upgrades an install with data: rollups rebuilt exactly from the current rows, revisions then add differences', async () => {
    const upgrade: ClickhouseTopology = { database: 'migration_upgrade_test', replicated: false };
    const before = temporaryDirectory('migrations-before-0003');
    for (const file of migrationFiles.filter((name) => name < '0003')) fs.copyFileSync(path.join(clickhouseMigrationsDirectory, file), path.join(before, file));
    await migrateClickhouse(client, before, upgrade);
    const row = (id: string, cost: string | null, ingestedAt: string) => ({
      id, timestamp: '2026-11-29 10:00:00.000', team: 'search', user: 'u', provider: 'openai', node: '', model: 'gpt-4o', operation: 'chat',
      input_tokens: 10, output_tokens: 5, cached_input_tokens: 0, latency_ms: 100, ttft_ms: null, status: 'ok', error_type: '',
      cost_nano_usd: cost, cost_source: cost === null ? 'unknown' : 'catalog', prompt: '', completion: '', metadata: {}, retention_days: 3650,
      ingested_at: ingestedAt,
    });
    // Two requests, one re-priced the old way (a second version): the old rollup counted three.
    await client.insert({
      table: `${upgrade.database}.requests`,
      values: [row('a', '1000', '2026-11-29 11:00:00.000'), row('b', null, '2026-11-29 11:00:00.000'), row('a', '3000', '2026-11-29 12:00:00.000')],
      format: 'JSONEachRow',
    });
    const rollup = async () =>
      (await rows<{ requests: string; cost: string; unpriced: string }>(client, `SELECT sum(requests) AS requests, sum(cost_nano_usd) AS cost, sum(unpriced_requests) AS unpriced FROM ${upgrade.database}.requests_hourly`))[0];
    expect((await rollup()).requests).toBe('3');
    await migrateClickhouse(client, clickhouseMigrationsDirectory, upgrade);
    expect(await rollup()).toEqual({ requests: '2', cost: '3000', unpriced: '1' });
    expect(await rows(client, `SELECT team, id FROM ${upgrade.database}.request_keys FINAL ORDER BY id`)).toEqual([{ team: 'search', id: 'a' }, { team: 'search', id: 'b' }]);
    // A revision prices b: the rollup adds its cost and counts one unpriced request less, and no request more.
    await client.insert({
      table: `${upgrade.database}.requests`,
      values: [{ ...row('b', '500', '2026-11-29 13:00:00.000'), is_revision: 1, previous_cost_nano_usd: null }],
      format: 'JSONEachRow',
    });
    expect(await rollup()).toEqual({ requests: '2', cost: '3500', unpriced: '0' });
    fs.rmSync(before, { recursive: true, force: true });
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

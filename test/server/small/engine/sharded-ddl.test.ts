import { describe, expect, it } from 'vitest';
import { readClickhouseMigrations } from '../../../../server/src/engine/clickhouse/clickhouse-migrator';
import { clickhouseMigrationsDirectory } from '../../../../server/src/engine/engines';

const topology = { database: 'warden', cluster: 'prod-eu.main', replicated: true, sharded: true };

/** Every statement the migrations send to a sharded, replicated cluster, as text. */
const statements = readClickhouseMigrations(clickhouseMigrationsDirectory, topology).flatMap((migration) => migration.statements);
const find = (pattern: RegExp) => statements.filter((statement) => pattern.test(statement));

describe('migrations rendered for a sharded cluster', () => {
  it('creates each table as a replicated local table on every shard, under a Distributed table of its own name', () => {
    const requestsLocal = find(/^CREATE TABLE IF NOT EXISTS warden\.requests_local ON CLUSTER 'prod-eu\.main'/);
    expect(requestsLocal).toHaveLength(1);
    expect(requestsLocal[0]).toContain('ENGINE = ReplicatedReplacingMergeTree(ingested_at)');
    expect(find(/^CREATE TABLE IF NOT EXISTS warden\.requests ON CLUSTER/)).toEqual([
      "CREATE TABLE IF NOT EXISTS warden.requests ON CLUSTER 'prod-eu.main' AS warden.requests_local ENGINE = Distributed('prod-eu.main', 'warden', 'requests_local', cityHash64(team, id))",
    ]);
    expect(find(/^CREATE TABLE IF NOT EXISTS warden\.gpu_samples ON CLUSTER/)[0]).toContain("'gpu_samples_local', cityHash64(node, gpu_uuid))");
    // Rollups and key tables are filled on each shard and read through Distributed tables with no key.
    expect(find(/^CREATE TABLE IF NOT EXISTS warden\.requests_hourly ON CLUSTER/).at(-1)).toMatch(/Distributed\('prod-eu\.main', 'warden', 'requests_hourly_local'\)$/);
    expect(find(/^CREATE TABLE IF NOT EXISTS warden\.gpu_samples_1h_local ON CLUSTER 'prod-eu\.main' AS warden\.gpu_samples_1m_local/)).toHaveLength(1);
  });

  it("keeps views local: a shard's view reads its shard's rows and fills its shard's rollup", () => {
    const hourly = find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS warden\.requests_hourly_mv /).at(-1)!;
    expect(hourly).toContain('TO warden.requests_hourly_local');
    expect(hourly).toContain('FROM warden.requests_local AS source');
    const keys = find(/^CREATE MATERIALIZED VIEW IF NOT EXISTS warden\.request_keys_mv /)[0];
    expect(keys).toContain('TO warden.request_keys_local');
    expect(keys).toContain('FROM warden.requests_local');
  });

  it('adds columns to the local and the Distributed table, settings to the local table only', () => {
    const addColumns = find(/^ALTER TABLE warden\.requests(_local)? ON CLUSTER .*ADD COLUMN IF NOT EXISTS is_revision/s);
    expect(addColumns.map((statement) => statement.split(' ')[2])).toEqual(['warden.requests_local', 'warden.requests']);
    const settings = find(/MODIFY SETTING non_replicated_deduplication_window/);
    expect(settings.every((statement) => /^ALTER TABLE warden\.\w+_local /.test(statement))).toBe(true);
  });

  it('never leaves a statement that writes a Distributed table in a view or a backfill', () => {
    for (const statement of find(/^(CREATE MATERIALIZED VIEW|INSERT INTO|TRUNCATE)/)) {
      for (const reference of statement.match(/warden\.\w+/g) ?? []) expect(reference, statement).toMatch(/_local$|_mv$/);
    }
  });

  it('refuses a sharded topology without a cluster', () => {
    expect(() => readClickhouseMigrations(clickhouseMigrationsDirectory, { database: 'warden', replicated: true, sharded: true })).toThrow(/needs a cluster name/);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readClickhouseMigrations,
  renderMigrationSql,
  splitStatements,
} from '../../../../server/src/engine/clickhouse/clickhouse-migrator';
import { repositoryRoot, temporaryDirectory } from '../../../support/test-engines';

const source = `-- a table
CREATE TABLE IF NOT EXISTS {{database}}.events {{on_cluster}}
(
    id String -- the key
)
ENGINE = {{engine:ReplacingMergeTree(ingested_at)}}
ORDER BY id;

-- an aggregate
CREATE TABLE IF NOT EXISTS {{database}}.events_hourly {{on_cluster}} (hour DateTime)
ENGINE = {{engine:AggregatingMergeTree}}
ORDER BY hour;
`;

describe('renderMigrationSql', () => {
  it('renders a single server: no ON CLUSTER, plain engines', () => {
    const sql = renderMigrationSql(source, { database: 'warden', replicated: false });
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS warden.events \n');
    expect(sql).toContain('ENGINE = ReplacingMergeTree(ingested_at)');
    expect(sql).toContain('ENGINE = AggregatingMergeTree\n');
    expect(sql).not.toContain('ON CLUSTER');
    expect(sql).not.toContain('{{');
  });

  it('renders a replicated cluster: ON CLUSTER on every DDL and Replicated engines with their arguments', () => {
    const sql = renderMigrationSql(source, { database: 'observability', cluster: 'main_cluster', replicated: true });
    expect(sql.match(/ON CLUSTER 'main_cluster'/g)).toHaveLength(2);
    expect(sql).toContain("CREATE TABLE IF NOT EXISTS observability.events ON CLUSTER 'main_cluster'");
    expect(sql).toContain('ENGINE = ReplicatedReplacingMergeTree(ingested_at)');
    expect(sql).toContain('ENGINE = ReplicatedAggregatingMergeTree\n');
    expect(sql).not.toContain('{{');
  });

  it('quotes the cluster name, which may hold "-" and "." (an unquoted one is a syntax error)', () => {
    const sql = renderMigrationSql(source, { database: 'warden', cluster: 'eu-west.analytics', replicated: true });
    expect(sql).toContain("ON CLUSTER 'eu-west.analytics'");
  });

  it('keeps cluster and replication independent', () => {
    const clusterOnly = renderMigrationSql(source, { database: 'warden', cluster: 'c1', replicated: false });
    expect(clusterOnly).toContain("ON CLUSTER 'c1'");
    expect(clusterOnly).not.toContain('Replicated');
  });
});

describe('splitStatements', () => {
  it('splits on line-ending semicolons and drops comment lines', () => {
    const statements = splitStatements(renderMigrationSql(source, { database: 'warden', replicated: false }));
    expect(statements).toHaveLength(2);
    expect(statements[0].startsWith('CREATE TABLE IF NOT EXISTS warden.events')).toBe(true);
    expect(statements[1].startsWith('CREATE TABLE IF NOT EXISTS warden.events_hourly')).toBe(true);
    for (const statement of statements) {
      expect(statement.split('\n').some((line) => line.trim().startsWith('--'))).toBe(false);
      expect(statement.endsWith(';')).toBe(false);
    }
  });

  it('never yields an empty statement from comments or blank lines alone', () => {
    expect(splitStatements('-- nothing here;\n\n-- still nothing\n;\n')).toEqual([]);
    expect(splitStatements('SELECT 1;\n-- trailing comment\n')).toEqual(['SELECT 1']);
  });

  it('leaves a semicolon inside a line alone', () => {
    expect(splitStatements("SELECT 'a;b' AS text;\nSELECT 2")).toEqual(["SELECT 'a;b' AS text", 'SELECT 2']);
  });
});

describe('readClickhouseMigrations', () => {
  it('reads the repository migrations in order with a checksum of the unrendered file', () => {
    const migrations = readClickhouseMigrations(path.join(repositoryRoot, 'migrations/clickhouse'), { database: 'warden', cluster: 'c1', replicated: true });
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((migration) => migration.version)).toEqual([...migrations.map((migration) => migration.version)].sort((a, b) => a - b));
    expect(migrations[0]).toMatchObject({ version: 1, name: 'requests', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    for (const statement of migrations[0].statements) {
      expect(statement).toContain("ON CLUSTER 'c1'");
      expect(statement).not.toContain('{{');
    }
    const plain = readClickhouseMigrations(path.join(repositoryRoot, 'migrations/clickhouse'), { database: 'warden', replicated: false });
    expect(plain[0].checksum).toBe(migrations[0].checksum);
  });

  it('refuses a file not named NNNN_snake_case_name.sql', () => {
    const directory = temporaryDirectory('migration-names');
    fs.writeFileSync(path.join(directory, '1-Requests.sql'), 'SELECT 1;');
    expect(() => readClickhouseMigrations(directory, { database: 'warden', replicated: false })).toThrow(/must be named NNNN_snake_case_name\.sql/);
    fs.rmSync(directory, { recursive: true, force: true });
  });
});

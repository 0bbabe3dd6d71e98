import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { postgresMigrations } from '../../../../migrations/postgres';
import { RateHistory1795910400000 } from '../../../../migrations/postgres/1795910400000-rate-history';
import { startEmbeddedPostgres } from '../../../../server/src/engine/postgres/embedded-postgres';
import { createScratchDatabase, temporaryDirectory } from '../../../support/test-engines';

/**
 * The rate-history migration on a database as the landed code left it: each node keeps its rates as one version
 * effective from its creation, and the default catalog's lookahead pattern (which RE2 cannot run) loses its lookahead.
 */
describe('migrating to rate history', () => {
  let dataSource: DataSource;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    let url: string;
    if (process.env.DATABASE_URL) {
      const scratch = await createScratchDatabase(process.env.DATABASE_URL);
      url = scratch.url;
      stop = scratch.drop;
    } else {
      const dataDir = temporaryDirectory('pglite-rate-history');
      const embedded = await startEmbeddedPostgres(dataDir);
      url = embedded.url;
      stop = async () => {
        await embedded.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      };
    }
    const before = postgresMigrations.slice(0, postgresMigrations.indexOf(RateHistory1795910400000));
    dataSource = new DataSource({ type: 'postgres', url, migrations: before, migrationsTableName: 'warden_migrations', extra: { max: 1 } });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await stop?.();
  });

  it('gives each existing node one version from its creation, with the rates it had', async () => {
    await dataSource.query(
      `INSERT INTO inference_nodes (name, kind, hourly_cost_usd, energy_price_usd_per_kwh, power_overhead_factor, created_at)
       VALUES ('old-a', 'vllm', '2.500000000', '0.123456789', '1.200', '2026-01-15T08:30:00Z'), ('old-b', 'tgi', '0', '0', '1', '2026-02-01T00:00:00Z')`,
    );
    await dataSource.query(
      `INSERT INTO prices (model_pattern, provider, input_per_million_usd, output_per_million_usd, effective_from, source)
       VALUES ('gpt-4o(?!-2024-05-13)(-\\d{4}-\\d{2}-\\d{2})?', 'openai', '2.5', '10', '2024-08-06T00:00:00Z', 'warden-default'),
              ('custom(?!x)', 'acme', '1', '1', '2024-08-06T00:00:00Z', 'manual')`,
    );
    const queryRunner = dataSource.createQueryRunner();
    await new RateHistory1795910400000().up(queryRunner);
    await queryRunner.release();

    const versions = (await dataSource.query(
      `SELECT n.name, v.effective_from, v.hourly_cost_usd, v.energy_price_usd_per_kwh, v.power_overhead_factor
       FROM node_rate_versions v JOIN inference_nodes n ON n.id = v.node_id ORDER BY n.name`,
    )) as Array<Record<string, unknown>>;
    expect(versions).toEqual([
      { name: 'old-a', effective_from: new Date('2026-01-15T08:30:00Z'), hourly_cost_usd: '2.500000000', energy_price_usd_per_kwh: '0.123456789', power_overhead_factor: '1.200' },
      { name: 'old-b', effective_from: new Date('2026-02-01T00:00:00Z'), hourly_cost_usd: '0.000000000', energy_price_usd_per_kwh: '0.000000000', power_overhead_factor: '1.000' },
    ]);
    const columns = (await dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'inference_nodes' ORDER BY column_name`)) as Array<{ column_name: string }>;
    expect(columns.map((column) => column.column_name)).not.toContain('hourly_cost_usd');

    const patterns = (await dataSource.query(`SELECT model_pattern, source FROM prices ORDER BY source`)) as Array<{ model_pattern: string; source: string }>;
    // Only the shipped default is rewritten; a manual lookahead stays, and the server leaves it out loudly.
    expect(patterns).toEqual([
      { model_pattern: 'custom(?!x)', source: 'manual' },
      { model_pattern: 'gpt-4o(-\\d{4}-\\d{2}-\\d{2})?', source: 'warden-default' },
    ]);

    // Deleting a node takes its versions with it.
    await dataSource.query(`DELETE FROM inference_nodes WHERE name = 'old-b'`);
    expect((await dataSource.query(`SELECT count(*)::int AS count FROM node_rate_versions`)) as unknown[]).toEqual([{ count: 1 }]);
  });
});

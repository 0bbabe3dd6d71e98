import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../../server/src/engine/postgres/embedded-postgres';
import { createPostgresDataSource } from '../../../../server/src/engine/postgres/postgres-data-source';
import { postgresEntities } from '../../../../server/src/entities';
import { postgresMigrations } from '../../../../migrations/postgres';
import { createScratchDatabase, temporaryDirectory } from '../../../support/test-engines';

interface PostgresUnderTest {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The same checks for each Postgres the project supports: migrations apply, re-running them is a no-op, and the
 * entities and the migrations describe the same schema ("generate a migration: it must come out empty").
 */
function describeMigrationsOn(name: string, start: () => Promise<PostgresUnderTest>) {
  describe(`Postgres migrations on ${name}`, () => {
    let postgres: PostgresUnderTest;
    let dataSource: DataSource;

    beforeAll(async () => {
      postgres = await start();
      dataSource = createPostgresDataSource(postgres.url, postgresEntities, { embedded: postgres.embedded });
      await dataSource.initialize();
    });
    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await postgres?.stop();
    });

    it('applies every migration on an empty database and records each', async () => {
      // On the empty database the drift check sees every table missing: proof it can fail at all.
      const beforeMigrations = await dataSource.driver.createSchemaBuilder().log();
      expect(beforeMigrations.upQueries.map((query) => query.query).join('\n')).toMatch(/CREATE TABLE "prices"/);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(postgresMigrations.map((migration) => new migration().name ?? migration.name));
      const recorded = (await dataSource.query('SELECT name FROM warden_migrations ORDER BY id')) as Array<{ name: string }>;
      expect(recorded.map((row) => row.name)).toEqual(applied.map((migration) => migration.name));
      const tables = (await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      )) as Array<{ table_name: string }>;
      expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['api_keys', 'prices', 'users', 'warden_migrations']));
    });

    it('has zero drift between the entities and the migrations', async () => {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      const offending = pending.upQueries.map((query) => query.query);
      expect(offending, `entities differ from migrations; a generated migration would run:\n${offending.join('\n')}`).toEqual([]);
    });

    it('does nothing when the migrations run again', async () => {
      expect(await dataSource.showMigrations()).toBe(false);
      expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
      const recorded = (await dataSource.query('SELECT count(*)::int AS count FROM warden_migrations')) as Array<{ count: number }>;
      expect(recorded[0].count).toBe(postgresMigrations.length);
    });
  });
}

describeMigrationsOn('embedded PGlite', async () => {
  const dataDir = temporaryDirectory('pglite-migrations');
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres(dataDir);
  return {
    url: embedded.url,
    embedded: true,
    async stop() {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  describeMigrationsOn('the Postgres server at DATABASE_URL', async () => {
    const scratch = await createScratchDatabase(serverUrl);
    return { url: scratch.url, embedded: false, stop: scratch.drop };
  });
} else {
  describe.skip('Postgres migrations on the Postgres server at DATABASE_URL (DATABASE_URL is not set)', () => {
    it('applies migrations with zero drift', () => undefined);
  });
}

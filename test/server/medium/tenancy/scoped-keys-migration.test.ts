import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { postgresMigrations } from '../../../../migrations/postgres';
import { TeamsAndScopedKeys1796100000000 } from '../../../../migrations/postgres/1796100000000-teams-and-scoped-keys';
import { hashApiKey } from '../../../../server/src/engine/auth/passwords';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../../server/src/engine/postgres/embedded-postgres';
import { postgresEntities } from '../../../../server/src/entities';
import { ApiKeysRepository } from '../../../../server/src/modules/tenancy/api-keys.repository';
import { ApiKeysService } from '../../../../server/src/modules/tenancy/api-keys.service';
import { TeamsRepository } from '../../../../server/src/modules/tenancy/teams.repository';
import { TeamsService } from '../../../../server/src/modules/tenancy/teams.service';
import { createScratchDatabase, temporaryDirectory } from '../../../support/test-engines';

// Keys made when a key had one `scope` keep working after the migration: organisation-level, holding that scope.
describe('migrating single-scope API keys to scopes', () => {
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const scratch = await createScratchDatabase(process.env.DATABASE_URL);
      ({ url } = scratch);
      stop = scratch.drop;
    } else {
      const dataDir = temporaryDirectory('scoped-keys');
      const postgres: EmbeddedPostgres = await startEmbeddedPostgres(dataDir);
      url = postgres.url;
      stop = async () => {
        await postgres.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      };
    }
  });
  afterAll(async () => {
    await stop?.();
  });

  it('turns each scope into a one-element scopes array with no team, and the key still verifies', async () => {
    // One connection throughout (the embedded server serves one session): the older migrations by TypeORM, a key
    // as that schema stored it, then the newer migrations, by hand, on the same connection.
    const at = postgresMigrations.indexOf(TeamsAndScopedKeys1796100000000);
    const dataSource = new DataSource({ type: 'postgres', url, entities: postgresEntities, migrations: postgresMigrations.slice(0, at), migrationsTableName: 'warden_migrations', extra: { max: 1 } });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.query(`INSERT INTO api_keys (name, prefix, key_hash, scope) VALUES ('old ingest', 'wk_old', $1, 'ingest'), ('old authorize', 'wk_aut', $2, 'authorize')`, [
        hashApiKey('wk_old_ingest_secret'),
        hashApiKey('wk_old_authorize_secret'),
      ]);
      const runner = dataSource.createQueryRunner();
      for (const Migration of postgresMigrations.slice(at)) await new Migration().up(runner);
      await runner.release();
      const rows = (await dataSource.query('SELECT name, scopes, team_id FROM api_keys ORDER BY name')) as unknown[];
      expect(rows).toEqual([
        { name: 'old authorize', scopes: ['authorize'], team_id: null },
        { name: 'old ingest', scopes: ['ingest'], team_id: null },
      ]);
      const keys = new ApiKeysService(new ApiKeysRepository(dataSource), new TeamsService(new TeamsRepository(dataSource)));
      expect(await keys.verify('wk_old_ingest_secret', 'ingest')).toMatchObject({ scope: 'ingest', scopes: ['ingest'], team: null });
      expect(await keys.verify('wk_old_ingest_secret', 'authorize')).toBeNull();
      expect(await keys.verify('wk_old_authorize_secret', 'authorize')).toMatchObject({ scopes: ['authorize'] });
      // Its last use is written in the background: let it land before the connection closes.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await dataSource.destroy();
    }
  });
});

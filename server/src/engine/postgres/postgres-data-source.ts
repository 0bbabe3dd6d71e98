import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { postgresMigrations } from '../../../../migrations/postgres';

type EntityList = MixedList<string | (new () => unknown) | EntitySchema>;

/** One TypeORM data source for every Postgres, embedded or real. Schema changes only through migrations. */
export function createPostgresDataSource(url: string, entities: EntityList, options: { embedded: boolean }): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: postgresMigrations,
    migrationsTableName: 'warden_migrations',
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+, so no extension has to be installed.
    uuidExtension: 'pgcrypto',
    logging: ['error'],
    // The embedded server is one PGlite session (see embedded-postgres.ts): more connections would share it.
    extra: { max: options.embedded ? 1 : 10, connectionTimeoutMillis: 10_000 },
  });
}

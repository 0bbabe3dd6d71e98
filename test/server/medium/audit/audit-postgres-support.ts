import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../../../server/src/engine/postgres/embedded-postgres';
import { createPostgresDataSource } from '../../../../server/src/engine/postgres/postgres-data-source';
import { postgresEntities } from '../../../../server/src/entities';
import { AuditRepository } from '../../../../server/src/modules/audit/audit.repository';
import { AuditService } from '../../../../server/src/modules/audit/audit.service';
import { createScratchDatabase, temporaryDirectory } from '../../../support/test-engines';

export interface AuditPostgres {
  name: string;
  url: string;
  embedded: boolean;
  dataSource: DataSource;
  audit: AuditService;
  /** Another DataSource (its own pool) on the same database: a second process as far as Postgres is concerned. */
  openAnother(): Promise<{ dataSource: DataSource; audit: AuditService }>;
  stop(): Promise<void>;
}

/** The Postgres kinds the audit log must work on: always PGlite, and the server at DATABASE_URL when set. */
export function auditPostgresKinds(): Array<{ name: string; start: () => Promise<AuditPostgres> }> {
  const kinds = [{ name: 'embedded PGlite', start: startOnPglite }];
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) kinds.push({ name: 'the Postgres server at DATABASE_URL', start: () => startOnServer(serverUrl) });
  return kinds;
}

async function migrated(url: string, embedded: boolean): Promise<DataSource> {
  const dataSource = createPostgresDataSource(url, postgresEntities, { embedded });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

async function startOnPglite(): Promise<AuditPostgres> {
  const dataDir = temporaryDirectory('audit-pglite');
  const embedded = await startEmbeddedPostgres(dataDir);
  const dataSource = await migrated(embedded.url, true);
  return {
    name: 'embedded PGlite',
    url: embedded.url,
    embedded: true,
    dataSource,
    audit: new AuditService(new AuditRepository(dataSource)),
    openAnother: () => Promise.reject(new Error('PGlite serves one connection: a second DataSource cannot connect')),
    async stop() {
      await dataSource.destroy();
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startOnServer(serverUrl: string): Promise<AuditPostgres> {
  const scratch = await createScratchDatabase(serverUrl);
  const dataSource = await migrated(scratch.url, false);
  const others: DataSource[] = [];
  return {
    name: 'Postgres server',
    url: scratch.url,
    embedded: false,
    dataSource,
    audit: new AuditService(new AuditRepository(dataSource)),
    async openAnother() {
      const another = createPostgresDataSource(scratch.url, postgresEntities, { embedded: false });
      await another.initialize();
      others.push(another);
      return { dataSource: another, audit: new AuditService(new AuditRepository(another)) };
    },
    async stop() {
      for (const other of others) await other.destroy();
      await dataSource.destroy();
      await scratch.drop();
    },
  };
}

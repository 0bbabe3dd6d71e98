import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { loadConfig, type WardenConfig } from '../../server/src/engine/config/config';
import { startEngines, type EngineOptions, type Engines } from '../../server/src/engine/engines';
import { postgresEntities } from '../../server/src/entities';

export const repositoryRoot = path.resolve(__dirname, '../..');
/** Captured real outputs and public reference files (test/fixtures/README.md names their sources). */
export const fixturesDirectory = path.join(repositoryRoot, 'test/fixtures');

export function temporaryDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `warden-${prefix}-`));
}

/**
 * A fresh database on the real Postgres named by DATABASE_URL, so parallel test files never share tables.
 * Returns its URL and a function that drops it.
 */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `warden_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export const testSigningSecret = 'test-signing-secret-0123456789abcdefghij';

export interface TestEngines extends Engines {
  dataDir: string;
}

/**
 * Real engines for one test file: embedded ClickHouse in its own data directory (chDB binds one per process),
 * Postgres from DATABASE_URL when set (a scratch database) or embedded PGlite, Redis/BullMQ when REDIS_URL is set.
 */
export async function startTestEngines(overrides: Record<string, string> = {}, options: EngineOptions = {}): Promise<TestEngines> {
  const dataDir = temporaryDirectory('data');
  let dropDatabase: (() => Promise<void>) | undefined;
  const environment: Record<string, string> = { DATA_DIR: dataDir, WARDEN_WRITER_FLUSH_MS: '5', ...overrides };
  if (process.env.DATABASE_URL && !('DATABASE_URL' in overrides)) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL);
    environment.DATABASE_URL = scratch.url;
    dropDatabase = scratch.drop;
  }
  // A Postgres server means servers that share sessions: the signing secret is then required (config.ts).
  if (environment.DATABASE_URL && !environment.WARDEN_SECRET) environment.WARDEN_SECRET = testSigningSecret;
  if (process.env.REDIS_URL && !('REDIS_URL' in overrides)) environment.REDIS_URL = process.env.REDIS_URL;
  const config: WardenConfig = loadConfig(environment);
  const engines = await startEngines(config, { log: () => undefined, error: (line) => console.error(line) }, postgresEntities, options);
  return {
    ...engines,
    dataDir,
    async close() {
      await engines.close();
      if (dropDatabase) await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

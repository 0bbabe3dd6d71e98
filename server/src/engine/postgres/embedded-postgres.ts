import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Postgres in WASM (PGlite), served on a loopback port so the ordinary `pg` driver and TypeORM reach it exactly
 * as they reach a real server. PGlite is a single backend session: two pooled connections would share one
 * transaction state, so the server accepts one connection and the pool is sized to one.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const directory = path.join(dataDir, 'postgres');
  fs.mkdirSync(directory, { recursive: true });
  const database = await PGlite.create(directory);
  const server = new PGLiteSocketServer({ db: database, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}

import { Client } from 'pg';

/** One advisory lock key for everything a server does once at start; any fixed bigint no other code uses. */
export const startupLockKey = '5765706272011'; // "Warden" start-up

export interface StartupLock {
  /** Runs `work` while no other Warden process on this Postgres is inside its own startup work. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Migrations (Postgres and ClickHouse) and the first-start bootstrap (first admin, first ingest key) run under a
 * Postgres session advisory lock, so ten servers starting at once against one Postgres apply each migration once and
 * create one admin. The lock lives on a connection of its own, outside the pool: ending that connection always
 * releases it, even if the unlock statement never ran, and a pooled connection can never keep it by accident.
 * A server that dies holding it loses its session, and with it the lock.
 */
export function createStartupLock(postgresUrl: string, log: (message: string) => void): StartupLock {
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      const client = new Client({ connectionString: postgresUrl, connectionTimeoutMillis: 10_000 });
      // A dropped lock connection must not crash the process: the work's own queries report the outage.
      client.on('error', (error) => log(`startup lock connection lost: ${error.message}`));
      await client.connect();
      try {
        const attempt = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [startupLockKey]);
        if (!attempt.rows[0]?.locked) {
          log('Another Warden server is starting against this Postgres: waiting for it to finish migrating');
          await client.query('SELECT pg_advisory_lock($1::bigint)', [startupLockKey]);
        }
        return await work();
      } finally {
        await client.end();
      }
    },
  };
}

/** The embedded Postgres serves one process (DATA_DIR is locked) on one connection: nothing to coordinate. */
export const processLocalStartupLock: StartupLock = {
  run: (work) => work(),
};

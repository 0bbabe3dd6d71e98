// Audit log: appends per second (one writer, and 8 at once: serialized by the advisory lock) and verification
// throughput (rows per second, recomputing every hash, 500 a page). Postgres: DATABASE_URL when set (a scratch
// database), else embedded PGlite. AUDIT_BENCH_ROWS sets the rows appended (default 5000).
import 'reflect-metadata';
import * as fs from 'node:fs';
import pg from 'pg';
import { requireBuilt, temporaryDirectory } from './support.mjs';

const rows = Number(process.env.AUDIT_BENCH_ROWS ?? 5000);
const { startEmbeddedPostgres } = requireBuilt('engine/postgres/embedded-postgres.js');
const { createPostgresDataSource } = requireBuilt('engine/postgres/postgres-data-source.js');
const { postgresEntities } = requireBuilt('entities.js');
const { AuditRepository } = requireBuilt('modules/audit/audit.repository.js');
const { AuditService } = requireBuilt('modules/audit/audit.service.js');

async function openPostgres() {
  if (process.env.DATABASE_URL) {
    const name = `warden_bench_audit_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      kind: 'Postgres server',
      url: url.toString(),
      embedded: false,
      async stop() {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dataDir = temporaryDirectory('audit');
  const embedded = await startEmbeddedPostgres(dataDir);
  return { kind: 'embedded PGlite', url: embedded.url, embedded: true, stop: async () => (await embedded.stop(), fs.rmSync(dataDir, { recursive: true, force: true })) };
}

const entry = (index) => ({
  action: 'policy.update',
  actor: 'user:admin@example.com',
  actorRole: 'admin',
  targetType: 'policy',
  targetId: `policy-${index % 50}`,
  team: 'claims',
  before: { name: 'claims', quotas: [{ name: 'monthly', metric: 'costUsd', limit: '500.00', period: 'month' }] },
  after: { name: 'claims', quotas: [{ name: 'monthly', metric: 'costUsd', limit: String(index), period: 'month' }] },
  details: { change: 'update', version: index },
});

const postgres = await openPostgres();
const dataSource = createPostgresDataSource(postgres.url, postgresEntities, { embedded: postgres.embedded });
await dataSource.initialize();
await dataSource.runMigrations({ transaction: 'each' });
const audit = new AuditService(new AuditRepository(dataSource));
try {
  const half = Math.floor(rows / 2);
  let started = performance.now();
  for (let index = 0; index < half; index += 1) await audit.record(entry(index));
  const sequentialSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  let next = half;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < rows) await audit.record(entry(next++));
    }),
  );
  const concurrentSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const result = await audit.verifyChain();
  const verifySeconds = (performance.now() - started) / 1000;
  if (!result.valid || result.checkedRows !== rows) throw new Error(`unexpected verification: ${JSON.stringify(result)}`);

  console.log(`Postgres: ${postgres.kind}; ${rows} rows`);
  console.log(`append, one writer:   ${(half / sequentialSeconds).toFixed(0)} rows/s`);
  console.log(`append, 8 at once:    ${((rows - half) / concurrentSeconds).toFixed(0)} rows/s (one chain)`);
  console.log(`verify:               ${(rows / verifySeconds).toFixed(0)} rows/s (${verifySeconds.toFixed(2)} s for ${rows} rows, memory bounded by one page)`);
} finally {
  await dataSource.destroy();
  await postgres.stop();
}

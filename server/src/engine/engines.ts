import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { ClaimStore } from './claims/claim-store';
import { MemoryClaimStore } from './claims/memory-claim-store';
import { RedisClaimStore } from './claims/redis-claim-store';
import { ClickhouseBatchWriter } from './clickhouse/clickhouse-batch-writer';
import { WriteAheadLog } from './clickhouse/write-ahead-log';
import { InProcessQuotaCounters, RedisQuotaCounters, type QuotaCounters } from './counters';
import { createClickhouseClient } from './clickhouse/clickhouse-client';
import { migrateClickhouse } from './clickhouse/clickhouse-migrator';
import type { WardenConfig } from './config/config';
import { generateSecret } from './auth/passwords';
import { createMetricsRegistry } from './metrics/metrics-registry';
import { createWriterMetrics } from './metrics/writer-metrics';
import { lockDataDirectory } from './data-dir/data-dir-lock';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './postgres/embedded-postgres';
import { createPostgresDataSource } from './postgres/postgres-data-source';
import { createStartupLock, processLocalStartupLock, type StartupLock } from './postgres/startup-lock';
import { BullmqQueue } from './queue/bullmq-queue';
import { InlineQueue } from './queue/inline-queue';
import type { QueuePort } from './queue/queue-contracts';

/** The running infrastructure: opened before the module graph, handed to it, closed after it. */
export interface Engines {
  config: WardenConfig;
  postgres: DataSource;
  clickhouse: ClickHouseClient;
  writer: ClickhouseBatchWriter;
  /** Key claims and locks shared by every process on the same stores (Redis), or this process's own. */
  claims: ClaimStore;
  /** Exact quota counters shared by every process on the same Redis, or this process's own. */
  counters: QuotaCounters;
  queue: QueuePort;
  metrics: Registry;
  secret: string;
  /** Runs first-start work (the bootstrap) under the lock the migrations took: one server at a time. */
  withStartupLock: StartupLock['run'];
  close(): Promise<void>;
}

/** migrations/clickhouse at the repository root, seen from the source (tests) or from the build (server/dist/…). */
function resolveMigrationsDirectory(): string {
  for (const candidate of [path.resolve(__dirname, '../../../migrations/clickhouse'), path.resolve(__dirname, '../../../../../migrations/clickhouse')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('migrations/clickhouse not found next to the server');
}

export const clickhouseMigrationsDirectory = resolveMigrationsDirectory();

/** WARDEN_SECRET, or one generated on first start and kept (owner-only) in DATA_DIR. */
function loadOrCreateSecret(config: WardenConfig): string {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = generateSecret(32);
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Redis counters when REDIS_URL is set (shared by every process), this process's own otherwise. */
function quotaCountersFor(redisUrl: string | undefined): QuotaCounters {
  if (!redisUrl) return new InProcessQuotaCounters();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  // A failure surfaces where the counters are used (decisions fail closed and log it); the events would repeat it.
  redis.on('error', () => undefined);
  return new RedisQuotaCounters(redis, {}, true);
}

export interface EngineLog {
  log(message: string): void;
  error(message: string): void;
}

/** The Postgres entities of the feature modules; the composition root (main, worker, CLI) hands them in. */
export type PostgresEntities = MixedList<string | (new () => unknown) | EntitySchema>;

/** Both stores' migrations; run under the startup lock, so servers starting together apply each one once. */
export async function migrateStores(postgres: DataSource, clickhouse: ClickHouseClient, config: WardenConfig, log: EngineLog): Promise<void> {
  const appliedPostgres = await postgres.runMigrations({ transaction: 'each' });
  log.log(`Postgres (${config.databaseUrl ? 'server' : 'embedded PGlite'}): ${appliedPostgres.length} migration(s) applied`);
  const report = await migrateClickhouse(clickhouse, clickhouseMigrationsDirectory, config.clickhouse);
  log.log(
    `ClickHouse (${config.clickhouse.url ? 'server' : 'embedded chDB'}): ${report.applied.length} migration(s) applied` +
      (report.applied.length ? ` (${report.applied.join(', ')})` : ''),
  );
}

/** Test seams: a network fault in front of the writer's ClickHouse (the engine itself stays real). */
export interface EngineOptions {
  wrapWriterClient?: (client: ClickHouseClient) => ClickHouseClient;
}

export async function startEngines(config: WardenConfig, log: EngineLog, entities: PostgresEntities, options: EngineOptions = {}): Promise<Engines> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = loadOrCreateSecret(config);
  const closers: Array<() => Promise<void>> = [];
  try {
    if (!config.databaseUrl || !config.clickhouse.url) {
      const dataDirectoryLock = lockDataDirectory(config.dataDir);
      closers.push(async () => dataDirectoryLock.release());
    }
    let embeddedPostgres: EmbeddedPostgres | undefined;
    let postgresUrl = config.databaseUrl;
    if (!postgresUrl) {
      embeddedPostgres = await startEmbeddedPostgres(config.dataDir);
      closers.push(() => embeddedPostgres!.stop());
      postgresUrl = embeddedPostgres.url;
    }
    const postgres = createPostgresDataSource(postgresUrl, entities, { embedded: Boolean(embeddedPostgres) });
    await postgres.initialize();
    closers.unshift(() => postgres.destroy());
    const clickhouse = createClickhouseClient({ url: config.clickhouse.url, dataDir: config.dataDir, database: config.clickhouse.database });
    closers.unshift(() => clickhouse.close());
    const startupLock = embeddedPostgres ? processLocalStartupLock : createStartupLock(postgresUrl, (message) => log.log(message));
    await startupLock.run(() => migrateStores(postgres, clickhouse, config, log));

    const metrics = createMetricsRegistry();
    const claims: ClaimStore = config.redisUrl ? new RedisClaimStore(config.redisUrl) : new MemoryClaimStore();
    if (!config.redisUrl && config.clickhouse.url) {
      log.log('Key claims are held in this process (no REDIS_URL): run one server process on this ClickHouse, or set REDIS_URL to run several');
    }
    closers.unshift(() => claims.close());
    const writer = new ClickhouseBatchWriter(
      options.wrapWriterClient ? options.wrapWriterClient(clickhouse) : clickhouse,
      {
        batchRows: config.writer.batchRows,
        flushIntervalMs: config.writer.flushIntervalMs,
        maxPendingRows: config.writer.maxPendingRows,
        // The embedded engine dies with this process and may leave an insert half applied: replay it exactly.
        exactReplay: !config.clickhouse.url,
        // The embedded engine inserts with every core of this machine already: a second insert in flight only
        // competes for them, while waiting makes the next insert larger (about 20% less CPU per event measured with
        // test/bench/request-ingest). A server across the network gains from overlapping the round trips.
        maxConcurrentInserts: config.clickhouse.url ? 2 : 1,
      },
      claims,
      WriteAheadLog.open(path.join(config.dataDir, 'write-ahead-log')),
      createWriterMetrics(metrics),
      (message) => log.error(message),
    );
    closers.unshift(() => writer.close());
    const counters = quotaCountersFor(config.redisUrl);
    closers.unshift(() => counters.close());
    const queue: QueuePort = config.redisUrl ? new BullmqQueue(config.redisUrl) : new InlineQueue((message) => log.error(message));
    closers.unshift(() => queue.close());

    return {
      config,
      postgres,
      clickhouse,
      writer,
      claims,
      counters,
      queue,
      metrics,
      secret,
      withStartupLock: (work) => startupLock.run(work),
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

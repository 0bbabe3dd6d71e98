import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './engine/config/config';
import { QUEUE } from './engine/engine.module';
import { startEngines } from './engine/engines';
import { EscapingConsoleLogger } from './engine/logging/escaping-console-logger';
import { logProcessFailures } from './engine/logging/process-failures';
import type { QueuePort } from './engine/queue/queue-contracts';
import { postgresEntities } from './entities';

/** Worker entrypoint: the same module graph without HTTP, consuming BullMQ queues (needs REDIS_URL). */
async function worker(): Promise<void> {
  const logger = new Logger('Worker');
  const config = loadConfig();
  // The embedded engines belong to the one process that opened them, so a separate worker needs real servers.
  const missing = [
    !config.redisUrl && 'REDIS_URL: a separate worker needs Redis; without it, `npm start` runs jobs in-process',
    !config.clickhouse.url && 'CLICKHOUSE_URL: a separate worker needs a ClickHouse server (the embedded one belongs to `npm start`)',
    !config.databaseUrl && 'DATABASE_URL: a separate worker needs a Postgres server (the embedded one belongs to `npm start`)',
  ].filter((problem): problem is string => Boolean(problem));
  if (missing.length > 0) throw new ConfigError(missing);
  const engines = await startEngines(config, logger, postgresEntities);
  const app = await NestFactory.createApplicationContext(AppModule.forWorker(engines), { logger: new EscapingConsoleLogger() });
  await app.init();
  await engines.writer.recover();
  await app.get<symbol, QueuePort>(QUEUE).startConsuming();
  logger.log('Worker consuming queues');
  const shutdown = async () => {
    await app.close();
    await engines.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

logProcessFailures('warden-worker');
worker().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

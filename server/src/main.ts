import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, describeConfig, loadConfig } from './engine/config/config';
import { DataDirectoryInUseError } from './engine/data-dir/data-dir-lock';
import { startEngines } from './engine/engines';
import { logProcessFailures } from './engine/logging/process-failures';
import { createHttpApp, stopHttpApp } from './http-app';
import { TenancyService } from './modules/tenancy/tenancy.service';
import { QUEUE } from './engine/engine.module';
import type { QueuePort } from './engine/queue/queue-contracts';
import { loadDemoData } from './modules/demo/demo-loader';
import { IngestService } from './modules/ingest/ingest.service';
import { UsageService } from './modules/usage/usage.service';
import { GpuIngestService } from './modules/gpu/gpu-ingest.service';
import { NodeService } from './modules/nodes/nodes.service';
import { ScoresService } from './modules/evals/scores.service';
import { PoliciesService } from './modules/policies/policies.service';
import { AlertConfigurationService } from './modules/alerts/alert-configuration.service';
import { postgresEntities } from './entities';

/** How long a stop may take (SIGTERM/SIGINT) before the process exits anyway; stated in README. */
const shutdownLimitMs = 30_000;
/** How long requests in flight may run on after SIGTERM/SIGINT before their connections are cut; stated in README. */
const drainLimitMs = 20_000;

/** HTTP entrypoint: console, GraphQL, ingest. In the embedded default it also runs the queue's jobs. */
async function main(): Promise<void> {
  const logger = new Logger('Warden');
  const config = loadConfig();
  logger.log(`Configuration: ${JSON.stringify(describeConfig(config))}`);
  const engines = await startEngines(config, logger, postgresEntities);
  const app = await createHttpApp(engines);
  await app.init();
  // Batches an earlier run logged but did not finish are completed before anything new is written.
  const replay = await engines.writer.recover((line) => logger.log(line));
  if (replay.replayed > 0) logger.log(`Completed ${replay.replayed} batch(es) (${replay.rows} rows) the last run left unfinished`);
  const announce = (line: string) => process.stdout.write(`\n  ${line}\n\n`);
  // Under the startup lock: ten servers starting at once create one admin and one ingest key.
  await engines.withStartupLock(() => app.get(TenancyService).bootstrap(announce));
  await app.get<symbol, QueuePort>(QUEUE).startConsuming();
  if (process.argv.includes('--demo')) {
    await loadDemoData(
      { ingest: app.get(IngestService), usage: app.get(UsageService), gpu: app.get(GpuIngestService), nodes: app.get(NodeService), scores: app.get(ScoresService), policies: app.get(PoliciesService), alerts: app.get(AlertConfigurationService) },
      { log: (line) => process.stdout.write(line) },
    );
  }
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`Warden console at http://localhost:${port}/  (GraphQL: /graphql, ingest: /api/v1/ingest/requests)`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: taking no new requests; finishing those in flight and writing what is queued`);
    // Bounded: a store that never answers must not keep the process (or a container's stop) waiting forever.
    const deadline = setTimeout(() => {
      process.stderr.write(`Warden did not stop within ${shutdownLimitMs / 1000} s; exiting\n`);
      process.exit(1);
    }, shutdownLimitMs);
    deadline.unref();
    try {
      // Takes no new requests; those in flight finish (each is answered once its rows are stored); then the
      // modules close, the writer writes what is queued, and the queue and the stores close.
      await stopHttpApp(app, engines, drainLimitMs, (line) => logger.warn(line));
    } catch (error) {
      process.stderr.write(`Stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
    logger.log('Stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

logProcessFailures('warden');
main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Warden failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});

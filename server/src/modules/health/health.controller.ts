import { Controller, Get, Header, Inject, Logger, Res } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from '../../engine/auth/auth.decorators';
import { ClickhouseBatchWriter } from '../../engine/clickhouse/clickhouse-batch-writer';
import { CLICKHOUSE, QUEUE } from '../../engine/engine.module';
import type { QueuePort } from '../../engine/queue/queue-contracts';

interface DependencyState {
  status: 'up' | 'down';
  latencyMs: number;
}

const logger = new Logger('Readiness');

/** /readyz is public: the answer says up or down, the driver's error text (hosts, users) goes to the log only. */
async function probe(name: string, check: () => Promise<unknown>): Promise<DependencyState> {
  const started = Date.now();
  try {
    await Promise.race([check(), new Promise((_resolve, reject) => setTimeout(() => reject(new Error('timed out after 5s')), 5000).unref())]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (error) {
    logger.warn(`${name} is down: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 'down', latencyMs: Date.now() - started };
  }
}

@Controller()
export class HealthController {
  constructor(
    private readonly postgres: DataSource,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(QUEUE) private readonly queue: QueuePort,
    private readonly registry: Registry,
    private readonly writer: ClickhouseBatchWriter,
  ) {}

  @Public()
  @Get('healthz')
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every store answers, 503 otherwise; always the state of each one. */
  @Public()
  @Get('readyz')
  async ready(@Res({ passthrough: true }) response: Response) {
    const [postgres, clickhouse, queue] = await Promise.all([
      probe('postgres', () => this.postgres.query('SELECT 1')),
      probe('clickhouse', async () => {
        const result = await this.clickhouse.ping();
        if (!result.success) throw result.error;
      }),
      probe('queue', () => this.queue.ping()),
    ]);
    // A store can answer a ping and still refuse writes (a full disk): the writer says whether rows are getting in.
    const writerHealth = this.writer.health();
    const writes = {
      status: writerHealth.ready ? ('up' as const) : ('down' as const),
      batchesWaiting: writerHealth.stalledBatches,
      ...(writerHealth.ready || !writerHealth.lastFailure ? {} : { failingSince: writerHealth.lastFailure.at.toISOString() }),
    };
    const dependencies = { postgres, clickhouse, queue: { ...queue, driver: this.queue.driver }, writes };
    const ready = postgres.status === 'up' && clickhouse.status === 'up' && queue.status === 'up' && writes.status === 'up';
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', dependencies };
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { SessionTokens } from './auth/session-tokens';
import { ClickhouseBatchWriter } from './clickhouse/clickhouse-batch-writer';
import type { Engines } from './engines';

export const CLICKHOUSE = Symbol('CLICKHOUSE');
export const QUEUE = Symbol('QUEUE');
export const CONFIG = Symbol('CONFIG');
export const CLAIMS = Symbol('CLAIMS');

/** Makes the running engines injectable everywhere; features depend on these tokens, never on drivers. */
@Global()
@Module({})
export class EngineModule {
  static forEngines(engines: Engines): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: engines.config },
      { provide: DataSource, useValue: engines.postgres },
      { provide: CLICKHOUSE, useValue: engines.clickhouse },
      { provide: ClickhouseBatchWriter, useValue: engines.writer },
      { provide: QUEUE, useValue: engines.queue },
      { provide: CLAIMS, useValue: engines.claims },
      { provide: Registry, useValue: engines.metrics },
      { provide: SessionTokens, useValue: new SessionTokens(engines.secret) },
    ];
    return { module: EngineModule, providers, exports: providers.map((provider) => provider.provide) };
  }
}

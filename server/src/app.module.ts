import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { SessionGuard } from './engine/auth/session.guard';
import { EngineModule } from './engine/engine.module';
import type { Engines } from './engine/engines';
import { ErrorMappingFilter } from './engine/errors/error-mapping';
import { EvalsModule } from './modules/evals/evals.module';
import { GpuModule } from './modules/gpu/gpu.module';
import { HealthModule } from './modules/health/health.module';
import { IngestModule } from './modules/ingest/ingest.module';
import { NodesModule } from './modules/nodes/nodes.module';
import { PricingModule } from './modules/pricing/pricing.module';
import { TenancyModule } from './modules/tenancy/tenancy.module';
import { UsageModule } from './modules/usage/usage.module';

const featureModules = [TenancyModule, PricingModule, IngestModule, UsageModule, NodesModule, GpuModule, EvalsModule];

@Module({})
export class AppModule {
  /** The HTTP application: every feature plus GraphQL, health and the global guard and error mapping. */
  static forHttp(engines: Engines): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EngineModule.forEngines(engines),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          // The console and react-admin introspect the schema; it holds no secrets.
          introspection: true,
          includeStacktraceInErrorResponses: false,
          context: ({ req }: { req: unknown }) => ({ req }),
        }),
        HealthModule,
        ...featureModules,
      ],
      providers: [
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: ErrorMappingFilter },
      ],
    };
  }

  /** The worker: the same features without HTTP, consuming the queue. */
  static forWorker(engines: Engines): DynamicModule {
    return { module: AppModule, imports: [EngineModule.forEngines(engines), ...featureModules] };
  }
}

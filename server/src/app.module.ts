import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AccessGuard } from './engine/auth/access.guard';
import { SessionAuthenticator } from './engine/auth/request-principal';
import { EngineModule } from './engine/engine.module';
import type { Engines } from './engine/engines';
import { ErrorMappingFilter, formatGraphqlError } from './engine/errors/error-mapping';
import { StrictDateTimeScalar } from './engine/graphql/date-time.scalar';
import { graphqlProtection } from './engine/graphql/graphql-protection';
import { RequestDrain } from './engine/http/request-drain';
import { AlertsModule } from './modules/alerts/alerts.module';
import { AuditModule } from './modules/audit/audit.module';
import { ChargebackModule } from './modules/chargeback/chargeback.module';
import { ComplianceModule } from './modules/compliance/compliance.module';
import { EvalsModule } from './modules/evals/evals.module';
import { GatewayModule } from './modules/gateway/gateway.module';
import { GpuModule } from './modules/gpu/gpu.module';
import { HealthModule } from './modules/health/health.module';
import { IngestModule } from './modules/ingest/ingest.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { NodeAgentModule } from './modules/nodes/agent/node-agent.module';
import { NodesModule } from './modules/nodes/nodes.module';
import { PoliciesModule } from './modules/policies/policies.module';
import { PricingModule } from './modules/pricing/pricing.module';
import { RetentionModule } from './modules/retention/retention.module';
import { TenancyModule } from './modules/tenancy/tenancy.module';
import { UsageModule } from './modules/usage/usage.module';

const featureModules = [AuditModule, TenancyModule, JobsModule, PricingModule, IngestModule, UsageModule, NodesModule, GpuModule, PoliciesModule, EvalsModule, NodeAgentModule, ChargebackModule, GatewayModule, AlertsModule, RetentionModule, ComplianceModule];

@Module({})
export class AppModule {
  /** The HTTP application: every feature plus GraphQL, health and the global guard and error mapping. */
  static forHttp(engines: Engines): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EngineModule.forEngines(engines),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          // TenancyModule provides the access port the session lookup asks.
          imports: [TenancyModule],
          inject: [SessionAuthenticator],
          useFactory: (sessions: SessionAuthenticator): ApolloDriverConfig => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            // The console introspects the schema once signed in; anonymous callers are refused by graphqlProtection.
            introspection: true,
            includeStacktraceInErrorResponses: false,
            // An invalid DateTime (StrictDateTimeScalar, below) answers BAD_USER_INPUT naming the argument.
            formatError: formatGraphqlError,
            context: ({ req }: { req: unknown }) => ({ req }),
            // Field resolvers pass the AccessGuard too, so a @ResolveField cannot open what its parent type guards.
            fieldResolverEnhancers: ['guards'],
            ...graphqlProtection((request) => sessions.principalOf(request)),
          }),
        }),
        HealthModule,
        ...featureModules,
      ],
      providers: [
        // Deny by default: every route and resolver declares its access, or this guard refuses it.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ErrorMappingFilter },
        // Counts every handler under way, so a stop waits for them before the stores close (stopHttpApp).
        RequestDrain,
        { provide: APP_INTERCEPTOR, useExisting: RequestDrain },
        // Every Date argument and field is this strict DateTime.
        StrictDateTimeScalar,
      ],
    };
  }

  /** The worker: the same features without HTTP, consuming the queue. */
  static forWorker(engines: Engines): DynamicModule {
    return { module: AppModule, imports: [EngineModule.forEngines(engines), ...featureModules] };
  }
}

import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { EvalsModule } from '../evals/evals.module';
import { GpuModule } from '../gpu/gpu.module';
import { NodeAgentModule } from '../nodes/agent/node-agent.module';
import { NodesModule } from '../nodes/nodes.module';
import { PoliciesModule } from '../policies/policies.module';
import { UsageModule } from '../usage/usage.module';
import { AlertChannelsResolver } from './alert-channels.resolver';
import { AlertConfigurationService } from './alert-configuration.service';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertEvaluatorService } from './alert-evaluator.service';
import { AlertHistoryService } from './alert-history.service';
import { AlertRulesResolver } from './alert-rules.resolver';
import { AlertSignalsRepository } from './alert-signals.repository';
import { AlertSignalsService } from './alert-signals.service';
import { AlertsRepository } from './alerts.repository';
import { AlertsResolver } from './alerts.resolver';

/** Alerts: rules and channels (Postgres), the scheduled evaluator, durable notification delivery, history. */
@Module({
  imports: [GraphqlScalarsModule, PoliciesModule, UsageModule, EvalsModule, GpuModule, NodesModule, NodeAgentModule],
  providers: [
    AlertsRepository,
    AlertSignalsRepository,
    AlertSignalsService,
    AlertDeliveryService,
    AlertEvaluatorService,
    AlertConfigurationService,
    AlertHistoryService,
    AlertRulesResolver,
    AlertChannelsResolver,
    AlertsResolver,
  ],
  exports: [AlertEvaluatorService, AlertDeliveryService],
})
export class AlertsModule {}

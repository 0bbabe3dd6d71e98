import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { NodesModule } from '../nodes/nodes.module';
import { PricingModule } from '../pricing/pricing.module';
import { DecisionService } from './decision.service';
import { DecisionsController } from './decisions.controller';
import { NodeLocations } from './decisions/node-locations';
import { PoliciesController } from './policies.controller';
import { PoliciesRepository } from './policies.repository';
import { PoliciesResolver } from './policies.resolver';
import { PoliciesService } from './policies.service';
import { PolicyDecisionsRepository } from './policy-decisions.repository';
import { PolicySnapshot } from './policy-snapshot';

/**
 * Policies as code and the one decision engine. Exports PoliciesService (the store) and DecisionService (authorize,
 * settle, allowedModels for the gateway; resolvePolicy and redactText for ingest; monthlyUsdQuotas for chargeback).
 */
@Module({
  imports: [GraphqlScalarsModule, PricingModule, NodesModule],
  controllers: [PoliciesController, DecisionsController],
  providers: [PoliciesRepository, PolicyDecisionsRepository, PolicySnapshot, PoliciesService, DecisionService, NodeLocations, PoliciesResolver],
  exports: [PoliciesService, DecisionService],
})
export class PoliciesModule {}

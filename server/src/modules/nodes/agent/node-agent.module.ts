import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../../engine/graphql/graphql-scalars.module';
import { PoliciesModule } from '../../policies/policies.module';
import { NodesModule } from '../nodes.module';
import { NodeAgentController } from './node-agent.controller';
import { NodeAgentResolver } from './node-agent.resolver';
import { NodeAgentService } from './node-agent.service';
import { NodeEngineMetricsRepository } from './node-engine-metrics.repository';
import { NodeHeartbeatsRepository } from './node-heartbeats.repository';

/**
 * The server side of warden-node-agent: heartbeats and the node policy over HTTP, agent status and node statistics
 * over GraphQL. Its own module because it needs the decision engine, which itself needs NodesModule.
 */
@Module({
  imports: [GraphqlScalarsModule, NodesModule, PoliciesModule],
  controllers: [NodeAgentController],
  providers: [NodeHeartbeatsRepository, NodeEngineMetricsRepository, NodeAgentService, NodeAgentResolver],
})
export class NodeAgentModule {}

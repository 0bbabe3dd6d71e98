import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { NodesModule } from '../nodes/nodes.module';
import { PoliciesModule } from '../policies/policies.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { GatewayEventLog } from './gateway-event-log';
import { GatewayHandler } from './gateway.handler';
import { NodeDirectory } from './node-directory';
import { NodeHealthService } from './node-health.service';

/**
 * The OpenAI-compatible gateway and the health checks of the nodes it routes to. GatewayHandler is mounted on the
 * HTTP server by http-app.ts (ahead of the body parser); the worker runs the health checks.
 */
@Module({
  imports: [TenancyModule, PoliciesModule, NodesModule, IngestModule],
  providers: [NodeDirectory, GatewayEventLog, GatewayHandler, NodeHealthService],
  exports: [GatewayHandler, GatewayEventLog, NodeHealthService, NodeDirectory],
})
export class GatewayModule {}

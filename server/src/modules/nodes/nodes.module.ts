import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { NodeApiKeys } from './node-api-keys';
import { NodeRepository } from './nodes.repository';
import { NodeResolver } from './nodes.resolver';
import { NodeService } from './nodes.service';

@Module({
  imports: [GraphqlScalarsModule],
  providers: [NodeApiKeys, NodeRepository, NodeService, NodeResolver],
  exports: [NodeService],
})
export class NodesModule {}

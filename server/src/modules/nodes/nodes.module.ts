import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { NodeRepository } from './nodes.repository';
import { NodeResolver } from './nodes.resolver';
import { NodeService } from './nodes.service';

@Module({
  imports: [GraphqlScalarsModule],
  providers: [NodeRepository, NodeService, NodeResolver],
  exports: [NodeService],
})
export class NodesModule {}

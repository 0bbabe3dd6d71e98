import { Module } from '@nestjs/common';
import { NodeRepository } from './nodes.repository';
import { NodeResolver } from './nodes.resolver';
import { NodeService } from './nodes.service';

@Module({
  providers: [NodeRepository, NodeService, NodeResolver],
  exports: [NodeService],
})
export class NodesModule {}

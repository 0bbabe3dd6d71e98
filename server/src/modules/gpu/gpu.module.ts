import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { PricingModule } from '../pricing/pricing.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { UsageModule } from '../usage/usage.module';
import { GpuCostService } from './gpu-cost.service';
import { GpuController } from './gpu.controller';
import { GpuRepository } from './gpu.repository';
import { GpuResolver } from './gpu.resolver';
import { GpuService } from './gpu.service';

@Module({
  imports: [NodesModule, PricingModule, TenancyModule, UsageModule],
  controllers: [GpuController],
  providers: [GpuRepository, GpuService, GpuCostService, GpuResolver],
  exports: [GpuService],
})
export class GpuModule {}

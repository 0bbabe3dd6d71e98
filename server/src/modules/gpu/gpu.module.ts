import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { NodesModule } from '../nodes/nodes.module';
import { PoliciesModule } from '../policies/policies.module';
import { PricingModule } from '../pricing/pricing.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { UsageModule } from '../usage/usage.module';
import { GpuCostService } from './gpu-cost.service';
import { GpuFleetService } from './gpu-fleet.service';
import { GpuIdleHotSpotsService } from './gpu-idle-hot-spots.service';
import { GpuIngestService } from './gpu-ingest.service';
import { GpuScopeService } from './gpu-scope.service';
import { GpuSeriesService } from './gpu-series.service';
import { GpuController } from './gpu.controller';
import { GpuRepository } from './gpu.repository';
import { GpuResolver } from './gpu.resolver';

/** GPU telemetry, one service per job: ingest, the fleet now, series, idle GPUs and hot spots, cost per token. */
@Module({
  imports: [GraphqlScalarsModule, NodesModule, PoliciesModule, PricingModule, TenancyModule, UsageModule],
  controllers: [GpuController],
  providers: [GpuRepository, GpuScopeService, GpuIngestService, GpuFleetService, GpuSeriesService, GpuIdleHotSpotsService, GpuCostService, GpuResolver],
  exports: [GpuIngestService, GpuFleetService, GpuSeriesService, GpuIdleHotSpotsService, GpuCostService],
})
export class GpuModule {}

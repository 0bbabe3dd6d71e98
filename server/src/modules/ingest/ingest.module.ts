import { Module } from '@nestjs/common';
import { PricingModule } from '../pricing/pricing.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { JobsModule } from '../jobs/jobs.module';
import { CostRecomputeResolver } from './cost-recompute.resolver';
import { CostRecomputeService } from './cost-recompute.service';
import { IngestController } from './ingest.controller';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';

@Module({
  imports: [PricingModule, TenancyModule, JobsModule],
  controllers: [IngestController],
  providers: [IngestRepository, IngestService, CostRecomputeService, CostRecomputeResolver],
  exports: [IngestService],
})
export class IngestModule {}

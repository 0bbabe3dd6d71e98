import { Module } from '@nestjs/common';
import { PricingModule } from '../pricing/pricing.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CostRecomputeService } from './cost-recompute.service';
import { IngestController } from './ingest.controller';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';

@Module({
  imports: [PricingModule, TenancyModule],
  controllers: [IngestController],
  providers: [IngestRepository, IngestService, CostRecomputeService],
  exports: [IngestService],
})
export class IngestModule {}

import { Module } from '@nestjs/common';
import { EvalsModule } from '../evals/evals.module';
import { PoliciesModule } from '../policies/policies.module';
import { PricingModule } from '../pricing/pricing.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { JobsModule } from '../jobs/jobs.module';
import { CostRecomputeResolver } from './cost-recompute.resolver';
import { CostRecomputeService } from './cost-recompute.service';
import { IngestController } from './ingest.controller';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';
import { OtlpIngestService } from './otlp-ingest.service';
import { OtlpTracesController } from './otlp-traces.controller';

@Module({
  imports: [PricingModule, PoliciesModule, TenancyModule, JobsModule, EvalsModule],
  controllers: [IngestController, OtlpTracesController],
  providers: [IngestRepository, IngestService, CostRecomputeService, CostRecomputeResolver, OtlpIngestService],
  exports: [IngestService],
})
export class IngestModule {}

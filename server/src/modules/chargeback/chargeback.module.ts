import { Module } from '@nestjs/common';
import { GpuModule } from '../gpu/gpu.module';
import { JobsModule } from '../jobs/jobs.module';
import { NodesModule } from '../nodes/nodes.module';
import { PoliciesModule } from '../policies/policies.module';
import { PricingModule } from '../pricing/pricing.module';
import { UsageModule } from '../usage/usage.module';
import { AllInSpendService } from './all-in-spend.service';
import { ChargebackReportService } from './chargeback-report.service';
import { ChargebackController } from './chargeback.controller';
import { ChargebackRepository } from './chargeback.repository';
import { ChargebackResolver } from './chargeback.resolver';
import { InternalPriceService } from './internal-price.service';
import { SpendResolver } from './spend.resolver';
import { TeamBudgetsService } from './team-budgets.service';

/** One spend figure per team, hosted APIs and own GPUs together: all-in spend, budgets and forecast, chargeback. */
@Module({
  imports: [UsageModule, GpuModule, NodesModule, PricingModule, PoliciesModule, JobsModule],
  controllers: [ChargebackController],
  providers: [AllInSpendService, ChargebackRepository, ChargebackReportService, TeamBudgetsService, InternalPriceService, SpendResolver, ChargebackResolver],
  exports: [AllInSpendService],
})
export class ChargebackModule {}

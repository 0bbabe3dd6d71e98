import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { formatNanoUsd } from '../../engine/money/exact-decimal';
import { userActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AuditedByHandler } from '../audit/audited-by-handler.decorator';
import { JobModel } from '../jobs/models/job.model';
import { JobsService } from '../jobs/jobs.service';
import { PriceModel } from '../pricing/models/price.model';
import { toPriceModel } from '../pricing/pricing.resolver';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import type { ChargebackReportEntity } from './chargeback-report.entity';
import { ChargebackReportService } from './chargeback-report.service';
import { InternalPriceService } from './internal-price.service';
import { ChargebackReportModel, TeamBudgetModel } from './models/chargeback.model';
import { TeamBudgetsService } from './team-budgets.service';

function toReportModel(entity: ChargebackReportEntity): ChargebackReportModel {
  return {
    id: entity.id,
    month: entity.month,
    requestedBy: entity.requestedBy,
    createdAt: entity.createdAt,
    completedAt: entity.completedAt,
    totalCostUsd: entity.report ? formatNanoUsd(BigInt(entity.report.totalCostNanoUsd)) : null,
    csvUrl: `/api/v1/reports/chargeback/${entity.id}.csv`,
    htmlUrl: `/api/v1/reports/chargeback/${entity.id}.html`,
  };
}

/** Finance's questions: budgets and forecast, chargeback reports, internal prices. Finance and admin only. */
@Resolver()
export class ChargebackResolver {
  constructor(
    private readonly budgets: TeamBudgetsService,
    private readonly reports: ChargebackReportService,
    private readonly internalPrices: InternalPriceService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {}

  @Allow('budgets.read')
  @Query(() => [TeamBudgetModel], { description: 'Per team for a month (YYYY-MM, UTC): all-in spend, USD limit, month-end forecast and range.' })
  teamBudgets(@Args('month') month: string): Promise<TeamBudgetModel[]> {
    return this.budgets.teamBudgets(month);
  }

  @Allow('chargebackReports.write')
  @AuditedByHandler()
  @Mutation(() => JobModel, { description: "Queues the month's chargeback report; follow job(id); download /api/v1/reports/chargeback/{id}.csv or .html." })
  async createChargebackReport(@Args('month') month: string, @CurrentSession() session: UserSession): Promise<JobModel> {
    const id = await this.reports.request(month, session.email, userActor(session.email, session.role));
    return this.jobs.job(id);
  }

  @Allow('chargebackReports.read')
  @Query(() => ChargebackReportModel, { nullable: true })
  async chargebackReport(@Args('id', { type: () => ID }) id: string): Promise<ChargebackReportModel> {
    return toReportModel(await this.reports.get(id));
  }

  @Allow('chargebackReports.read')
  @Query(() => [ChargebackReportModel], { description: 'The latest 100 reports, newest first.' })
  async chargebackReports(): Promise<ChargebackReportModel[]> {
    return (await this.reports.list()).map(toReportModel);
  }

  @Allow('prices.write')
  @AuditedByHandler()
  @Mutation(() => PriceModel, {
    description:
      "Measures the on-prem cost per 1M input and output tokens of `model` on `node` over [from, to) (to: default the current hour's start) " +
      'and writes it to the catalog as a price of that model (source measured), effective from effectiveFrom (default now).',
  })
  async setInternalPrice(
    @Args('node') node: string,
    @Args('model') model: string,
    @Args('from') from: Date,
    @Args('to', { nullable: true }) to?: Date,
    @Args('effectiveFrom', { nullable: true }) effectiveFrom?: Date,
    @CurrentSession() session?: UserSession,
  ): Promise<PriceModel> {
    const price = toPriceModel(await this.internalPrices.setInternalPrice(node, model, from, to ?? undefined, effectiveFrom ?? undefined));
    await this.audit.record({
      action: 'pricing.setInternalPrice',
      ...userActor(session?.email ?? 'unknown', session?.role ?? null),
      targetType: 'price',
      targetId: price.id,
      after: { modelPattern: price.modelPattern, inputPerMillionUsd: price.inputPerMillionUsd, outputPerMillionUsd: price.outputPerMillionUsd, effectiveFrom: price.effectiveFrom },
      details: { node, model, from: price.measuredFrom, to: price.measuredTo },
    });
    return price;
  }
}

import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RetentionStatusModel } from '../retention/models/retention.model';
import { Allow } from '../tenancy/access.decorators';
import { ComplianceService, complianceScopeOf } from './compliance.service';
import {
  AuditChainStatusModel,
  ComplianceViewModel,
  DataLocalityModel,
  DecisionFiguresModel,
  FlaggedNodeModel,
  PersonalDataDetectionModel,
  TimeBucket,
} from './models/compliance.model';

/** The compliance dashboard, for compliance and admin only: each figure is computed only when the query asks for it. */
@Resolver(() => ComplianceViewModel)
export class ComplianceResolver {
  constructor(private readonly compliance: ComplianceService) {}

  @Allow('complianceView.read')
  @Query(() => ComplianceViewModel, { description: `The compliance figures for [from, to) (whole hours, at most 366 days) and the teams named (none: all, at most 100).` })
  complianceView(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('teams', { type: () => [String], nullable: true }) teams?: string[],
    @Args('bucket', { type: () => TimeBucket, nullable: true, defaultValue: TimeBucket.DAY }) bucket: TimeBucket = TimeBucket.DAY,
  ): ComplianceViewModel {
    const scope = complianceScopeOf(from, to, teams);
    return { ...scope, bucket };
  }

  @Allow('complianceView.read')
  @ResolveField(() => DecisionFiguresModel)
  decisions(@Parent() view: ComplianceViewModel): Promise<DecisionFiguresModel> {
    return this.compliance.decisions(view, view.bucket);
  }

  @Allow('complianceView.read')
  @ResolveField(() => [PersonalDataDetectionModel], { description: 'Personal data found, per team, detector and what was done.' })
  personalData(@Parent() view: ComplianceViewModel): Promise<PersonalDataDetectionModel[]> {
    return this.compliance.personalData(view);
  }

  @Allow('complianceView.read')
  @ResolveField(() => [DataLocalityModel], { description: 'Per team, then all teams (team null): requests and requests with personal data served on-premises vs external.' })
  locality(@Parent() view: ComplianceViewModel): Promise<DataLocalityModel[]> {
    return this.compliance.locality(view);
  }

  @Allow('complianceView.read')
  @ResolveField(() => [RetentionStatusModel], { description: "Retention now (not limited to the range), for the view's teams and every node." })
  retention(@Parent() view: ComplianceViewModel): Promise<RetentionStatusModel[]> {
    return this.compliance.retentionStatus(view.teams);
  }

  @Allow('complianceView.read')
  @ResolveField(() => [FlaggedNodeModel], { description: 'Nodes that served models outside their policy, as of their last health check.' })
  flaggedNodes(): Promise<FlaggedNodeModel[]> {
    return this.compliance.flaggedNodes();
  }

  @Allow('complianceView.read')
  @ResolveField(() => AuditChainStatusModel, { description: 'Verifies the whole audit chain now.' })
  auditChain(): Promise<AuditChainStatusModel> {
    return this.compliance.auditChain();
  }
}

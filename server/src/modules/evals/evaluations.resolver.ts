import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentSession, Allow } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { teamScopeOf } from '../tenancy/read-scope';
import { RequestModel } from '../usage/models/request.model';
import { EvaluationsService } from './evaluations.service';
import {
  EvaluationFilter,
  HallucinationDimension,
  HallucinationRateRowModel,
  ModelComparisonModel,
  ScoreDistributionModel,
  ScoredRequestModel,
} from './models/evaluations.model';

/** Hallucination analytics for the Evaluations dashboard: every signed-in role (a viewer its own teams'); content per role. */
@Resolver(() => ScoredRequestModel)
export class EvaluationsResolver {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Allow('evaluations.read')
  @Query(() => [HallucinationRateRowModel], { description: 'Hallucination rate of the requests made in [from, to), grouped as asked; [] groups to one totals row.' })
  hallucinationRate(
    @CurrentSession() session: UserSession | undefined,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('groupBy', { type: () => [HallucinationDimension] }) groupBy: HallucinationDimension[],
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<HallucinationRateRowModel[]> {
    return this.evaluations.hallucinationRate(from, to, groupBy, filter, teamScopeOf(session));
  }

  @Allow('evaluations.read')
  @Query(() => [ScoreDistributionModel], { description: 'Histogram of each score name given to requests made in [from, to).' })
  scoreDistributions(
    @CurrentSession() session: UserSession | undefined,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('buckets', { type: () => Int, nullable: true, defaultValue: 10 }) buckets: number,
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<ScoreDistributionModel[]> {
    return this.evaluations.scoreDistributions(from, to, buckets, filter, teamScopeOf(session));
  }

  @Allow('evaluations.read')
  @Query(() => [ScoredRequestModel], { description: 'Requests made in [from, to) with the worst latest score of `name` (by its direction), worst first.' })
  worstScoredRequests(
    @CurrentSession() session: UserSession | undefined,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('name') name: string,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: 20 }) limit: number,
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<ScoredRequestModel[]> {
    return this.evaluations.worstScoredRequests(from, to, name, limit, filter, teamScopeOf(session));
  }

  @Allow('evaluations.read')
  @Query(() => ModelComparisonModel, { description: 'Models compared on one evaluator\'s verdicts over the requests made in [from, to).' })
  modelComparison(
    @CurrentSession() session: UserSession | undefined,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('models', { type: () => [String] }) models: string[],
    @Args('evaluator') evaluator: string,
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<ModelComparisonModel> {
    return this.evaluations.compareModels(from, to, models, evaluator, filter, teamScopeOf(session));
  }

  @Allow('evaluations.read')
  @ResolveField(() => RequestModel, { description: 'The request; prompt and completion only for the roles that may read content.' })
  request(@Parent() row: ScoredRequestModel, @CurrentSession() session: UserSession | undefined): Promise<RequestModel> {
    return this.evaluations.scoredRequest(row, session?.role);
  }
}

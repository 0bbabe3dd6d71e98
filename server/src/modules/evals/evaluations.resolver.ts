import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentSession, Allow } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
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

/** Hallucination analytics for the Evaluations dashboard: every signed-in role; content only per the role rule. */
@Resolver(() => ScoredRequestModel)
export class EvaluationsResolver {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Allow('evaluations.read')
  @Query(() => [HallucinationRateRowModel], { description: 'Hallucination rate of the requests made in [from, to), grouped as asked; [] groups to one totals row.' })
  hallucinationRate(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('groupBy', { type: () => [HallucinationDimension] }) groupBy: HallucinationDimension[],
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<HallucinationRateRowModel[]> {
    return this.evaluations.hallucinationRate(from, to, groupBy, filter);
  }

  @Allow('evaluations.read')
  @Query(() => [ScoreDistributionModel], { description: 'Histogram of each score name given to requests made in [from, to).' })
  scoreDistributions(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('buckets', { type: () => Int, nullable: true, defaultValue: 10 }) buckets: number,
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<ScoreDistributionModel[]> {
    return this.evaluations.scoreDistributions(from, to, buckets, filter);
  }

  @Allow('evaluations.read')
  @Query(() => [ScoredRequestModel], { description: 'Requests made in [from, to) with the worst latest score of `name` (by its direction), worst first.' })
  worstScoredRequests(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('name') name: string,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: 20 }) limit: number,
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<ScoredRequestModel[]> {
    return this.evaluations.worstScoredRequests(from, to, name, limit, filter);
  }

  @Allow('evaluations.read')
  @Query(() => ModelComparisonModel, { description: 'Models compared on one evaluator\'s verdicts over the requests made in [from, to).' })
  modelComparison(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('models', { type: () => [String] }) models: string[],
    @Args('evaluator') evaluator: string,
    @Args('filter', { nullable: true }) filter?: EvaluationFilter,
  ): Promise<ModelComparisonModel> {
    return this.evaluations.compareModels(from, to, models, evaluator, filter);
  }

  @Allow('evaluations.read')
  @ResolveField(() => RequestModel, { description: 'The request; prompt and completion only for the roles that may read content.' })
  request(@Parent() row: ScoredRequestModel, @CurrentSession() session: UserSession | undefined): Promise<RequestModel> {
    return this.evaluations.scoredRequest(row, session?.role);
  }
}

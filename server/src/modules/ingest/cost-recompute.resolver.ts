import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { JobModel } from '../jobs/models/job.model';
import { JobsService } from '../jobs/jobs.service';
import { CurrentSession, Allow } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { CostRecomputeService } from './cost-recompute.service';

@Resolver(() => JobModel)
export class CostRecomputeResolver {
  constructor(
    private readonly recompute: CostRecomputeService,
    private readonly jobs: JobsService,
  ) {}

  @Allow('costs.recompute')
  @Mutation(() => JobModel, { description: 'Re-price stored requests in [from, to) with the current catalog, in the background.' })
  async recomputeCosts(@Args('from') from: Date, @Args('to') to: Date, @CurrentSession() session: UserSession): Promise<JobModel> {
    const id = await this.recompute.requestRecompute(from, to, session.email);
    return this.jobs.job(id);
  }
}

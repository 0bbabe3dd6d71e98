import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../tenancy/access.decorators';
import { JobModel } from './models/job.model';
import { JobsService } from './jobs.service';

@Resolver(() => JobModel)
export class JobsResolver {
  constructor(private readonly jobs: JobsService) {}

  @Allow('session.use')
  @Query(() => JobModel, { nullable: true })
  job(@Args('id', { type: () => ID }) id: string): Promise<JobModel> {
    return this.jobs.job(id);
  }
}

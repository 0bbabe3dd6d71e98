import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../tenancy/access.decorators';
import { allRoles } from '../tenancy/roles';
import { JobModel } from './models/job.model';
import { JobsService } from './jobs.service';

@Resolver(() => JobModel)
export class JobsResolver {
  constructor(private readonly jobs: JobsService) {}

  @Roles(...allRoles)
  @Query(() => JobModel, { nullable: true })
  job(@Args('id', { type: () => ID }) id: string): Promise<JobModel> {
    return this.jobs.job(id);
  }
}

import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListMetadata } from '../../engine/graphql/list-arguments';
import { JobModel } from '../jobs/models/job.model';
import { JobsService } from '../jobs/jobs.service';
import { AuditedByHandler } from '../audit/audited-by-handler.decorator';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import type { LegalHoldEntity } from './legal-hold.entity';
import { LegalHoldModel, RetentionStatusModel } from './models/retention.model';
import { RetentionService } from './retention.service';

function toHoldModel(hold: LegalHoldEntity): LegalHoldModel {
  return { ...hold, active: hold.releasedAt === null };
}

function actorOf(session: UserSession) {
  return { actor: `user:${session.email}`, role: session.role };
}

/** Retention and legal holds: compliance and admin read and hold; only admin starts a sweep by hand. */
@Resolver(() => LegalHoldModel)
export class RetentionResolver {
  constructor(
    private readonly retention: RetentionService,
    private readonly jobs: JobsService,
  ) {}

  @Allow('retention.sweep')
  @Mutation(() => JobModel, { description: 'Apply every team\'s retention to the stored rows now, in the background.' })
  async runRetentionSweep(@CurrentSession() session: UserSession): Promise<JobModel> {
    const id = await this.retention.requestSweep(`user:${session.email}`);
    return this.jobs.job(id);
  }

  @Allow('retention.read')
  @Query(() => [RetentionStatusModel], { description: 'Per data class and team (node for gpu): oldest row kept vs policy days, last sweep, receipts.' })
  retentionStatus(): Promise<RetentionStatusModel[]> {
    return this.retention.status();
  }

  @Allow('retention.read')
  @Query(() => [LegalHoldModel], { description: 'Legal holds, newest first (at most 1000).' })
  async allLegalHolds(@Args('activeOnly', { type: () => Boolean, nullable: true, defaultValue: false }) activeOnly: boolean): Promise<LegalHoldModel[]> {
    return (await this.retention.listHolds(activeOnly)).map(toHoldModel);
  }

  @Allow('retention.read')
  @Query(() => ListMetadata)
  async _allLegalHoldsMeta(@Args('activeOnly', { type: () => Boolean, nullable: true, defaultValue: false }) activeOnly: boolean): Promise<ListMetadata> {
    return { count: (await this.retention.listHolds(activeOnly)).length };
  }

  @Allow('retention.hold')
  @AuditedByHandler()
  @Mutation(() => LegalHoldModel, { description: "Suspend deletion of a team's data until the hold is released." })
  async placeLegalHold(@Args('team') team: string, @Args('reason') reason: string, @CurrentSession() session: UserSession): Promise<LegalHoldModel> {
    return toHoldModel(await this.retention.placeHold(team, reason, actorOf(session)));
  }

  @Allow('retention.hold')
  @AuditedByHandler()
  @Mutation(() => LegalHoldModel, { description: 'Release a legal hold: the team\'s retention applies again from the next sweep (run at once).' })
  async releaseLegalHold(@Args('id', { type: () => ID }) id: string, @CurrentSession() session: UserSession): Promise<LegalHoldModel> {
    return toHoldModel(await this.retention.releaseHold(id, actorOf(session)));
  }
}

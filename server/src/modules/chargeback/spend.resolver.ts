import { Args, Query, Resolver } from '@nestjs/graphql';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { teamScopeOf } from '../tenancy/read-scope';
import { SpendDimension, SpendFilter, SpendRowModel, UnpricedModelModel } from '../usage/models/spend.model';
import { AllInSpendService } from './all-in-spend.service';

/** Spend all in: here rather than in usage, because it adds the GPU cost (gpu module) to the request rows (usage). */
@Resolver(() => SpendRowModel)
export class SpendResolver {
  constructor(private readonly allIn: AllInSpendService) {}

  @Allow('spend.read')
  @Query(() => [SpendRowModel], {
    description:
      'Spend, tokens and latency over [from, to), grouped as asked; [] groups to one totals row. costUsd: hosted APIs; onPremCostUsd: GPU ' +
      'cost of registered nodes allocated to the requests; totalCostUsd: both. Grouped by TEAM, owner teams carry their nodes\' idle hours as idle lines. ' +
      'A viewer reads its own teams only: grouped by TEAM, or for one of its teams (filter.team, implied when it has one).',
  })
  async spend(
    @CurrentSession() session: UserSession | undefined,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('groupBy', { type: () => [SpendDimension] }) groupBy: SpendDimension[],
    @Args('filter', { nullable: true }) filter?: SpendFilter,
  ): Promise<SpendRowModel[]> {
    const teams = teamScopeOf(session);
    if (teams === null) return this.allIn.spend(from, to, groupBy, filter ?? {});
    // A team-scoped reader: every row answered is one of its teams' (rows of several teams are never summed here).
    if (filter?.team) return teams.includes(filter.team) ? this.allIn.spend(from, to, groupBy, filter) : [];
    if (groupBy.includes(SpendDimension.TEAM)) {
      const rows = await this.allIn.spend(from, to, groupBy, filter ?? {});
      return rows.filter((row) => row.team !== null && teams.includes(row.team));
    }
    if (teams.length === 0) return [];
    if (teams.length === 1) return this.allIn.spend(from, to, groupBy, { ...filter, team: teams[0] });
    throw new DomainError(ErrorCode.Validation, `filter.team: you read the spend of your teams (${teams.join(', ')}): name one, or group by TEAM`, [
      { field: 'filter.team', message: 'name one of your teams, or group by TEAM' },
    ]);
  }

  @Allow('spend.read')
  @Query(() => [UnpricedModelModel], { description: 'Models seen in [from, to) with no price anywhere: no catalog price and not served by a registered node with a cost.' })
  unpricedModels(@CurrentSession() session: UserSession | undefined, @Args('from') from: Date, @Args('to') to: Date): Promise<UnpricedModelModel[]> {
    return this.allIn.unpricedModels(from, to, teamScopeOf(session));
  }
}

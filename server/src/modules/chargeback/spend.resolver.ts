import { Args, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../tenancy/access.decorators';
import { allRoles } from '../tenancy/roles';
import { SpendDimension, SpendFilter, SpendRowModel, UnpricedModelModel } from '../usage/models/spend.model';
import { AllInSpendService } from './all-in-spend.service';

/** Spend all in: here rather than in usage, because it adds the GPU cost (gpu module) to the request rows (usage). */
@Resolver(() => SpendRowModel)
export class SpendResolver {
  constructor(private readonly allIn: AllInSpendService) {}

  @Roles(...allRoles)
  @Query(() => [SpendRowModel], {
    description:
      'Spend, tokens and latency over [from, to), grouped as asked; [] groups to one totals row. costUsd: hosted APIs; onPremCostUsd: GPU ' +
      'cost of registered nodes allocated to the requests; totalCostUsd: both. Grouped by TEAM, owner teams carry their nodes\' idle hours as idle lines.',
  })
  spend(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('groupBy', { type: () => [SpendDimension] }) groupBy: SpendDimension[],
    @Args('filter', { nullable: true }) filter?: SpendFilter,
  ): Promise<SpendRowModel[]> {
    return this.allIn.spend(from, to, groupBy, filter ?? {});
  }

  @Roles(...allRoles)
  @Query(() => [UnpricedModelModel], { description: 'Models seen in [from, to) with no price anywhere: no catalog price and not served by a registered node with a cost.' })
  unpricedModels(@Args('from') from: Date, @Args('to') to: Date): Promise<UnpricedModelModel[]> {
    return this.allIn.unpricedModels(from, to);
  }
}

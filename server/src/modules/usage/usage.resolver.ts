import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { RequestFilter, RequestModel } from './models/request.model';
import { SpendDimension, SpendFilter, SpendRowModel, UnpricedModelModel } from './models/spend.model';
import { requestSortColumns } from './usage.repository';
import { UsageService } from './usage.service';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { teamScopeOf } from '../tenancy/read-scope';

const sortableRequestFields = Object.keys(requestSortColumns);

/** Spend and requests; a viewer reads its own teams' rows only (teamScopeOf), content only per content.read. */
@Resolver(() => RequestModel)
export class UsageResolver {
  constructor(private readonly usage: UsageService) {}

  @Allow('spend.read')
  @Query(() => [SpendRowModel], { description: 'Spend, tokens and latency over [from, to), grouped as asked; [] groups to one totals row.' })
  spend(
    @CurrentSession() session: UserSession | undefined,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('groupBy', { type: () => [SpendDimension] }) groupBy: SpendDimension[],
    @Args('filter', { nullable: true }) filter?: SpendFilter,
  ): Promise<SpendRowModel[]> {
    return this.usage.spend(from, to, groupBy, filter, teamScopeOf(session));
  }

  @Allow('spend.read')
  @Query(() => [UnpricedModelModel], { description: 'Models seen in [from, to) with no price in the catalog.' })
  unpricedModels(@CurrentSession() session: UserSession | undefined, @Args('from') from: Date, @Args('to') to: Date): Promise<UnpricedModelModel[]> {
    return this.usage.unpricedModels(from, to, teamScopeOf(session));
  }

  @Allow('requests.read')
  @Query(() => [RequestModel])
  allRequests(
    @CurrentSession() session: UserSession | undefined,
    @Args() args: ListArguments,
    @Args('filter', { nullable: true }) filter?: RequestFilter,
  ): Promise<RequestModel[]> {
    const paging = pagingOf(args, sortableRequestFields, { sortField: 'timestamp', sortOrder: 'DESC' });
    return this.usage.listRequests(paging, filter, session?.role, teamScopeOf(session));
  }

  @Allow('requests.read')
  @Query(() => ListMetadata)
  async _allRequestsMeta(
    @CurrentSession() session: UserSession | undefined,
    @Args() args: ListArguments,
    @Args('filter', { nullable: true }) filter?: RequestFilter,
  ): Promise<ListMetadata> {
    pagingOf(args, sortableRequestFields, { sortField: 'timestamp', sortOrder: 'DESC' });
    return { count: await this.usage.countRequests(filter, teamScopeOf(session)) };
  }

  @Allow('requests.read')
  @Query(() => RequestModel, { nullable: true })
  Request(@CurrentSession() session: UserSession | undefined, @Args('id', { type: () => ID }) id: string): Promise<RequestModel> {
    return this.usage.getRequest(id, session?.role, undefined, teamScopeOf(session));
  }
}

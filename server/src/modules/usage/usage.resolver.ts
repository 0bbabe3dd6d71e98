import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentSession } from '../../engine/auth/current-session.decorator';
import type { SessionClaims } from '../../engine/auth/session-tokens';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { RequestFilter, RequestModel } from './models/request.model';
import { SpendDimension, SpendFilter, SpendRowModel, UnpricedModelModel } from './models/spend.model';
import { requestSortColumns } from './usage.repository';
import { UsageService } from './usage.service';

const sortableRequestFields = Object.keys(requestSortColumns);

@Resolver(() => RequestModel)
export class UsageResolver {
  constructor(private readonly usage: UsageService) {}

  @Query(() => [SpendRowModel], { description: 'Spend, tokens and latency over [from, to), grouped as asked; [] groups to one totals row.' })
  spend(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('groupBy', { type: () => [SpendDimension] }) groupBy: SpendDimension[],
    @Args('filter', { nullable: true }) filter?: SpendFilter,
  ): Promise<SpendRowModel[]> {
    return this.usage.spend(from, to, groupBy, filter);
  }

  @Query(() => [UnpricedModelModel], { description: 'Models seen in [from, to) with no price in the catalog.' })
  unpricedModels(@Args('from') from: Date, @Args('to') to: Date): Promise<UnpricedModelModel[]> {
    return this.usage.unpricedModels(from, to);
  }

  @Query(() => [RequestModel])
  allRequests(
    @CurrentSession() session: SessionClaims,
    @Args() args: ListArguments,
    @Args('filter', { nullable: true }) filter?: RequestFilter,
  ): Promise<RequestModel[]> {
    const paging = pagingOf(args, sortableRequestFields, { sortField: 'timestamp', sortOrder: 'DESC' });
    return this.usage.listRequests(paging, filter, session.role);
  }

  @Query(() => ListMetadata)
  async _allRequestsMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: RequestFilter): Promise<ListMetadata> {
    pagingOf(args, sortableRequestFields, { sortField: 'timestamp', sortOrder: 'DESC' });
    return { count: await this.usage.countRequests(filter) };
  }

  @Query(() => RequestModel, { nullable: true })
  Request(@CurrentSession() session: SessionClaims, @Args('id', { type: () => ID }) id: string): Promise<RequestModel> {
    return this.usage.getRequest(id, session.role);
  }
}

import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { RequestFilter, RequestModel } from './models/request.model';
import { requestSortColumns } from './usage.repository';
import { UsageService } from './usage.service';
import { Allow, CurrentSession } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { teamScopeOf } from '../tenancy/read-scope';

const sortableRequestFields = Object.keys(requestSortColumns);

// `spend` and `unpricedModels` answer all in (hosted APIs and on-prem GPUs): see modules/chargeback/spend.resolver.ts.
/** Requests; a viewer reads its own teams' rows only (teamScopeOf), content only per content.read. */
@Resolver(() => RequestModel)
export class UsageResolver {
  constructor(private readonly usage: UsageService) {}

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

import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { RequestFilter, RequestModel } from './models/request.model';
import { requestSortColumns } from './usage.repository';
import { UsageService } from './usage.service';
import { CurrentSession, Roles } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { allRoles } from '../tenancy/roles';

const sortableRequestFields = Object.keys(requestSortColumns);

// `spend` and `unpricedModels` answer all in (hosted APIs and on-prem GPUs): see modules/chargeback/spend.resolver.ts.
@Resolver(() => RequestModel)
export class UsageResolver {
  constructor(private readonly usage: UsageService) {}

  @Roles(...allRoles)
  @Query(() => [RequestModel])
  allRequests(
    @CurrentSession() session: UserSession | undefined,
    @Args() args: ListArguments,
    @Args('filter', { nullable: true }) filter?: RequestFilter,
  ): Promise<RequestModel[]> {
    const paging = pagingOf(args, sortableRequestFields, { sortField: 'timestamp', sortOrder: 'DESC' });
    return this.usage.listRequests(paging, filter, session?.role);
  }

  @Roles(...allRoles)
  @Query(() => ListMetadata)
  async _allRequestsMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: RequestFilter): Promise<ListMetadata> {
    pagingOf(args, sortableRequestFields, { sortField: 'timestamp', sortOrder: 'DESC' });
    return { count: await this.usage.countRequests(filter) };
  }

  @Roles(...allRoles)
  @Query(() => RequestModel, { nullable: true })
  Request(@CurrentSession() session: UserSession | undefined, @Args('id', { type: () => ID }) id: string): Promise<RequestModel> {
    return this.usage.getRequest(id, session?.role);
  }
}

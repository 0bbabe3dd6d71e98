import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow } from '../tenancy/access.decorators';
import { AlertHistoryService } from './alert-history.service';
import { AlertFilter, AlertModel } from './models/alert.models';

const sortableFields = ['id', 'startedAt', 'resolvedAt', 'ruleName', 'kind', 'state', 'value', 'lastEvaluatedAt'] as const;
const defaultSort = { sortField: 'startedAt', sortOrder: 'DESC' } as const;

/** Alert history: every signed-in role but viewer reads it (SRE, finance and compliance each have alerts of theirs). */
@Resolver(() => AlertModel)
export class AlertsResolver {
  constructor(private readonly history: AlertHistoryService) {}

  @Allow('alerts.read')
  @Query(() => [AlertModel])
  async allAlerts(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AlertFilter): Promise<AlertModel[]> {
    return (await this.history.list(pagingOf(args, sortableFields, defaultSort), filter ?? {})).rows;
  }

  @Allow('alerts.read')
  @Query(() => ListMetadata)
  async _allAlertsMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AlertFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableFields, defaultSort);
    return { count: await this.history.count({ ...paging, page: 0, perPage: 1 }, filter ?? {}) };
  }

  @Allow('alerts.read')
  @Query(() => AlertModel, { nullable: true })
  Alert(@Args('id', { type: () => ID }) id: string): Promise<AlertModel> {
    return this.history.get(id);
  }
}

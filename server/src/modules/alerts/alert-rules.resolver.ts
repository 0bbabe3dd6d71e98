import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { JsonScalar } from '../../engine/graphql/json.scalar';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow } from '../tenancy/access.decorators';
import { AlertConfigurationService } from './alert-configuration.service';
import { AlertEvaluatorService } from './alert-evaluator.service';
import type { AlertRuleEntity } from './alert.entities';
import { AlertEvaluationModel, AlertRuleFilter, AlertRuleModel } from './models/alert.models';

const sortableFields = ['id', 'name', 'kind', 'enabled', 'team', 'node', 'lastEvaluatedAt', 'createdAt', 'updatedAt'] as const;
const defaultSort = { sortField: 'name', sortOrder: 'ASC' } as const;

function toModel(rule: AlertRuleEntity): AlertRuleModel {
  return { ...rule, params: rule.params ?? {}, channelIds: rule.channelIds ?? [] };
}

/** Alert rules (ra-data-graphql-simple naming). Admins write them; the roles that read alerts read them too. */
@Resolver(() => AlertRuleModel)
export class AlertRulesResolver {
  constructor(
    private readonly configuration: AlertConfigurationService,
    private readonly evaluator: AlertEvaluatorService,
  ) {}

  @Allow('alerts.read')
  @Query(() => [AlertRuleModel])
  async allAlertRules(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AlertRuleFilter): Promise<AlertRuleModel[]> {
    const { rows } = await this.configuration.listRules(pagingOf(args, sortableFields, defaultSort), filter ?? {});
    return rows.map(toModel);
  }

  @Allow('alerts.read')
  @Query(() => ListMetadata)
  async _allAlertRulesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: AlertRuleFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableFields, defaultSort);
    const { total } = await this.configuration.listRules({ ...paging, page: 0, perPage: 1 }, filter ?? {});
    return { count: total };
  }

  @Allow('alerts.read')
  @Query(() => AlertRuleModel, { nullable: true })
  async AlertRule(@Args('id', { type: () => ID }) id: string): Promise<AlertRuleModel> {
    return toModel(await this.configuration.getRule(id));
  }

  @Allow('alertRules.write')
  @Mutation(() => AlertRuleModel)
  async createAlertRule(
    @Args('name') name: string,
    @Args('kind') kind: string,
    @Args('params', { type: () => JsonScalar, nullable: true }) params?: unknown,
    @Args('team', { type: () => String, nullable: true }) team?: string | null,
    @Args('node', { type: () => String, nullable: true }) node?: string | null,
    @Args('enabled', { nullable: true }) enabled?: boolean,
    @Args('channelIds', { type: () => [ID], nullable: true }) channelIds?: string[] | null,
  ): Promise<AlertRuleModel> {
    return toModel(await this.configuration.createRule({ name, kind, params, team, node, enabled: enabled ?? undefined, channelIds: channelIds ?? undefined }));
  }

  @Allow('alertRules.write')
  @Mutation(() => AlertRuleModel)
  async updateAlertRule(
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { nullable: true }) name?: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('params', { type: () => JsonScalar, nullable: true }) params?: unknown,
    @Args('team', { type: () => String, nullable: true }) team?: string | null,
    @Args('node', { type: () => String, nullable: true }) node?: string | null,
    @Args('enabled', { nullable: true }) enabled?: boolean,
    @Args('channelIds', { type: () => [ID], nullable: true }) channelIds?: string[] | null,
  ): Promise<AlertRuleModel> {
    return toModel(
      await this.configuration.updateRule(id, {
        name: name ?? undefined,
        kind: kind ?? undefined,
        params: params ?? undefined,
        team,
        node,
        enabled: enabled ?? undefined,
        channelIds: channelIds ?? undefined,
      }),
    );
  }

  @Allow('alertRules.write')
  @Mutation(() => AlertRuleModel)
  async deleteAlertRule(@Args('id', { type: () => ID }) id: string): Promise<AlertRuleModel> {
    return toModel(await this.configuration.deleteRule(id));
  }

  @Allow('alerts.evaluate')
  @Mutation(() => AlertEvaluationModel, { description: 'Evaluates every enabled rule now instead of at the next scheduled tick.' })
  evaluateAlertRules(): Promise<AlertEvaluationModel> {
    return this.evaluator.evaluateNow();
  }
}

import { Args, Float, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow } from '../tenancy/access.decorators';
import { ScoreDefinitionFilter, ScoreDefinitionModel } from './models/score-definition.model';
import type { ScoreDefinitionEntity } from './score-definition.entity';
import { ScoreDefinitionsService, type ScoreDefinitionInput } from './score-definitions.service';
import type { ScoreDataType, ScoreDirection } from './scoring/score-definition';

const sortableFields = ['name', 'dataType', 'direction', 'threshold', 'origin', 'createdAt', 'updatedAt'] as const;
const defaultSort = { sortField: 'name', sortOrder: 'ASC' } as const;

function toModel(entity: ScoreDefinitionEntity): ScoreDefinitionModel {
  return { ...entity, labels: entity.labels ?? [], hallucinatedLabels: entity.hallucinatedLabels ?? [] };
}

/**
 * Score definitions, named as ra-data-graphql-simple expects. Every signed-in role reads them (the Evaluations
 * dashboard explains its flags with them); only admins change what counts as a hallucination.
 */
@Resolver(() => ScoreDefinitionModel)
export class ScoreDefinitionsResolver {
  constructor(private readonly definitions: ScoreDefinitionsService) {}

  @Allow('scoreDefinitions.read')
  @Query(() => [ScoreDefinitionModel])
  async allScoreDefinitions(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: ScoreDefinitionFilter): Promise<ScoreDefinitionModel[]> {
    const paging = pagingOf(args, sortableFields, defaultSort);
    const { rows } = await this.definitions.list({ ...paging, ...filter });
    return rows.map(toModel);
  }

  @Allow('scoreDefinitions.read')
  @Query(() => ListMetadata)
  async _allScoreDefinitionsMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: ScoreDefinitionFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableFields, defaultSort);
    const { total } = await this.definitions.list({ ...paging, page: 0, perPage: 1, ...filter });
    return { count: total };
  }

  @Allow('scoreDefinitions.read')
  @Query(() => ScoreDefinitionModel, { nullable: true })
  async ScoreDefinition(@Args('id', { type: () => ID }) id: string): Promise<ScoreDefinitionModel> {
    return toModel(await this.definitions.get(id));
  }

  @Allow('scoreDefinitions.write')
  @Mutation(() => ScoreDefinitionModel)
  async createScoreDefinition(
    @Args('name') name: string,
    @Args('dataType') dataType: string,
    @Args('description', { nullable: true }) description?: string,
    @Args('minimum', { type: () => Float, nullable: true }) minimum?: number | null,
    @Args('maximum', { type: () => Float, nullable: true }) maximum?: number | null,
    @Args('direction', { type: () => String, nullable: true }) direction?: string | null,
    @Args('threshold', { type: () => Float, nullable: true }) threshold?: number | null,
    @Args('labels', { type: () => [String], nullable: true }) labels?: string[] | null,
    @Args('hallucinatedLabels', { type: () => [String], nullable: true }) hallucinatedLabels?: string[] | null,
  ): Promise<ScoreDefinitionModel> {
    const input = { name, dataType, description, minimum, maximum, direction, threshold, labels, hallucinatedLabels };
    return toModel(await this.definitions.create(input as ScoreDefinitionInput));
  }

  @Allow('scoreDefinitions.write')
  @Mutation(() => ScoreDefinitionModel)
  async updateScoreDefinition(
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { nullable: true }) name?: string,
    @Args('dataType', { nullable: true }) dataType?: string,
    @Args('description', { nullable: true }) description?: string,
    @Args('minimum', { type: () => Float, nullable: true }) minimum?: number | null,
    @Args('maximum', { type: () => Float, nullable: true }) maximum?: number | null,
    @Args('direction', { type: () => String, nullable: true }) direction?: string | null,
    @Args('threshold', { type: () => Float, nullable: true }) threshold?: number | null,
    @Args('labels', { type: () => [String], nullable: true }) labels?: string[] | null,
    @Args('hallucinatedLabels', { type: () => [String], nullable: true }) hallucinatedLabels?: string[] | null,
  ): Promise<ScoreDefinitionModel> {
    const changes = {
      name: name ?? undefined,
      dataType: (dataType ?? undefined) as ScoreDataType | undefined,
      description: description ?? undefined,
      minimum,
      maximum,
      direction: direction as ScoreDirection | null | undefined,
      threshold,
      labels: labels ?? undefined,
      hallucinatedLabels: hallucinatedLabels ?? undefined,
    };
    return toModel(await this.definitions.update(id, changes));
  }

  @Allow('scoreDefinitions.write')
  @Mutation(() => ScoreDefinitionModel)
  async deleteScoreDefinition(@Args('id', { type: () => ID }) id: string): Promise<ScoreDefinitionModel> {
    return toModel(await this.definitions.delete(id));
  }
}

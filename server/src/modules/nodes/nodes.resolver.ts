import { Args, Float, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { NodeFilter, NodeLabelInput, NodeModel } from './models/node.model';
import type { NodeEntity } from './node.entity';
import { NodeService } from './nodes.service';
import { Roles } from '../tenancy/access.decorators';
import { allRoles } from '../tenancy/roles';

const sortableNodeFields = ['name', 'kind', 'hourlyCostUsd', 'energyPriceUsdPerKwh', 'createdAt', 'updatedAt'] as const;

function labelsOf(labels: NodeLabelInput[] | null | undefined): Record<string, string> | undefined {
  return labels ? Object.fromEntries(labels.map((label) => [label.key, label.value])) : undefined;
}

function toModel(node: NodeEntity): NodeModel {
  return {
    id: node.id,
    name: node.name,
    kind: node.kind,
    labels: Object.entries(node.labels ?? {}).map(([key, value]) => ({ key, value })),
    hourlyCostUsd: Number(node.hourlyCostUsd),
    hourlyCostUsdExact: node.hourlyCostUsd,
    energyPriceUsdPerKwh: Number(node.energyPriceUsdPerKwh),
    energyPriceUsdPerKwhExact: node.energyPriceUsdPerKwh,
    powerOverheadFactor: Number(node.powerOverheadFactor),
    notes: node.notes,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  };
}

/** Inference nodes, named as ra-data-graphql-simple expects. Every signed-in role reads; only admin writes. */
@Resolver(() => NodeModel)
export class NodeResolver {
  constructor(private readonly nodes: NodeService) {}

  @Roles(...allRoles)
  @Query(() => [NodeModel])
  async allNodes(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: NodeFilter): Promise<NodeModel[]> {
    const paging = pagingOf(args, sortableNodeFields, { sortField: 'name', sortOrder: 'ASC' });
    const { rows } = await this.nodes.list({ ...paging, ...filter });
    return rows.map(toModel);
  }

  @Roles(...allRoles)
  @Query(() => ListMetadata)
  async _allNodesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: NodeFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableNodeFields, { sortField: 'name', sortOrder: 'ASC' });
    const { total } = await this.nodes.list({ ...paging, page: 0, perPage: 1, ...filter });
    return { count: total };
  }

  @Roles(...allRoles)
  @Query(() => NodeModel, { nullable: true })
  async Node(@Args('id', { type: () => ID }) id: string): Promise<NodeModel> {
    return toModel(await this.nodes.get(id));
  }

  @Roles('admin')
  @Mutation(() => NodeModel)
  async createNode(
    @Args('name') name: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('labels', { type: () => [NodeLabelInput], nullable: true }) labels?: NodeLabelInput[],
    @Args('hourlyCostUsd', { type: () => Float, nullable: true }) hourlyCostUsd?: number,
    @Args('energyPriceUsdPerKwh', { type: () => Float, nullable: true }) energyPriceUsdPerKwh?: number,
    @Args('powerOverheadFactor', { type: () => Float, nullable: true }) powerOverheadFactor?: number,
    @Args('notes', { nullable: true }) notes?: string,
  ): Promise<NodeModel> {
    const node = await this.nodes.create({
      name,
      kind: kind ?? 'other',
      labels: labelsOf(labels) ?? {},
      hourlyCostUsd: hourlyCostUsd ?? 0,
      energyPriceUsdPerKwh: energyPriceUsdPerKwh ?? 0,
      powerOverheadFactor: powerOverheadFactor ?? 1,
      notes: notes ?? '',
    });
    return toModel(node);
  }

  @Roles('admin')
  @Mutation(() => NodeModel)
  async updateNode(
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { nullable: true }) name?: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('labels', { type: () => [NodeLabelInput], nullable: true }) labels?: NodeLabelInput[],
    @Args('hourlyCostUsd', { type: () => Float, nullable: true }) hourlyCostUsd?: number,
    @Args('energyPriceUsdPerKwh', { type: () => Float, nullable: true }) energyPriceUsdPerKwh?: number,
    @Args('powerOverheadFactor', { type: () => Float, nullable: true }) powerOverheadFactor?: number,
    @Args('notes', { nullable: true }) notes?: string,
  ): Promise<NodeModel> {
    const node = await this.nodes.update(id, {
      name: name ?? undefined,
      kind: kind ?? undefined,
      labels: labelsOf(labels),
      hourlyCostUsd: hourlyCostUsd ?? undefined,
      energyPriceUsdPerKwh: energyPriceUsdPerKwh ?? undefined,
      powerOverheadFactor: powerOverheadFactor ?? undefined,
      notes: notes ?? undefined,
    });
    return toModel(node);
  }

  @Roles('admin')
  @Mutation(() => NodeModel)
  async deleteNode(@Args('id', { type: () => ID }) id: string): Promise<NodeModel> {
    return toModel(await this.nodes.delete(id));
  }
}

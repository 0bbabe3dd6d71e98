import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { canonicalDecimal, DecimalScalar } from '../../engine/graphql/decimal.scalar';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { Allow } from '../tenancy/access.decorators';
import { NodeFilter, NodeLabelInput, NodeModel, NodeRateVersionModel } from './models/node.model';
import { servedModels } from './node.entity';
import { NodeService, type NodeRateVersion, type NodeRoutingInput, type NodeView } from './nodes.service';

// Rates live in their own versions table, so the list sorts by the node's own fields only.
const sortableNodeFields = ['name', 'kind', 'createdAt', 'updatedAt'] as const;

function labelsOf(labels: NodeLabelInput[] | null | undefined): Record<string, string> | undefined {
  return labels ? Object.fromEntries(labels.map((label) => [label.key, label.value])) : undefined;
}

/**
 * GraphQL gives an omitted argument as undefined and an explicit null as null: null clears baseUrl, apiKey and
 * routingPreference; for the others it means "unchanged".
 */
function routingOf(input: NodeRoutingInput): NodeRoutingInput {
  return {
    baseUrl: input.baseUrl,
    apiKey: input.apiKey,
    location: input.location ?? undefined,
    models: input.models ?? undefined,
    enabled: input.enabled ?? undefined,
    routingPreference: input.routingPreference,
  };
}

function toModel({ node, rates }: NodeView): NodeModel {
  return {
    id: node.id,
    name: node.name,
    kind: node.kind,
    labels: Object.entries(node.labels ?? {}).map(([key, value]) => ({ key, value })),
    hourlyCostUsd: canonicalDecimal(rates?.hourlyCostUsd ?? '0'),
    hourlyCostUsdExact: rates?.hourlyCostUsd ?? '0.000000000',
    energyPriceUsdPerKwh: canonicalDecimal(rates?.energyPriceUsdPerKwh ?? '0'),
    energyPriceUsdPerKwhExact: rates?.energyPriceUsdPerKwh ?? '0.000000000',
    powerOverheadFactor: canonicalDecimal(rates?.powerOverheadFactor ?? '1'),
    ratesEffectiveFrom: rates?.effectiveFrom ?? null,
    notes: node.notes,
    baseUrl: node.baseUrl ?? null,
    hasApiKey: Boolean(node.apiKeyEncrypted),
    location: node.location ?? 'on-premises',
    declaredModels: node.declaredModels ?? [],
    discoveredModels: node.discoveredModels ?? [],
    models: servedModels(node),
    enabled: node.enabled ?? true,
    health: { status: node.healthStatus ?? 'unknown', latencyMs: node.healthLatencyMs ?? null, checkedAt: node.healthCheckedAt ?? null, error: node.healthError ?? null },
    flaggedModels: node.flaggedModels ?? [],
    routingPreference: node.routingPreference ?? null,
    ownerTeam: node.ownerTeam ?? null,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  };
}

function toVersionModel({ version, effectiveUntil, inForce }: NodeRateVersion): NodeRateVersionModel {
  return {
    id: version.id,
    effectiveFrom: version.effectiveFrom,
    effectiveUntil,
    inForce,
    hourlyCostUsd: canonicalDecimal(version.hourlyCostUsd),
    energyPriceUsdPerKwh: canonicalDecimal(version.energyPriceUsdPerKwh),
    powerOverheadFactor: canonicalDecimal(version.powerOverheadFactor),
  };
}

/** Inference nodes, named as ra-data-graphql-simple expects. Every signed-in role reads; only admin writes. */
@Resolver(() => NodeModel)
export class NodeResolver {
  constructor(private readonly nodes: NodeService) {}

  @Allow('nodes.read')
  @Query(() => [NodeModel])
  async allNodes(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: NodeFilter): Promise<NodeModel[]> {
    const paging = pagingOf(args, sortableNodeFields, { sortField: 'name', sortOrder: 'ASC' });
    const { rows } = await this.nodes.list({ ...paging, ...filter });
    return rows.map(toModel);
  }

  @Allow('nodes.read')
  @Query(() => ListMetadata)
  async _allNodesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: NodeFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortableNodeFields, { sortField: 'name', sortOrder: 'ASC' });
    const { total } = await this.nodes.list({ ...paging, page: 0, perPage: 1, ...filter });
    return { count: total };
  }

  @Allow('nodes.read')
  @Query(() => NodeModel, { nullable: true })
  async Node(@Args('id', { type: () => ID }) id: string): Promise<NodeModel> {
    return toModel(await this.nodes.get(id));
  }

  @Allow('nodes.read')
  @Query(() => [NodeRateVersionModel], { description: "Every version of the node's rates, oldest first." })
  async nodeRateVersions(@Args('id', { type: () => ID }) id: string): Promise<NodeRateVersionModel[]> {
    return (await this.nodes.rateVersions(id)).map(toVersionModel);
  }

  @Allow('nodes.write')
  @Mutation(() => NodeModel, { description: 'Registers a node with its first rate version, effective from ratesEffectiveFrom (default now).' })
  async createNode(
    @Args('name') name: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('labels', { type: () => [NodeLabelInput], nullable: true }) labels?: NodeLabelInput[],
    @Args('hourlyCostUsd', { type: () => DecimalScalar, nullable: true }) hourlyCostUsd?: string,
    @Args('energyPriceUsdPerKwh', { type: () => DecimalScalar, nullable: true }) energyPriceUsdPerKwh?: string,
    @Args('powerOverheadFactor', { type: () => DecimalScalar, nullable: true }) powerOverheadFactor?: string,
    @Args('notes', { nullable: true }) notes?: string,
    @Args('ratesEffectiveFrom', { nullable: true }) ratesEffectiveFrom?: Date,
    @Args('baseUrl', { type: () => String, nullable: true }) baseUrl?: string | null,
    @Args('apiKey', { type: () => String, nullable: true, description: 'Write-only: stored encrypted, never returned. "" removes it.' }) apiKey?: string | null,
    @Args('location', { nullable: true, description: 'on-premises (default) or external.' }) location?: string,
    @Args('models', { type: () => [String], nullable: true, description: 'Declared models (discovered ones are added by health checks).' }) models?: string[],
    @Args('enabled', { nullable: true }) enabled?: boolean,
    @Args('routingPreference', { type: () => Int, nullable: true }) routingPreference?: number | null,
    @Args('ownerTeam', { nullable: true, description: "Team that carries the node's idle cost; omitted: none." }) ownerTeam?: string,
  ): Promise<NodeModel> {
    const node = await this.nodes.create({
      ownerTeam: ownerTeam ?? undefined,
      name,
      kind: kind ?? 'other',
      labels: labelsOf(labels) ?? {},
      hourlyCostUsd: hourlyCostUsd ?? '0',
      energyPriceUsdPerKwh: energyPriceUsdPerKwh ?? '0',
      powerOverheadFactor: powerOverheadFactor ?? '1',
      notes: notes ?? '',
      ratesEffectiveFrom: ratesEffectiveFrom ?? undefined,
      routing: routingOf({ baseUrl, apiKey, location, models, enabled, routingPreference }),
    });
    return toModel(node);
  }

  @Allow('nodes.write')
  @Mutation(() => NodeModel, {
    description:
      'Rates that differ from those in force become a new version effective from ratesEffectiveFrom (default now); ' +
      'versions in force are never rewritten.',
  })
  async updateNode(
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { nullable: true }) name?: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('labels', { type: () => [NodeLabelInput], nullable: true }) labels?: NodeLabelInput[],
    @Args('hourlyCostUsd', { type: () => DecimalScalar, nullable: true }) hourlyCostUsd?: string,
    @Args('energyPriceUsdPerKwh', { type: () => DecimalScalar, nullable: true }) energyPriceUsdPerKwh?: string,
    @Args('powerOverheadFactor', { type: () => DecimalScalar, nullable: true }) powerOverheadFactor?: string,
    @Args('notes', { nullable: true }) notes?: string,
    @Args('ratesEffectiveFrom', { nullable: true }) ratesEffectiveFrom?: Date,
    @Args('baseUrl', { type: () => String, nullable: true }) baseUrl?: string | null,
    @Args('apiKey', { type: () => String, nullable: true, description: 'Write-only: stored encrypted, never returned. "" removes it.' }) apiKey?: string | null,
    @Args('location', { nullable: true, description: 'on-premises (default) or external.' }) location?: string,
    @Args('models', { type: () => [String], nullable: true, description: 'Declared models (discovered ones are added by health checks).' }) models?: string[],
    @Args('enabled', { nullable: true }) enabled?: boolean,
    @Args('routingPreference', { type: () => Int, nullable: true }) routingPreference?: number | null,
    @Args('ownerTeam', { type: () => String, nullable: true, description: 'Team that carries the idle cost; "" or null clears it; omitted: unchanged.' }) ownerTeam?: string | null,
  ): Promise<NodeModel> {
    const node = await this.nodes.update(id, {
      // An explicit null clears the owner (the console sends an emptied field as null); omitted leaves it.
      ownerTeam: ownerTeam === null ? '' : ownerTeam,
      ratesEffectiveFrom: ratesEffectiveFrom ?? undefined,
      name: name ?? undefined,
      kind: kind ?? undefined,
      labels: labelsOf(labels),
      hourlyCostUsd: hourlyCostUsd ?? undefined,
      energyPriceUsdPerKwh: energyPriceUsdPerKwh ?? undefined,
      powerOverheadFactor: powerOverheadFactor ?? undefined,
      notes: notes ?? undefined,
      routing: routingOf({ baseUrl, apiKey, location, models, enabled, routingPreference }),
    });
    return toModel(node);
  }

  @Allow('nodes.write')
  @Mutation(() => NodeModel)
  async deleteNode(@Args('id', { type: () => ID }) id: string): Promise<NodeModel> {
    return toModel(await this.nodes.delete(id));
  }
}

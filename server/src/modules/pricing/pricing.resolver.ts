import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { canonicalDecimal, DecimalScalar } from '../../engine/graphql/decimal.scalar';
import type { PriceEntity } from './price.entity';
import { exactNameOf } from './catalog/model-pattern';
import type { PriceShadowing } from './catalog/price-shadowing';
import { ImportResultModel, PriceFilter, PriceMatchKind, PriceModel, PriceShadowRelation, PriceVersionModel } from './models/price.model';
import { PricingService, type PriceVersion } from './pricing.service';
import { Allow } from '../tenancy/access.decorators';

const sortablePriceFields = ['modelPattern', 'provider', 'inputPerMillionUsd', 'outputPerMillionUsd', 'cachedInputPerMillionUsd', 'effectiveFrom', 'source'] as const;

// Prices cross GraphQL as Decimal strings both ways: the numeric column's text is exact, never a float.
export function toPriceModel(price: PriceEntity): PriceModel {
  return {
    id: price.id,
    modelPattern: price.modelPattern,
    matchKind: exactNameOf(price.modelPattern) === null ? PriceMatchKind.PATTERN : PriceMatchKind.EXACT,
    provider: price.provider,
    inputPerMillionUsd: canonicalDecimal(price.inputPerMillionUsd),
    outputPerMillionUsd: canonicalDecimal(price.outputPerMillionUsd),
    cachedInputPerMillionUsd: price.cachedInputPerMillionUsd === null ? null : canonicalDecimal(price.cachedInputPerMillionUsd),
    effectiveFrom: price.effectiveFrom,
    currency: price.currency,
    source: price.source,
    measuredNode: price.measuredNode ?? null,
    measuredFrom: price.measuredFrom ?? null,
    measuredTo: price.measuredTo ?? null,
  };
}

function toVersionModel({ price, effectiveUntil, inForce }: PriceVersion): PriceVersionModel {
  const { id, effectiveFrom, inputPerMillionUsd, outputPerMillionUsd, cachedInputPerMillionUsd, source } = toPriceModel(price);
  return { id, effectiveFrom, effectiveUntil, inForce, inputPerMillionUsd, outputPerMillionUsd, cachedInputPerMillionUsd, source };
}

function toShadowingModel(finding: PriceShadowing) {
  return { ...finding, relation: PriceShadowRelation[finding.relation] };
}

@Resolver(() => PriceModel)
export class PricingResolver {
  constructor(private readonly pricing: PricingService) {}

  @Allow('prices.read')
  @Query(() => [PriceModel])
  async allPrices(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: PriceFilter): Promise<PriceModel[]> {
    const paging = pagingOf(args, sortablePriceFields, { sortField: 'modelPattern', sortOrder: 'ASC' });
    const { rows } = await this.pricing.list({ ...paging, ...filter });
    return rows.map(toPriceModel);
  }

  @Allow('prices.read')
  @Query(() => ListMetadata)
  async _allPricesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: PriceFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortablePriceFields, { sortField: 'modelPattern', sortOrder: 'ASC' });
    const { total } = await this.pricing.list({ ...paging, perPage: 1, page: 0, ...filter });
    return { count: total };
  }

  @Allow('prices.read')
  @Query(() => PriceModel, { nullable: true })
  async Price(@Args('id', { type: () => ID }) id: string): Promise<PriceModel> {
    return toPriceModel(await this.pricing.get(id));
  }

  @Allow('prices.read')
  @Query(() => [PriceVersionModel], { description: 'Every version of the entry (pattern + provider) that price `id` belongs to, oldest first.' })
  async priceVersions(@Args('id', { type: () => ID }) id: string): Promise<PriceVersionModel[]> {
    return (await this.pricing.versions(id)).map(toVersionModel);
  }

  @Allow('prices.write')
  @Mutation(() => PriceModel)
  async createPrice(
    @Args('modelPattern') modelPattern: string,
    @Args('provider') provider: string,
    @Args('inputPerMillionUsd', { type: () => DecimalScalar }) inputPerMillionUsd: string,
    @Args('outputPerMillionUsd', { type: () => DecimalScalar }) outputPerMillionUsd: string,
    @Args('effectiveFrom') effectiveFrom: Date,
    @Args('cachedInputPerMillionUsd', { type: () => DecimalScalar, nullable: true }) cachedInputPerMillionUsd?: string | null,
  ): Promise<PriceModel> {
    const price = await this.pricing.create({
      modelPattern,
      provider,
      inputPerMillionUsd,
      outputPerMillionUsd,
      cachedInputPerMillionUsd: cachedInputPerMillionUsd ?? null,
      effectiveFrom,
    });
    return toPriceModel(price);
  }

  @Allow('prices.write')
  @Mutation(() => PriceModel, {
    description:
      'New rates become a new version of the entry, effective from `effectiveFrom` (default now); versions in force are never ' +
      'rewritten. Answers the version written (or the one edited when nothing changed).',
  })
  async updatePrice(
    @Args('id', { type: () => ID }) id: string,
    @Args('modelPattern', { nullable: true }) modelPattern?: string,
    @Args('provider', { nullable: true }) provider?: string,
    @Args('inputPerMillionUsd', { type: () => DecimalScalar, nullable: true }) inputPerMillionUsd?: string,
    @Args('outputPerMillionUsd', { type: () => DecimalScalar, nullable: true }) outputPerMillionUsd?: string,
    @Args('cachedInputPerMillionUsd', { type: () => DecimalScalar, nullable: true }) cachedInputPerMillionUsd?: string | null,
    @Args('effectiveFrom', { nullable: true }) effectiveFrom?: Date,
  ): Promise<PriceModel> {
    const price = await this.pricing.update(id, {
      modelPattern: modelPattern ?? undefined,
      provider: provider ?? undefined,
      inputPerMillionUsd: inputPerMillionUsd ?? undefined,
      outputPerMillionUsd: outputPerMillionUsd ?? undefined,
      cachedInputPerMillionUsd,
      effectiveFrom: effectiveFrom ?? undefined,
    });
    return toPriceModel(price);
  }

  @Allow('prices.write')
  @Mutation(() => PriceModel)
  async deletePrice(@Args('id', { type: () => ID }) id: string): Promise<PriceModel> {
    return toPriceModel(await this.pricing.delete(id));
  }

  @Allow('prices.write')
  @Mutation(() => ImportResultModel)
  async importPrices(
    @Args('content') content: string,
    @Args('effectiveFrom', { nullable: true }) effectiveFrom?: Date,
  ): Promise<ImportResultModel> {
    const result = await this.pricing.importCatalog(content, effectiveFrom ?? new Date());
    return { ...result, shadowing: result.shadowing.map(toShadowingModel) };
  }
}

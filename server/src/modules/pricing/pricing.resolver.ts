import { Args, Float, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { QUEUE } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { QueuePort } from '../../engine/queue/queue-contracts';
import type { PriceEntity } from './price.entity';
import { ImportResultModel, JobModel, PriceFilter, PriceModel } from './models/price.model';
import { PricingService } from './pricing.service';
import { CurrentSession, Roles } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { allRoles } from '../tenancy/roles';

const sortablePriceFields = ['modelPattern', 'provider', 'inputPerMillionUsd', 'outputPerMillionUsd', 'cachedInputPerMillionUsd', 'effectiveFrom', 'source'] as const;

// GraphQL floats carry prices in and out; String(float) is the shortest exact text of what the client typed.
const decimalOf = (value: number | null | undefined) => (value === null || value === undefined ? value : String(value));

function toModel(price: PriceEntity): PriceModel {
  return {
    id: price.id,
    modelPattern: price.modelPattern,
    provider: price.provider,
    inputPerMillionUsd: Number(price.inputPerMillionUsd),
    outputPerMillionUsd: Number(price.outputPerMillionUsd),
    cachedInputPerMillionUsd: price.cachedInputPerMillionUsd === null ? null : Number(price.cachedInputPerMillionUsd),
    effectiveFrom: price.effectiveFrom,
    currency: price.currency,
    source: price.source,
  };
}

@Resolver(() => PriceModel)
export class PricingResolver {
  constructor(
    private readonly pricing: PricingService,
    @Inject(QUEUE) private readonly queue: QueuePort,
  ) {}

  @Roles(...allRoles)
  @Query(() => [PriceModel])
  async allPrices(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: PriceFilter): Promise<PriceModel[]> {
    const paging = pagingOf(args, sortablePriceFields, { sortField: 'modelPattern', sortOrder: 'ASC' });
    const { rows } = await this.pricing.list({ ...paging, ...filter });
    return rows.map(toModel);
  }

  @Roles(...allRoles)
  @Query(() => ListMetadata)
  async _allPricesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: PriceFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortablePriceFields, { sortField: 'modelPattern', sortOrder: 'ASC' });
    const { total } = await this.pricing.list({ ...paging, perPage: 1, page: 0, ...filter });
    return { count: total };
  }

  @Roles(...allRoles)
  @Query(() => PriceModel, { nullable: true })
  async Price(@Args('id', { type: () => ID }) id: string): Promise<PriceModel> {
    return toModel(await this.pricing.get(id));
  }

  @Roles('admin', 'finance')
  @Mutation(() => PriceModel)
  async createPrice(
    @Args('modelPattern') modelPattern: string,
    @Args('provider') provider: string,
    @Args('inputPerMillionUsd', { type: () => Float }) inputPerMillionUsd: number,
    @Args('outputPerMillionUsd', { type: () => Float }) outputPerMillionUsd: number,
    @Args('effectiveFrom') effectiveFrom: Date,
    @Args('cachedInputPerMillionUsd', { type: () => Float, nullable: true }) cachedInputPerMillionUsd?: number | null,
  ): Promise<PriceModel> {
    const price = await this.pricing.create({
      modelPattern,
      provider: provider.toLowerCase(),
      inputPerMillionUsd: String(inputPerMillionUsd),
      outputPerMillionUsd: String(outputPerMillionUsd),
      cachedInputPerMillionUsd: decimalOf(cachedInputPerMillionUsd) ?? null,
      effectiveFrom,
    });
    return toModel(price);
  }

  @Roles('admin', 'finance')
  @Mutation(() => PriceModel)
  async updatePrice(
    @Args('id', { type: () => ID }) id: string,
    @Args('modelPattern', { nullable: true }) modelPattern?: string,
    @Args('provider', { nullable: true }) provider?: string,
    @Args('inputPerMillionUsd', { type: () => Float, nullable: true }) inputPerMillionUsd?: number,
    @Args('outputPerMillionUsd', { type: () => Float, nullable: true }) outputPerMillionUsd?: number,
    @Args('cachedInputPerMillionUsd', { type: () => Float, nullable: true }) cachedInputPerMillionUsd?: number | null,
    @Args('effectiveFrom', { nullable: true }) effectiveFrom?: Date,
  ): Promise<PriceModel> {
    const price = await this.pricing.update(id, {
      modelPattern: modelPattern ?? undefined,
      provider: provider?.toLowerCase(),
      inputPerMillionUsd: decimalOf(inputPerMillionUsd) ?? undefined,
      outputPerMillionUsd: decimalOf(outputPerMillionUsd) ?? undefined,
      cachedInputPerMillionUsd: decimalOf(cachedInputPerMillionUsd),
      effectiveFrom: effectiveFrom ?? undefined,
    });
    return toModel(price);
  }

  @Roles('admin', 'finance')
  @Mutation(() => PriceModel)
  async deletePrice(@Args('id', { type: () => ID }) id: string): Promise<PriceModel> {
    return toModel(await this.pricing.delete(id));
  }

  @Roles('admin', 'finance')
  @Mutation(() => ImportResultModel)
  importPrices(
    @Args('content') content: string,
    @Args('effectiveFrom', { nullable: true }) effectiveFrom?: Date,
  ): Promise<ImportResultModel> {
    return this.pricing.importCatalog(content, effectiveFrom ?? new Date());
  }

  @Roles('admin', 'finance')
  @Mutation(() => JobModel, { description: 'Re-price stored requests in [from, to) with the current catalog, in the background.' })
  async recomputeCosts(@Args('from') from: Date, @Args('to') to: Date, @CurrentSession() session: UserSession): Promise<JobModel> {
    const id = await this.pricing.requestRecompute(from, to, session.email);
    return this.job(id);
  }

  @Roles(...allRoles)
  @Query(() => JobModel, { nullable: true })
  async job(@Args('id', { type: () => ID }) id: string): Promise<JobModel> {
    const status = await this.queue.status(id);
    if (!status) throw new DomainError(ErrorCode.NotFound, `No job ${id}`);
    return { id: status.id, name: status.name, state: status.state, progress: status.progress, error: status.error };
  }
}

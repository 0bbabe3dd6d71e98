import { Injectable } from '@nestjs/common';
import { isUuid } from '../../engine/postgres/uuid';
import { DataSource, type FindOptionsWhere, ILike, In, QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { PriceEntry } from './catalog/price-entry';
import { PriceEntity } from './price.entity';

export interface PriceListQuery {
  page: number;
  perPage: number;
  sortField: keyof PriceEntity;
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  provider?: string;
  source?: string;
}

const uniqueViolation = '23505';

@Injectable()
export class PricingRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get prices() {
    return this.dataSource.getRepository(PriceEntity);
  }

  findAll(): Promise<PriceEntity[]> {
    return this.prices.find();
  }

  count(): Promise<number> {
    return this.prices.count();
  }

  findById(id: string): Promise<PriceEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prices.findOneBy({ id });
  }

  async list(query: PriceListQuery): Promise<{ rows: PriceEntity[]; total: number }> {
    const base: FindOptionsWhere<PriceEntity> = {};
    if (query.ids) {
      const ids = query.ids.filter((id) => isUuid(id));
      if (ids.length === 0) return { rows: [], total: 0 };
      base.id = In(ids);
    }
    if (query.provider) base.provider = query.provider;
    if (query.source) base.source = query.source;
    const where = query.q ? [{ ...base, modelPattern: ILike(`%${query.q}%`) }, { ...base, provider: ILike(`%${query.q}%`) }] : base;
    const [rows, total] = await this.prices.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  async save(price: Partial<PriceEntity>): Promise<PriceEntity> {
    try {
      return await this.prices.save(this.prices.create(price));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === uniqueViolation) {
        throw new DomainError(ErrorCode.Conflict, 'A price for this model pattern and provider from this date already exists: edit that one');
      }
      throw error;
    }
  }

  /** Every version of one entry (pattern and provider), oldest first. */
  findVersions(modelPattern: string, provider: string): Promise<PriceEntity[]> {
    return this.prices.find({ where: { modelPattern, provider }, order: { effectiveFrom: 'ASC' } });
  }

  findVersionAt(modelPattern: string, provider: string, effectiveFrom: Date): Promise<PriceEntity | null> {
    return this.prices.findOneBy({ modelPattern, provider, effectiveFrom });
  }

  async delete(id: string): Promise<void> {
    await this.prices.delete({ id });
  }

  /** Inserts catalog entries in one transaction; an entry already present (same pattern, provider, date) is updated. */
  async upsertEntries(entries: PriceEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < entries.length; start += 500) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(PriceEntity)
          .values(
            entries.slice(start, start + 500).map((entry) => ({
              modelPattern: entry.modelPattern,
              provider: entry.provider,
              inputPerMillionUsd: entry.inputPerMillionUsd,
              outputPerMillionUsd: entry.outputPerMillionUsd,
              cachedInputPerMillionUsd: entry.cachedInputPerMillionUsd,
              effectiveFrom: entry.effectiveFrom,
              source: entry.source,
              currency: 'USD',
            })),
          )
          .orUpdate(['input_per_million_usd', 'output_per_million_usd', 'cached_input_per_million_usd', 'source', 'updated_at'], ['model_pattern', 'provider', 'effective_from'])
          .execute();
      }
    });
    return entries.length;
  }
}

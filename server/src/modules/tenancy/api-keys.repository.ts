import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { isUuid } from '../../engine/postgres/uuid';
import { ApiKeyEntity, type ApiKeyScope } from './api-key.entity';

/** A key with its team's name, as the guard and the console need it. */
export interface ApiKeyRecord {
  key: ApiKeyEntity;
  teamName: string | null;
}

export interface ApiKeyListQuery {
  page: number;
  perPage: number;
  sortField: 'name' | 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'revokedAt';
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  teamId?: string | null;
  scope?: string;
  active?: boolean;
}

const sortColumns: Record<ApiKeyListQuery['sortField'], string> = {
  name: 'k.name',
  createdAt: 'k.created_at',
  expiresAt: 'k.expires_at',
  lastUsedAt: 'k.last_used_at',
  revokedAt: 'k.revoked_at',
};

/** Throttle of last_used_at writes: at most one per key per this many seconds (README states it). */
export const lastUsedWriteIntervalSeconds = 60;

/** The only place that reads and writes API keys. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  /** Keys that are not revoked and not expired and hold the scope. */
  countUsableWithScope(scope: ApiKeyScope): Promise<number> {
    return this.keys
      .createQueryBuilder('k')
      .where('k.revoked_at IS NULL')
      .andWhere('(k.expires_at IS NULL OR k.expires_at > now())')
      .andWhere(':scope = ANY(k.scopes)', { scope })
      .getCount();
  }

  findByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ keyHash });
  }

  /** The key (revoked or not: the caller decides) with its team's name, in one round trip. */
  async findRecordByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const key = await this.keys.findOne({ where: { keyHash }, relations: { team: true } });
    return key ? { key, teamName: key.team?.name ?? null } : null;
  }

  async findRecordById(id: string): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    const key = await this.keys.findOne({ where: { id }, relations: { team: true } });
    return key ? { key, teamName: key.team?.name ?? null } : null;
  }

  async list(query: ApiKeyListQuery): Promise<{ rows: ApiKeyRecord[]; total: number }> {
    const builder = this.keys.createQueryBuilder('k').leftJoinAndSelect('k.team', 't');
    if (query.ids) builder.andWhere('k.id = ANY(:ids::uuid[])', { ids: query.ids.filter(isUuid) });
    if (query.q) builder.andWhere('(k.name ILIKE :q OR k.prefix ILIKE :q)', { q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (query.teamId === null) builder.andWhere('k.team_id IS NULL');
    else if (query.teamId !== undefined) builder.andWhere('k.team_id = :teamId', { teamId: isUuid(query.teamId) ? query.teamId : '00000000-0000-0000-0000-000000000000' });
    if (query.scope) builder.andWhere(':scope = ANY(k.scopes)', { scope: query.scope });
    if (query.active === true) builder.andWhere('k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())');
    if (query.active === false) builder.andWhere('(k.revoked_at IS NOT NULL OR k.expires_at <= now())');
    builder.orderBy(sortColumns[query.sortField], query.sortOrder, query.sortOrder === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST').addOrderBy('k.id', 'ASC');
    builder.skip(query.page * query.perPage).take(query.perPage);
    const [keys, total] = await builder.getManyAndCount();
    return { rows: keys.map((key) => ({ key, teamName: key.team?.name ?? null })), total };
  }

  create(values: Pick<ApiKeyEntity, 'name' | 'prefix' | 'keyHash' | 'scopes' | 'teamId' | 'expiresAt'>): Promise<ApiKeyEntity> {
    return this.keys.save(this.keys.create({ ...values, revokedAt: null, lastUsedAt: null }));
  }

  /** True when the key was active and is revoked now; false when it was revoked already or does not exist. */
  async revoke(id: string, at: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** Records a use, unless one was recorded within the throttle interval (the database decides, for every server). */
  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - make_interval(secs => $3))`,
      [id, at, lastUsedWriteIntervalSeconds],
    );
  }
}

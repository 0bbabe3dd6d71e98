import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere, ILike, In, IsNull } from 'typeorm';
import { isUuid } from '../../engine/postgres/uuid';
import { ApiKeyEntity } from './api-key.entity';
import { TeamMembershipEntity } from './team-membership.entity';
import { TeamEntity } from './team.entity';

export interface TeamListQuery {
  page: number;
  perPage: number;
  sortField: 'name' | 'displayName' | 'createdAt';
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  parentId?: string;
}

/** What a team is holding: it can be deleted only when all are zero. */
export interface TeamDependants {
  members: number;
  keys: number;
  children: number;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The only place that reads and writes teams and memberships. */
@Injectable()
export class TeamsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get teams() {
    return this.dataSource.getRepository(TeamEntity);
  }

  async list(query: TeamListQuery): Promise<{ rows: TeamEntity[]; total: number }> {
    const base: FindOptionsWhere<TeamEntity> = {};
    if (query.ids) base.id = In(query.ids.filter(isUuid));
    if (query.parentId !== undefined) base.parentId = isUuid(query.parentId) ? query.parentId : IsNull();
    const where = query.q ? [{ ...base, name: ILike(likePattern(query.q)) }, { ...base, displayName: ILike(likePattern(query.q)) }] : base;
    const [rows, total] = await this.teams.findAndCount({
      where,
      order: { [query.sortField]: query.sortOrder, id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { rows, total };
  }

  findById(id: string): Promise<TeamEntity | null> {
    return isUuid(id) ? this.teams.findOneBy({ id }) : Promise.resolve(null);
  }

  findByName(name: string): Promise<TeamEntity | null> {
    return this.teams.findOneBy({ name });
  }

  findByIds(ids: readonly string[]): Promise<TeamEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? Promise.resolve([]) : this.teams.findBy({ id: In(valid) });
  }

  findByNames(names: readonly string[]): Promise<TeamEntity[]> {
    return names.length === 0 ? Promise.resolve([]) : this.teams.findBy({ name: In([...names]) });
  }

  create(values: Pick<TeamEntity, 'name' | 'displayName' | 'parentId'>): Promise<TeamEntity> {
    return this.teams.save(this.teams.create(values));
  }

  /**
   * Runs `work` while no other parent change can run (a transaction-scoped advisory lock), so two concurrent
   * re-parentings cannot together close a cycle that neither would alone.
   */
  withParentLock<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('warden:teams:parents'))`);
      return work(manager);
    });
  }

  /** The team and every team above it, nearest first. */
  async ancestorIds(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = (await manager.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM teams WHERE id = $1
         UNION SELECT t.id, t.parent_id FROM teams t JOIN up ON t.id = up.parent_id)
       SELECT id FROM up`,
      [teamId],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  async update(id: string, changes: Partial<Pick<TeamEntity, 'displayName' | 'parentId'>>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(TeamEntity).update({ id }, changes);
  }

  async dependantsOf(teamId: string): Promise<TeamDependants> {
    const [members, keys, children] = await Promise.all([
      this.dataSource.getRepository(TeamMembershipEntity).countBy({ teamId }),
      this.dataSource.getRepository(ApiKeyEntity).countBy({ teamId }),
      this.teams.countBy({ parentId: teamId }),
    ]);
    return { members, keys, children };
  }

  async memberCounts(teamIds: readonly string[]): Promise<Map<string, number>> {
    if (teamIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT team_id AS "teamId", count(*)::int AS count FROM team_memberships WHERE team_id = ANY($1::uuid[]) GROUP BY team_id`,
      [teamIds],
    )) as Array<{ teamId: string; count: number }>;
    return new Map(rows.map((row) => [row.teamId, row.count]));
  }

  async delete(id: string): Promise<void> {
    await this.teams.delete({ id });
  }
}

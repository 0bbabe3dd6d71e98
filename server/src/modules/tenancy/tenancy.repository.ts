import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThanOrEqual } from 'typeorm';
import { isUuid } from '../../engine/postgres/uuid';
import type { Role } from './roles';
import { SessionEntity } from './session.entity';
import { TeamMembershipEntity } from './team-membership.entity';
import { UserEntity } from './user.entity';

/** A live session joined with its user's current role and teams, as one row. */
export interface LiveSessionRow {
  sessionId: string;
  expiresAt: Date;
  userId: string;
  email: string;
  role: string;
  /** The user's teams and every team under them, by name. */
  teams: string[];
}

export interface UserListQuery {
  page: number;
  perPage: number;
  sortField: 'email' | 'name' | 'role' | 'createdAt';
  sortOrder: 'ASC' | 'DESC';
  ids?: string[];
  q?: string;
  role?: string;
  teamId?: string;
  active?: boolean;
}

/** A user with the ids of the teams they belong to directly. */
export interface UserWithTeams {
  user: UserEntity;
  teamIds: string[];
}

const userSortColumns: Record<UserListQuery['sortField'], string> = { email: 'u.email', name: 'u.name', role: 'u.role', createdAt: 'u.created_at' };

@Injectable()
export class TenancyRepository {
  constructor(private readonly dataSource: DataSource) {}

  countUsers(): Promise<number> {
    return this.dataSource.getRepository(UserEntity).count();
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ email: email.toLowerCase() });
  }

  findUserById(id: string): Promise<UserEntity | null> {
    return isUuid(id) ? this.dataSource.getRepository(UserEntity).findOneBy({ id }) : Promise.resolve(null);
  }

  /** Creates the user and their memberships in one transaction. */
  createUser(email: string, passwordHash: string, role: Role, name = '', teamIds: readonly string[] = []): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(UserEntity);
      const user = await users.save(users.create({ email: email.toLowerCase(), name, passwordHash, role, deactivatedAt: null }));
      await this.replaceMemberships(manager, user.id, teamIds);
      return user;
    });
  }

  /** True when a row changed. Memberships, when given, replace the user's current ones in the same transaction. */
  updateUser(id: string, changes: Partial<Pick<UserEntity, 'name' | 'role' | 'passwordHash' | 'deactivatedAt'>>, teamIds?: readonly string[]): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(UserEntity);
      const found = await users.existsBy({ id });
      if (!found) return false;
      if (Object.keys(changes).length > 0) await users.update({ id }, changes);
      if (teamIds) await this.replaceMemberships(manager, id, teamIds);
      return true;
    });
  }

  private async replaceMemberships(manager: EntityManager, userId: string, teamIds: readonly string[]): Promise<void> {
    const memberships = manager.getRepository(TeamMembershipEntity);
    await memberships.delete({ userId });
    if (teamIds.length > 0) await memberships.insert([...new Set(teamIds)].map((teamId) => ({ userId, teamId })));
  }

  async listUsers(query: UserListQuery): Promise<{ rows: UserWithTeams[]; total: number }> {
    const builder = this.dataSource.getRepository(UserEntity).createQueryBuilder('u');
    if (query.ids) builder.andWhere('u.id = ANY(:ids::uuid[])', { ids: query.ids.filter(isUuid) });
    if (query.q) builder.andWhere('(u.email ILIKE :q OR u.name ILIKE :q)', { q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (query.role) builder.andWhere('u.role = :role', { role: query.role });
    if (query.active === true) builder.andWhere('u.deactivated_at IS NULL');
    if (query.active === false) builder.andWhere('u.deactivated_at IS NOT NULL');
    if (query.teamId !== undefined) {
      builder.andWhere('EXISTS (SELECT 1 FROM team_memberships m WHERE m.user_id = u.id AND m.team_id = :teamId)', {
        teamId: isUuid(query.teamId) ? query.teamId : '00000000-0000-0000-0000-000000000000',
      });
    }
    builder.orderBy(userSortColumns[query.sortField], query.sortOrder).addOrderBy('u.id', 'ASC');
    builder.skip(query.page * query.perPage).take(query.perPage);
    const [users, total] = await builder.getManyAndCount();
    const teamIds = await this.teamIdsOf(users.map((user) => user.id));
    return { rows: users.map((user) => ({ user, teamIds: teamIds.get(user.id) ?? [] })), total };
  }

  async teamIdsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    if (userIds.length === 0) return byUser;
    const rows = (await this.dataSource.query(
      `SELECT user_id AS "userId", team_id AS "teamId" FROM team_memberships WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    )) as Array<{ userId: string; teamId: string }>;
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.teamId]);
    return byUser;
  }

  createSession(userId: string, expiresAt: Date): Promise<SessionEntity> {
    const sessions = this.dataSource.getRepository(SessionEntity);
    return sessions.save(sessions.create({ userId, expiresAt, revokedAt: null }));
  }

  /**
   * The session if it is live (not revoked, not expired) and its user still exists and is active, with the user's
   * role and teams as they are now. One round trip per request; the database clock decides expiry for every server.
   */
  async findLiveSession(sessionId: string): Promise<LiveSessionRow | null> {
    const rows = (await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.expires_at AS "expiresAt", u.id AS "userId", u.email, u.role,
              ARRAY(WITH RECURSIVE scope(id, name) AS (
                      SELECT t.id, t.name FROM team_memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = u.id
                      UNION SELECT c.id, c.name FROM teams c JOIN scope p ON c.parent_id = p.id)
                    SELECT name FROM scope ORDER BY name) AS teams
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.deactivated_at IS NULL`,
      [sessionId],
    )) as LiveSessionRow[];
    return rows[0] ?? null;
  }

  async revokeSession(sessionId: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(SessionEntity).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeSessionsOfUser(userId: string, at: Date, exceptSessionId?: string): Promise<void> {
    const builder = this.dataSource
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: at })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) builder.andWhere('id <> :exceptSessionId', { exceptSessionId });
    await builder.execute();
  }

  /** Deletes sessions that expired by `now`, revoked or not; returns how many. */
  async deleteExpiredSessions(now: Date): Promise<number> {
    const result = await this.dataSource.getRepository(SessionEntity).delete({ expiresAt: LessThanOrEqual(now) });
    return result.affected ?? 0;
  }
}

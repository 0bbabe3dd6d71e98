import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { ApiKeyEntity, type ApiKeyScope } from './api-key.entity';
import type { Role } from './roles';
import { SessionEntity } from './session.entity';
import { UserEntity } from './user.entity';

/** A live session joined with its user's current role, as one row. */
export interface LiveSessionRow {
  sessionId: string;
  expiresAt: Date;
  userId: string;
  email: string;
  role: string;
}

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
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  createUser(email: string, passwordHash: string, role: Role): Promise<UserEntity> {
    const users = this.dataSource.getRepository(UserEntity);
    return users.save(users.create({ email: email.toLowerCase(), passwordHash, role, deactivatedAt: null }));
  }

  /** True when a row changed. */
  async updateUser(id: string, changes: Partial<Pick<UserEntity, 'role' | 'deactivatedAt'>>): Promise<boolean> {
    const result = await this.dataSource.getRepository(UserEntity).update({ id }, changes);
    return (result.affected ?? 0) > 0;
  }

  createSession(userId: string, expiresAt: Date): Promise<SessionEntity> {
    const sessions = this.dataSource.getRepository(SessionEntity);
    return sessions.save(sessions.create({ userId, expiresAt, revokedAt: null }));
  }

  /**
   * The session if it is live (not revoked, not expired) and its user still exists and is active, with the user's
   * role as it is now. One indexed lookup per request; the database clock decides expiry for every server alike.
   */
  async findLiveSession(sessionId: string): Promise<LiveSessionRow | null> {
    const rows = (await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.expires_at AS "expiresAt", u.id AS "userId", u.email, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.deactivated_at IS NULL`,
      [sessionId],
    )) as LiveSessionRow[];
    return rows[0] ?? null;
  }

  async revokeSession(sessionId: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(SessionEntity).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeSessionsOfUser(userId: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(SessionEntity).update({ userId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Deletes sessions that expired by `now`, revoked or not; returns how many. */
  async deleteExpiredSessions(now: Date): Promise<number> {
    const result = await this.dataSource.getRepository(SessionEntity).delete({ expiresAt: LessThanOrEqual(now) });
    return result.affected ?? 0;
  }

  countActiveKeys(scope: ApiKeyScope): Promise<number> {
    return this.dataSource.getRepository(ApiKeyEntity).countBy({ scope, revokedAt: IsNull() });
  }

  findKeyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash });
  }

  findActiveKeyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  createKey(name: string, prefix: string, keyHash: string, scope: ApiKeyScope): Promise<ApiKeyEntity> {
    const keys = this.dataSource.getRepository(ApiKeyEntity);
    return keys.save(keys.create({ name, prefix, keyHash, scope, revokedAt: null }));
  }

  async revokeKey(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(ApiKeyEntity).update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }
}

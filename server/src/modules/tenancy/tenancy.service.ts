import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { generateSecret, hashApiKey, hashPassword } from '../../engine/auth/passwords';
import type { ApiKeyEntity, ApiKeyScope } from './api-key.entity';
import type { ApiKeyPrincipal } from './principals';
import type { Role } from './roles';
import { TenancyRepository } from './tenancy.repository';
import type { UserEntity } from './user.entity';

/**
 * A verified key is remembered this long: ingest is hot, and a revoked key may be accepted for up to this long on a
 * server that verified it just before (README states the window).
 */
export const apiKeyCacheMilliseconds = 5_000;

@Injectable()
export class TenancyService {
  private readonly verifiedKeys = new Map<string, { key: ApiKeyEntity | null; until: number }>();

  constructor(
    private readonly repository: TenancyRepository,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** First start: the first admin and the first ingest key. Generated secrets are printed this once only. */
  async bootstrap(announce: (line: string) => void): Promise<void> {
    if ((await this.repository.countUsers()) === 0) {
      const password = this.config.admin.password ?? generateSecret(12);
      await this.repository.createUser(this.config.admin.email, await hashPassword(password), 'admin');
      announce(
        this.config.admin.password
          ? `Admin ${this.config.admin.email} created with WARDEN_ADMIN_PASSWORD`
          : `Admin ${this.config.admin.email} created. Password (shown once): ${password}`,
      );
    }
    if (this.config.ingestKey) {
      // Honoured on every start, not only the first: setting it later (say, for the exporter) must just work.
      const existing = await this.repository.findKeyByHash(hashApiKey(this.config.ingestKey));
      if (!existing) {
        await this.repository.createKey('WARDEN_INGEST_KEY', this.config.ingestKey.slice(0, 7), hashApiKey(this.config.ingestKey), 'ingest');
        announce('Ingest key from WARDEN_INGEST_KEY registered');
      } else if (existing.revokedAt) {
        announce('WARDEN_INGEST_KEY was revoked and is not accepted: set a new one');
      }
    } else if ((await this.repository.countActiveKeys('ingest')) === 0) {
      const secret = `wk_${generateSecret(24)}`;
      await this.repository.createKey('bootstrap ingest key', secret.slice(0, 7), hashApiKey(secret), 'ingest');
      announce(`Ingest key (shown once; send as "Authorization: Bearer <key>"): ${secret}`);
    }
  }

  async createUser(email: string, password: string, role: Role): Promise<UserEntity> {
    return this.repository.createUser(email, await hashPassword(password), role);
  }

  /** Takes effect at the user's next request: their sessions are refused from then on (and revoked). */
  async deactivateUser(userId: string, now = new Date()): Promise<void> {
    if (!(await this.repository.updateUser(userId, { deactivatedAt: now }))) throw new DomainError(ErrorCode.NotFound, `No user ${userId}`);
    await this.repository.revokeSessionsOfUser(userId, now);
  }

  /** Takes effect at the user's next request: sessions read the role from the user's row each time. */
  async changeUserRole(userId: string, role: Role): Promise<void> {
    if (!(await this.repository.updateUser(userId, { role }))) throw new DomainError(ErrorCode.NotFound, `No user ${userId}`);
  }

  /** The key's principal when it is active and holds the scope; null otherwise. */
  async verifyApiKey(secret: string, scope: ApiKeyScope): Promise<ApiKeyPrincipal | null> {
    const keyHash = hashApiKey(secret);
    let cached = this.verifiedKeys.get(keyHash);
    if (!cached || cached.until <= Date.now()) {
      const key = await this.repository.findActiveKeyByHash(keyHash);
      if (this.verifiedKeys.size > 10_000) this.verifiedKeys.clear();
      cached = { key, until: Date.now() + apiKeyCacheMilliseconds };
      this.verifiedKeys.set(keyHash, cached);
    }
    const key = cached.key;
    if (!key || key.scope !== scope) return null;
    return { kind: 'api-key', keyId: key.id, name: key.name, scope: key.scope };
  }

  /** Creates an ingest key and returns its secret, which is not stored and cannot be shown again. */
  async createIngestKey(name: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const secret = `wk_${generateSecret(24)}`;
    const key = await this.repository.createKey(name, secret.slice(0, 7), hashApiKey(secret), 'ingest');
    return { key, secret };
  }

  /** Refused everywhere within apiKeyCacheMilliseconds (at once on this server). */
  async revokeApiKey(keyId: string, now = new Date()): Promise<void> {
    await this.repository.revokeKey(keyId, now);
    for (const [keyHash, cached] of this.verifiedKeys) if (cached.key?.id === keyId) this.verifiedKeys.delete(keyHash);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { generateSecret, hashApiKey, hashPassword } from '../../engine/auth/passwords';
import type { ApiKeyEntity, ApiKeyScope } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import type { ApiKeyPrincipal } from './principals';
import type { Role } from './roles';
import { TenancyRepository } from './tenancy.repository';
import type { UserEntity } from './user.entity';

export { apiKeyCacheMilliseconds } from './api-keys.service';

/** First start, and the few operations other code and tests call directly (the console goes through the resolvers). */
@Injectable()
export class TenancyService {
  constructor(
    private readonly repository: TenancyRepository,
    private readonly keys: ApiKeysService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** First start: the first admin and the first ingest key. Generated secrets are printed this once only. */
  async bootstrap(announce: (line: string) => void): Promise<void> {
    if ((await this.repository.countUsers()) === 0) {
      const password = this.config.admin.password ?? generateSecret(12);
      await this.repository.createUser(this.config.admin.email, await hashPassword(password), 'admin', 'Administrator');
      announce(
        this.config.admin.password
          ? `Admin ${this.config.admin.email} created with WARDEN_ADMIN_PASSWORD`
          : `Admin ${this.config.admin.email} created. Password (shown once): ${password}`,
      );
    }
    if (this.config.ingestKey) {
      // Honoured on every start, not only the first: setting it later (say, for the exporter) must just work. It is
      // an organisation-level key with the ingest scope.
      const existing = await this.keys.findByHash(hashApiKey(this.config.ingestKey));
      if (!existing) {
        await this.keys.register('WARDEN_INGEST_KEY', this.config.ingestKey, ['ingest']);
        announce('Ingest key from WARDEN_INGEST_KEY registered');
      } else if (existing.revokedAt) {
        announce('WARDEN_INGEST_KEY was revoked and is not accepted: set a new one');
      }
    } else if ((await this.keys.countUsableWithScope('ingest')) === 0) {
      const secret = `wk_${generateSecret(24)}`;
      await this.keys.register('bootstrap ingest key', secret, ['ingest']);
      announce(`Ingest key (shown once; send as "Authorization: Bearer <key>"): ${secret}`);
    }
  }

  async createUser(email: string, password: string, role: Role, teamIds: readonly string[] = []): Promise<UserEntity> {
    return this.repository.createUser(email, await hashPassword(password), role, '', teamIds);
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

  /** The key's principal when it is usable and holds the scope; null otherwise. */
  verifyApiKey(secret: string, scope: ApiKeyScope): Promise<ApiKeyPrincipal | null> {
    return this.keys.verify(secret, scope);
  }

  /** Creates an organisation-level ingest key and returns its secret, which is not stored and cannot be shown again. */
  async createIngestKey(name: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const { record, secret } = await this.keys.create({ name, scopes: ['ingest'] });
    return { key: record.key, secret };
  }

  /** Refused at once on this server, within apiKeyCacheMilliseconds on the others. */
  async revokeApiKey(keyId: string, now = new Date()): Promise<void> {
    await this.keys.revoke(keyId, now);
  }
}

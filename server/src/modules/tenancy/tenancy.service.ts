import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG } from '../../engine/engine.module';
import type { WardenConfig } from '../../engine/config/config';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { generateSecret, hashApiKey, hashPassword, verifyPassword } from '../../engine/auth/passwords';
import { SessionTokens, type SessionClaims } from '../../engine/auth/session-tokens';
import type { ApiKeyEntity } from './api-key.entity';
import { TenancyRepository } from './tenancy.repository';

export interface LoginResult {
  token: string;
  user: { id: string; email: string; role: SessionClaims['role'] };
}

/** A verified key is remembered briefly: ingest is hot, and a revocation may take this long to bite. */
const apiKeyCacheMilliseconds = 30_000;

@Injectable()
export class TenancyService {
  private readonly logger = new Logger('Tenancy');
  private readonly verifiedKeys = new Map<string, { key: ApiKeyEntity | null; until: number }>();

  constructor(
    private readonly repository: TenancyRepository,
    private readonly tokens: SessionTokens,
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

  async login(email: string, password: string): Promise<LoginResult> {
    const user = await this.repository.findUserByEmail(email);
    // The same answer and roughly the same work whether the email exists or not.
    const valid = user ? await verifyPassword(password, user.passwordHash) : await verifyPassword(password, 'scrypt$AAAA$AAAA').then(() => false);
    if (!user || !valid) {
      this.logger.warn(`failed login for ${email}`);
      throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is wrong');
    }
    const token = this.tokens.issue({ userId: user.id, email: user.email, role: user.role });
    return { token, user: { id: user.id, email: user.email, role: user.role } };
  }

  async verifyIngestKey(secret: string): Promise<ApiKeyEntity | null> {
    const keyHash = hashApiKey(secret);
    const cached = this.verifiedKeys.get(keyHash);
    if (cached && cached.until > Date.now()) return cached.key;
    const key = await this.repository.findActiveKeyByHash(keyHash);
    const verified = key && key.scope === 'ingest' ? key : null;
    if (this.verifiedKeys.size > 10_000) this.verifiedKeys.clear();
    this.verifiedKeys.set(keyHash, { key: verified, until: Date.now() + apiKeyCacheMilliseconds });
    return verified;
  }

  /** Creates an ingest key and returns its secret, which is not stored and cannot be shown again. */
  async createIngestKey(name: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const secret = `wk_${generateSecret(24)}`;
    const key = await this.repository.createKey(name, secret.slice(0, 7), hashApiKey(secret), 'ingest');
    return { key, secret };
  }
}

import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { generateSecret, hashApiKey } from '../../engine/auth/passwords';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { ApiKeyScope } from './api-key.entity';
import { ApiKeysRepository, lastUsedWriteIntervalSeconds, type ApiKeyListQuery, type ApiKeyRecord } from './api-keys.repository';
import type { ApiKeyPrincipal } from './principals';
import { TeamsService } from './teams.service';
import { checkScopes, checkText, Problems, tenancyLimits } from './tenancy-validation';

/**
 * A looked-up key is remembered this long: ingest is hot. Revocation and expiry are checked against the remembered
 * row at every use, so a key revoked on this server, or past its expiry, is refused at once; a key revoked on
 * another server may be accepted here for up to this long (README states the window).
 */
export const apiKeyCacheMilliseconds = 5_000;
const maxCachedKeys = 10_000;

export interface ApiKeyInput {
  name: string;
  /** Team id or name; null or absent for an organisation-level key. */
  team?: string | null;
  scopes: readonly string[];
  expiresAt?: Date | null;
}

export function isUsable(key: ApiKeyRecord['key'], now: number): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now);
}

/** API keys: created with a secret shown once, verified per scope, revoked at once, last use recorded (throttled). */
@Injectable()
export class ApiKeysService implements OnModuleDestroy {
  private readonly logger = new Logger('ApiKeys');
  private readonly cache = new Map<string, { record: ApiKeyRecord | null; until: number }>();
  private readonly lastTouched = new Map<string, number>();
  private readonly pendingTouches = new Set<Promise<void>>();

  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly teams: TeamsService,
  ) {}

  /** The key's principal when it is neither revoked nor expired and its scopes include `scope`; null otherwise. */
  async verify(secret: string, scope: ApiKeyScope, now = Date.now()): Promise<ApiKeyPrincipal | null> {
    const keyHash = hashApiKey(secret);
    let cached = this.cache.get(keyHash);
    if (!cached || cached.until <= now) {
      const record = await this.repository.findRecordByHash(keyHash);
      if (this.cache.size >= maxCachedKeys) this.cache.clear();
      cached = { record, until: now + apiKeyCacheMilliseconds };
      this.cache.set(keyHash, cached);
    }
    const record = cached.record;
    if (!record || !isUsable(record.key, now) || !record.key.scopes.includes(scope)) return null;
    this.noteUse(record.key.id, now);
    return { kind: 'api-key', keyId: record.key.id, name: record.key.name, scope, scopes: [...record.key.scopes], team: record.teamName };
  }

  /** Creates a key; the secret is answered this once (only its hash is kept). */
  async create(input: ApiKeyInput, now = new Date()): Promise<{ record: ApiKeyRecord; secret: string }> {
    const problems = new Problems();
    checkText(problems, 'name', input.name, tenancyLimits.keyNameLength, { required: true });
    const scopes = checkScopes(problems, input.scopes);
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) problems.add('expiresAt', 'must be in the future');
    problems.throwIfAny();
    const team = input.team ? await this.teams.resolve(input.team, 'team') : null;
    const secret = `wk_${generateSecret(24)}`;
    const key = await this.repository.create({
      name: input.name.trim(),
      prefix: secret.slice(0, 10),
      keyHash: hashApiKey(secret),
      scopes,
      teamId: team?.id ?? null,
      expiresAt: input.expiresAt ?? null,
    });
    return { record: { key, teamName: team?.name ?? null }, secret };
  }

  /** Registers a key whose secret the operator chose (WARDEN_INGEST_KEY), organisation-level. */
  register(name: string, secret: string, scopes: ApiKeyScope[]) {
    return this.repository.create({ name, prefix: secret.slice(0, 7), keyHash: hashApiKey(secret), scopes, teamId: null, expiresAt: null });
  }

  findByHash(keyHash: string) {
    return this.repository.findByHash(keyHash);
  }

  countUsableWithScope(scope: ApiKeyScope): Promise<number> {
    return this.repository.countUsableWithScope(scope);
  }

  /** Refused from now on on this server, within apiKeyCacheMilliseconds on the others. Revoking twice is harmless. */
  async revoke(id: string, now = new Date()): Promise<ApiKeyRecord> {
    await this.repository.revoke(id, now);
    const record = await this.repository.findRecordById(id);
    if (!record) throw new DomainError(ErrorCode.NotFound, `No API key with id ${id}`);
    for (const [keyHash, cached] of this.cache) if (cached.record?.key.id === id) this.cache.delete(keyHash);
    return record;
  }

  async get(id: string): Promise<ApiKeyRecord> {
    const record = await this.repository.findRecordById(id);
    if (!record) throw new DomainError(ErrorCode.NotFound, `No API key with id ${id}`);
    return record;
  }

  async list(query: Omit<ApiKeyListQuery, 'teamId'> & { team?: string }): Promise<{ rows: ApiKeyRecord[]; total: number }> {
    const { team, ...rest } = query;
    let teamId: string | null | undefined;
    if (team === '') teamId = null;
    else if (team !== undefined) teamId = (await this.teams.resolve(team, 'team').catch(() => null))?.id ?? '';
    return this.repository.list({ ...rest, teamId });
  }

  /** The last-used time, written at most once a minute per key (here, and again in the database for every server). */
  private noteUse(keyId: string, now: number): void {
    const last = this.lastTouched.get(keyId);
    if (last !== undefined && now - last < lastUsedWriteIntervalSeconds * 1000) return;
    if (this.lastTouched.size >= maxCachedKeys) this.lastTouched.clear();
    this.lastTouched.set(keyId, now);
    // Never delays nor fails the request it records; shutdown waits for it, so it never outlives the connection.
    const touch = this.repository
      .touchLastUsed(keyId, new Date(now))
      .catch((error: Error) => this.logger.warn(`last-used time of key ${keyId} not recorded: ${error.message}`))
      .finally(() => this.pendingTouches.delete(touch));
    this.pendingTouches.add(touch);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.pendingTouches]);
  }
}

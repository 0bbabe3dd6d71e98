import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TeamEntity } from './team.entity';

/** What a key may do; the global guard asks for one of these on each API-key route, and a key may hold several. */
export const apiKeyScopes = ['ingest', 'gateway', 'authorize', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (apiKeyScopes as readonly string[]).includes(value);
}

/**
 * An API key for machines. Only its hash is stored; the secret is shown once, when it is created. A key with a team
 * writes that team's events only; a key without one is organisation-level and its events name their team.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** The first characters of the key, so people can tell keys apart without the secret. */
  @Column({ type: 'text' })
  prefix: string;

  @Index({ unique: true })
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ type: 'text', array: true })
  scopes: ApiKeyScope[];

  @Index()
  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId: string | null;

  // A team with keys (revoked ones too, for their history) cannot be deleted: the service says so first.
  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Refused from this instant on; null: never expires. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** Updated at most once a minute per key, so a busy ingest key does not write a row per request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

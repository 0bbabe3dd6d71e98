import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a key may do; the global guard asks for one of these on each API-key route. */
export const apiKeyScopes = ['ingest', 'authorize', 'admin', 'gateway'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** An API key for machines. Only its hash is stored; the secret is shown once, when it is created. */
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

  @Column({ type: 'text' })
  scope: ApiKeyScope;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One row of the append-only audit log. Described here for the schema (the migration drift check); rows are only
 * ever written and read through AuditRepository, which offers no update and no delete.
 */
@Entity({ name: 'audit_log' })
@Unique('UQ_audit_log_id', ['id'])
export class AuditEntryEntity {
  /** 1, 2, 3, … without gaps: assigned under the append lock, so a missing number is a deleted row. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_audit_log_sequence' })
  sequence: string;

  @Column({ type: 'uuid' })
  id: string;

  @Index('IDX_audit_log_at')
  @Column({ type: 'timestamptz' })
  at: Date;

  /** Dotted lower camel case: `policy.update`, `auth.loginFailed`, `graphql.createNode`, … */
  @Index('IDX_audit_log_action')
  @Column({ type: 'text' })
  action: string;

  /** `user:<email>`, `key:<keyId>` or `system`. */
  @Column({ type: 'text' })
  actor: string;

  @Column({ name: 'actor_role', type: 'text', nullable: true })
  actorRole: string | null;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ type: 'text', nullable: true })
  team: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  /** The id of the row before this one (null for the first): names a deleted row by its id, not only its number. */
  @Column({ name: 'prev_id', type: 'uuid', nullable: true })
  prevId: string | null;

  /** The previous row's hash; 64 zeros for the first row. */
  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  /** SHA-256 (hex) of this row's canonical content together with prev_hash (audit-hash.ts). */
  @Column({ type: 'text' })
  hash: string;
}

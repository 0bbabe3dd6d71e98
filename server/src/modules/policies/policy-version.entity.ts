import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PolicyEntity } from './policy.entity';

/** One version of a policy, written once and never changed: what decisions made under it name. */
@Entity({ name: 'policy_versions' })
@Index(['policyId', 'version'], { unique: true })
export class PolicyVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'policy_id', type: 'uuid' })
  policyId: string;

  @ManyToOne(() => PolicyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'policy_id' })
  policy?: PolicyEntity;

  @Column({ type: 'integer' })
  version: number;

  /** The document as of this version (for a deletion: the document that was deleted). */
  @Column({ type: 'jsonb' })
  document: unknown;

  /** This version deletes the policy: from it on, the policy applies to nothing. */
  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Who wrote it: a user's email, `key:<name>` for an API key, `cli` for policies:apply. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;
}

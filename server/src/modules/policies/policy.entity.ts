import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A policy by name: its current version and document. Every change is also a row in policy_versions, never an edit
 * of an old one; a deleted policy keeps its name and history (deletedAt set) and a later write continues its
 * version numbers.
 */
@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  /** `org`, `team`, `key` or `node`, with its subject ('' for org): the document's scope, kept for filters. */
  @Column({ name: 'scope_kind', type: 'text' })
  scopeKind: string;

  @Column({ name: 'scope_subject', type: 'text' })
  scopeSubject: string;

  @Column({ type: 'integer' })
  version: number;

  /** The current version's document (jsonb: read back through canonicalPolicyDocument, which restores key order). */
  @Column({ type: 'jsonb' })
  document: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}

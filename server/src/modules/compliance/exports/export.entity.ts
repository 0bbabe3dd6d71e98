import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One auditor export: what was asked, by whom, and where its file stands. The id is also its job's id. */
@Entity({ name: 'exports' })
@Index('IDX_exports_created_at', ['createdAt'])
export class ExportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** REQUESTS, DECISIONS, AUDIT or REPORT. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'range_from', type: 'timestamptz' })
  rangeFrom: Date;

  @Column({ name: 'range_to', type: 'timestamptz' })
  rangeTo: Date;

  /** The teams covered; [] for every team. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  teams: string[];

  /** Prompts and completions are written only when the requester's role may read content. */
  @Column({ name: 'include_content', type: 'boolean', default: false })
  includeContent: boolean;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy: string;

  @Column({ name: 'requested_role', type: 'text' })
  requestedRole: string;

  /** queued, running, completed or failed. */
  @Column({ type: 'text' })
  state: string;

  @Column({ type: 'bigint', default: 0 })
  rows: string;

  @Column({ type: 'bigint', default: 0 })
  bytes: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** AUDIT and REPORT: the audit chain's verification when the export was written. */
  @Column({ name: 'chain_verification', type: 'jsonb', nullable: true })
  chainVerification: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

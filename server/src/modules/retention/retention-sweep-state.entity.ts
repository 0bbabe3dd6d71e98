import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where the retention sweep stands per data class and subject (a team, or a node for GPU samples): when it last
 * ran there, what it removed then, and how many deletion receipts it has written (each one also in the audit log).
 */
@Entity({ name: 'retention_sweep_state' })
export class RetentionSweepStateEntity {
  /** `content`, `requests`, `scores` or `gpu`. */
  @PrimaryColumn({ name: 'data_class', type: 'text' })
  dataClass: string;

  /** The team, or the node for `gpu`. */
  @PrimaryColumn({ type: 'text' })
  subject: string;

  @Column({ name: 'last_swept_at', type: 'timestamptz' })
  lastSweptAt: Date;

  /** Rows deleted (or emptied, for content) by the last sweep. */
  @Column({ name: 'last_rows', type: 'bigint', default: 0 })
  lastRows: string;

  @Column({ type: 'integer', default: 0 })
  receipts: number;

  /** The retention the last sweep applied, in days (null: kept as long as the row, or held). */
  @Column({ name: 'applied_days', type: 'integer', nullable: true })
  appliedDays: number | null;
}

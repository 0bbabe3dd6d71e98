import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ChargebackReportData } from './chargeback-report';

/** A generated chargeback report; its id is the id of the job that builds it. `report` is null until it is done. */
@Entity({ name: 'chargeback_reports' })
export class ChargebackReportEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  month: string;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  report: ChargebackReportData | null;
}

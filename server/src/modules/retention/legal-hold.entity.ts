import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A legal hold on one team's data: while a hold is active (not released) the retention sweep deletes nothing of
 * that team and keeps its rows from expiring. Released holds stay, as the record of when deletion was suspended.
 */
@Entity({ name: 'legal_holds' })
@Index('IDX_legal_holds_team', ['team'])
export class LegalHoldEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  team: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'placed_by', type: 'text' })
  placedBy: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt: Date;

  @Column({ name: 'released_by', type: 'text', nullable: true })
  releasedBy: string | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;
}

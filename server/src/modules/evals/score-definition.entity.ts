import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ScoreDataType, ScoreDirection } from './scoring/score-definition';

/** Where a definition came from: shipped with Warden, written by a person, or inferred from a first score. */
export const scoreDefinitionOrigins = ['shipped', 'user', 'auto'] as const;
export type ScoreDefinitionOrigin = (typeof scoreDefinitionOrigins)[number];

/**
 * What one score name means (see scoring/score-definition.ts): its type, range, direction and threshold, from
 * which every score of that name gets its hallucinated flag. `name` is the join key with the scores in ClickHouse.
 */
@Entity({ name: 'score_definitions' })
export class ScoreDefinitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'data_type', type: 'text' })
  dataType: ScoreDataType;

  @Column({ type: 'double precision', nullable: true })
  minimum: number | null;

  @Column({ type: 'double precision', nullable: true })
  maximum: number | null;

  @Column({ type: 'text', nullable: true })
  direction: ScoreDirection | null;

  @Column({ type: 'double precision', nullable: true })
  threshold: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  labels: string[];

  @Column({ name: 'hallucinated_labels', type: 'jsonb', default: () => "'[]'" })
  hallucinatedLabels: string[];

  @Column({ type: 'text', default: 'user' })
  origin: ScoreDefinitionOrigin;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * The shipped definitions already seeded once, by name: a definition an admin deleted stays deleted on the next
 * start, and a definition shipped by a later version is still seeded once.
 */
@Entity({ name: 'score_definition_seeds' })
export class ScoreDefinitionSeedEntity {
  @Column({ type: 'text', primary: true })
  name: string;

  @CreateDateColumn({ name: 'seeded_at', type: 'timestamptz' })
  seededAt: Date;
}

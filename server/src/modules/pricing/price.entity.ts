import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One price of the catalog. Money columns are numeric and come back as exact decimal strings. */
@Entity({ name: 'prices' })
@Index(['modelPattern', 'provider', 'effectiveFrom'], { unique: true })
export class PriceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'model_pattern', type: 'text' })
  modelPattern: string;

  @Column({ type: 'text', default: '' })
  provider: string;

  @Column({ name: 'input_per_million_usd', type: 'numeric', precision: 20, scale: 9 })
  inputPerMillionUsd: string;

  @Column({ name: 'output_per_million_usd', type: 'numeric', precision: 20, scale: 9 })
  outputPerMillionUsd: string;

  @Column({ name: 'cached_input_per_million_usd', type: 'numeric', precision: 20, scale: 9, nullable: true })
  cachedInputPerMillionUsd: string | null;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  @Column({ type: 'text', default: 'USD' })
  currency: string;

  @Column({ type: 'text' })
  source: string;

  /** A measured (internal) price: the node and the window its on-prem cost per token was measured over. */
  @Column({ name: 'measured_node', type: 'text', nullable: true })
  measuredNode?: string | null;

  @Column({ name: 'measured_from', type: 'timestamptz', nullable: true })
  measuredFrom?: Date | null;

  @Column({ name: 'measured_to', type: 'timestamptz', nullable: true })
  measuredTo?: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { NodeEntity } from './node.entity';

/**
 * What one hour of a node costs, from `effectiveFrom` until the node's next version. Rates are never rewritten once
 * in force: a change is a new version, so the cost of past hours stays what it was. Money and factors are numeric
 * and come back as exact decimal strings.
 */
@Entity({ name: 'node_rate_versions' })
@Index(['nodeId', 'effectiveFrom'], { unique: true })
export class NodeRateVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'node_id', type: 'uuid' })
  nodeId: string;

  @ManyToOne(() => NodeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'node_id' })
  node?: NodeEntity;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  /** Amortised hardware, or the cloud rate: paid whether the node works or not. */
  @Column({ name: 'hourly_cost_usd', type: 'numeric', precision: 20, scale: 9 })
  hourlyCostUsd: string;

  @Column({ name: 'energy_price_usd_per_kwh', type: 'numeric', precision: 20, scale: 9 })
  energyPriceUsdPerKwh: string;

  /** Facility overhead on the GPUs' measured power (PUE: cooling, PSU losses); 1 counts the GPUs alone. */
  @Column({ name: 'power_overhead_factor', type: 'numeric', precision: 6, scale: 3 })
  powerOverheadFactor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

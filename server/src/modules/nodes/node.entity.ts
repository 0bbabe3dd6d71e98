import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const nodeKinds = ['vllm', 'tgi', 'llama.cpp', 'ollama', 'other'] as const;
export type NodeKind = (typeof nodeKinds)[number];

/**
 * An inference node: a machine with GPUs that serves models. `name` is the join key with the `node` field of
 * request events and GPU samples. Money and factors are numeric and come back as exact decimal strings.
 */
@Entity({ name: 'inference_nodes' })
export class NodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text', default: 'other' })
  kind: NodeKind;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels: Record<string, string>;

  /** What one hour of this node costs whether it works or not: amortised hardware, or the cloud rate. */
  @Column({ name: 'hourly_cost_usd', type: 'numeric', precision: 20, scale: 9, default: 0 })
  hourlyCostUsd: string;

  @Column({ name: 'energy_price_usd_per_kwh', type: 'numeric', precision: 20, scale: 9, default: 0 })
  energyPriceUsdPerKwh: string;

  /** Facility overhead on the GPUs' measured power (PUE: cooling, PSU losses); 1 counts the GPUs alone. */
  @Column({ name: 'power_overhead_factor', type: 'numeric', precision: 6, scale: 3, default: 1 })
  powerOverheadFactor: string;

  @Column({ type: 'text', default: '' })
  notes: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

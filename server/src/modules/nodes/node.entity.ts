import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const nodeKinds = ['vllm', 'tgi', 'llama.cpp', 'ollama', 'other'] as const;
export type NodeKind = (typeof nodeKinds)[number];

/**
 * An inference node: a machine with GPUs that serves models. `name` is the join key with the `node` field of
 * request events and GPU samples. What it costs is kept apart, as effective-dated versions (node_rate_versions).
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

  @Column({ type: 'text', default: '' })
  notes: string;

  /** The team that carries this node's idle hours in chargeback; null: idle cost stays with the node. */
  @Column({ name: 'owner_team', type: 'text', nullable: true })
  ownerTeam: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

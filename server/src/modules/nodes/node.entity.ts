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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

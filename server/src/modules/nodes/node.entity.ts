import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const nodeKinds = ['vllm', 'tgi', 'llama.cpp', 'ollama', 'other', 'openai', 'anthropic', 'openai-compatible'] as const;
export type NodeKind = (typeof nodeKinds)[number];

export const nodeLocations = ['on-premises', 'external'] as const;
export type NodeLocation = (typeof nodeLocations)[number];

export const nodeHealthStatuses = ['up', 'down', 'unknown'] as const;
export type NodeHealthStatus = (typeof nodeHealthStatuses)[number];

/**
 * An inference node: a machine with GPUs that serves models, or a hosted API the gateway may route to. `name` is
 * the join key with the `node` field of request events and GPU samples. What it costs is kept apart, as
 * effective-dated versions (node_rate_versions). The API key is stored only encrypted (AES-256-GCM, a key derived
 * from WARDEN_SECRET) and never leaves the server except towards the node itself.
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

  /** Where the node answers the OpenAI (or Anthropic) API, without `/v1`; null: not routable. */
  @Column({ name: 'base_url', type: 'text', nullable: true })
  baseUrl: string | null;

  @Column({ name: 'api_key_encrypted', type: 'text', nullable: true })
  apiKeyEncrypted: string | null;

  @Column({ type: 'text', default: 'on-premises' })
  location: NodeLocation;

  @Column({ name: 'declared_models', type: 'jsonb', default: () => "'[]'" })
  declaredModels: string[];

  /** From `GET {baseUrl}/v1/models` at the last successful health check. */
  @Column({ name: 'discovered_models', type: 'jsonb', default: () => "'[]'" })
  discoveredModels: string[];

  /** Served models its node policy does not allow, as of the last health check. */
  @Column({ name: 'flagged_models', type: 'jsonb', default: () => "'[]'" })
  flaggedModels: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Lower is tried first; null after every number. */
  @Column({ name: 'routing_preference', type: 'integer', nullable: true })
  routingPreference: number | null;

  @Column({ name: 'health_status', type: 'text', default: 'unknown' })
  healthStatus: NodeHealthStatus;

  @Column({ name: 'health_latency_ms', type: 'double precision', nullable: true })
  healthLatencyMs: number | null;

  @Column({ name: 'health_checked_at', type: 'timestamptz', nullable: true })
  healthCheckedAt: Date | null;

  @Column({ name: 'health_error', type: 'text', nullable: true })
  healthError: string | null;
  /** The team that carries this node's idle hours in chargeback; null: idle cost stays with the node. */
  @Column({ name: 'owner_team', type: 'text', nullable: true })
  ownerTeam: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Declared and discovered, each once, in that order. */
export function servedModels(node: Pick<NodeEntity, 'declaredModels' | 'discoveredModels'>): string[] {
  return [...new Set([...(node.declaredModels ?? []), ...(node.discoveredModels ?? [])])];
}

import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { NodeEntity } from '../node.entity';

/** What the engine reported in the last heartbeat, kept as the agent sent it (see NodeHeartbeat.metrics). */
export interface LastEngineMetrics {
  queueDepth: number | null;
  running: number | null;
  kvCacheUsageRatio: number | null;
  promptTokensPerSecond: number | null;
  generationTokensPerSecond: number | null;
  error: string | null;
}

/**
 * The last heartbeat of each node's agent: one row per node, replaced by each newer report. The history of the
 * engine's metrics is in ClickHouse (node_engine_metrics); this row is what the node list and the silent flag read.
 */
@Entity({ name: 'node_agent_heartbeats' })
export class NodeHeartbeatEntity {
  @PrimaryColumn({ name: 'node_id', type: 'uuid' })
  nodeId: string;

  @OneToOne(() => NodeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'node_id' })
  node?: NodeEntity;

  /** The report's own id (the agent's UUID): a re-sent report is recognised by it. */
  @Column({ name: 'heartbeat_id', type: 'text' })
  heartbeatId: string;

  /** When the agent read the engine (its clock). */
  @Column({ name: 'sampled_at', type: 'timestamptz' })
  sampledAt: Date;

  /** When Warden received it (Warden's clock): what "silent" is measured from. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'agent_version', type: 'text' })
  agentVersion: string;

  @Column({ name: 'interval_seconds', type: 'double precision' })
  intervalSeconds: number;

  @Column({ name: 'engine_kind', type: 'text', nullable: true })
  engineKind: string | null;

  @Column({ name: 'engine_version', type: 'text', nullable: true })
  engineVersion: string | null;

  @Column({ name: 'engine_up', type: 'boolean' })
  engineUp: boolean;

  @Column({ name: 'engine_error', type: 'text', nullable: true })
  engineError: string | null;

  @Column({ name: 'served_models', type: 'jsonb' })
  servedModels: string[];

  @Column({ name: 'metrics', type: 'jsonb' })
  metrics: LastEngineMetrics;

  @Column({ name: 'policy_version', type: 'text', nullable: true })
  policyVersion: string | null;

  @Column({ name: 'dropped_reports', type: 'integer' })
  droppedReports: number;
}

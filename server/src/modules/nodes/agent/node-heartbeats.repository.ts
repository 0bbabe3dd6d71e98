import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NodeHeartbeatEntity } from './node-heartbeat.entity';

/** The only place that reads and writes the last heartbeat of each node. */
@Injectable()
export class NodeHeartbeatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get heartbeats() {
    return this.dataSource.getRepository(NodeHeartbeatEntity);
  }

  /**
   * Keeps the report if it is the node's newest (by the agent's sampling time): buffered reports arrive oldest
   * first after an outage, and a re-sent one changes nothing. One statement, so two servers cannot interleave.
   */
  async saveIfNewer(heartbeat: NodeHeartbeatEntity): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "node_agent_heartbeats" ("node_id", "heartbeat_id", "sampled_at", "received_at", "agent_version", "interval_seconds",
         "engine_kind", "engine_version", "engine_up", "engine_error", "served_models", "metrics", "policy_version", "dropped_reports")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14)
       ON CONFLICT ("node_id") DO UPDATE SET
         "heartbeat_id" = EXCLUDED."heartbeat_id", "sampled_at" = EXCLUDED."sampled_at", "received_at" = EXCLUDED."received_at",
         "agent_version" = EXCLUDED."agent_version", "interval_seconds" = EXCLUDED."interval_seconds",
         "engine_kind" = EXCLUDED."engine_kind", "engine_version" = EXCLUDED."engine_version", "engine_up" = EXCLUDED."engine_up",
         "engine_error" = EXCLUDED."engine_error", "served_models" = EXCLUDED."served_models", "metrics" = EXCLUDED."metrics",
         "policy_version" = EXCLUDED."policy_version", "dropped_reports" = EXCLUDED."dropped_reports"
       WHERE "node_agent_heartbeats"."sampled_at" <= EXCLUDED."sampled_at"`,
      [
        heartbeat.nodeId,
        heartbeat.heartbeatId,
        heartbeat.sampledAt,
        heartbeat.receivedAt,
        heartbeat.agentVersion,
        heartbeat.intervalSeconds,
        heartbeat.engineKind,
        heartbeat.engineVersion,
        heartbeat.engineUp,
        heartbeat.engineError,
        JSON.stringify(heartbeat.servedModels),
        JSON.stringify(heartbeat.metrics),
        heartbeat.policyVersion,
        heartbeat.droppedReports,
      ],
    );
  }

  findByNodeId(nodeId: string): Promise<NodeHeartbeatEntity | null> {
    return this.heartbeats.findOneBy({ nodeId });
  }

  findAll(): Promise<NodeHeartbeatEntity[]> {
    return this.heartbeats.find();
  }
}

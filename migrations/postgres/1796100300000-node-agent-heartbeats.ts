import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The last heartbeat of each node's agent (warden-node-agent): one row per node, gone with its node. */
export class NodeAgentHeartbeats1796100300000 implements MigrationInterface {
  name = 'NodeAgentHeartbeats1796100300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "node_agent_heartbeats" ("node_id" uuid NOT NULL, "heartbeat_id" text NOT NULL, "sampled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "agent_version" text NOT NULL, "interval_seconds" double precision NOT NULL, "engine_kind" text, "engine_version" text, "engine_up" boolean NOT NULL, "engine_error" text, "served_models" jsonb NOT NULL, "metrics" jsonb NOT NULL, "policy_version" text, "dropped_reports" integer NOT NULL, CONSTRAINT "PK_b3311946926d9296781bcc61622" PRIMARY KEY ("node_id"))`);
    await queryRunner.query(`ALTER TABLE "node_agent_heartbeats" ADD CONSTRAINT "FK_b3311946926d9296781bcc61622" FOREIGN KEY ("node_id") REFERENCES "inference_nodes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "node_agent_heartbeats" DROP CONSTRAINT "FK_b3311946926d9296781bcc61622"`);
    await queryRunner.query(`DROP TABLE "node_agent_heartbeats"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nodes the gateway routes to: where they answer (base URL, an encrypted API key), where they run, which models
 * they serve (declared, discovered by health checks), whether they take traffic, and their last health check.
 */
export class RoutableNodes1796100200000 implements MigrationInterface {
  name = 'RoutableNodes1796100200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inference_nodes"
      ADD COLUMN "base_url" text,
      ADD COLUMN "api_key_encrypted" text,
      ADD COLUMN "location" text NOT NULL DEFAULT 'on-premises',
      ADD COLUMN "declared_models" jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN "discovered_models" jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN "flagged_models" jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN "enabled" boolean NOT NULL DEFAULT true,
      ADD COLUMN "routing_preference" integer,
      ADD COLUMN "health_status" text NOT NULL DEFAULT 'unknown',
      ADD COLUMN "health_latency_ms" double precision,
      ADD COLUMN "health_checked_at" TIMESTAMP WITH TIME ZONE,
      ADD COLUMN "health_error" text`);
    // A node registered before with a `location` label keeps that location.
    await queryRunner.query(`UPDATE "inference_nodes" SET "location" = "labels"->>'location' WHERE "labels"->>'location' IN ('on-premises', 'external')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inference_nodes"
      DROP COLUMN "base_url", DROP COLUMN "api_key_encrypted", DROP COLUMN "location", DROP COLUMN "declared_models",
      DROP COLUMN "discovered_models", DROP COLUMN "flagged_models", DROP COLUMN "enabled", DROP COLUMN "routing_preference",
      DROP COLUMN "health_status", DROP COLUMN "health_latency_ms", DROP COLUMN "health_checked_at", DROP COLUMN "health_error"`);
  }
}

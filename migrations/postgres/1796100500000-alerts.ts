import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: notification channels, rules (kind, per-kind params, optional team or node scope), alerts (at most one
 * firing per rule and label set: the partial unique index) and their deliveries (one per alert, channel and
 * transition; pending ones are continued after a restart).
 */
export class Alerts1796100500000 implements MigrationInterface {
  name = 'Alerts1796100500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "alert_channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL, "url" text NOT NULL, "secret" text, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ebdb67ee352ccf0cd96cc3f8ee2" UNIQUE ("name"), CONSTRAINT "PK_da89e9de0358309fb2ec1617e65" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "alert_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL, "params" jsonb NOT NULL DEFAULT '{}', "team" text, "node" text, "enabled" boolean NOT NULL DEFAULT true, "channel_ids" jsonb NOT NULL DEFAULT '[]', "last_evaluated_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_80f53825e307f276e5c91c6ab3a" UNIQUE ("name"), CONSTRAINT "PK_ae580564f087ffab9d229225aec" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "alert_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_id" uuid NOT NULL, "rule_name" text NOT NULL, "kind" text NOT NULL, "labels" jsonb NOT NULL DEFAULT '{}', "labels_key" text NOT NULL, "state" text NOT NULL, "value" double precision NOT NULL, "threshold" double precision NOT NULL, "summary" text NOT NULL DEFAULT '', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, "last_evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f8dd833a0534d3a01e8d01e3bca" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_alert_events_started_at" ON "alert_events"  ("started_at")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_alert_events_one_firing" ON "alert_events"  ("rule_id", "labels_key") WHERE "state" = 'firing'`);
    await queryRunner.query(`CREATE TABLE "alert_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "transition" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b3d51c95891264fb62df41582ad" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_alert_deliveries_due" ON "alert_deliveries"  ("status", "next_attempt_at")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_alert_deliveries_once" ON "alert_deliveries"  ("event_id", "channel_id", "transition")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "alert_deliveries"`);
    await queryRunner.query(`DROP TABLE "alert_events"`);
    await queryRunner.query(`DROP TABLE "alert_rules"`);
    await queryRunner.query(`DROP TABLE "alert_channels"`);
  }
}

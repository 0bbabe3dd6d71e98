import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inference nodes: name (joins request events and GPU samples), kind, labels, hourly cost and energy price. */
export class InferenceNodes1772409600000 implements MigrationInterface {
  name = 'InferenceNodes1772409600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "inference_nodes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL DEFAULT 'other', "labels" jsonb NOT NULL DEFAULT '{}', "hourly_cost_usd" numeric(20,9) NOT NULL DEFAULT '0', "energy_price_usd_per_kwh" numeric(20,9) NOT NULL DEFAULT '0', "power_overhead_factor" numeric(6,3) NOT NULL DEFAULT '1', "notes" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_e103918245454458e304ecfeea6" UNIQUE ("name"), CONSTRAINT "PK_4f4e421229815e670557eef2a8e" PRIMARY KEY ("id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "inference_nodes"`);
  }
}

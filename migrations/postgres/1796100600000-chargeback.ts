import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chargeback: the team that carries a node's idle hours, and where a measured (internal) price came from: the
 * node and the window its on-prem cost was measured over; and the chargeback reports generated (id = the job's id).
 */
export class Chargeback1796100600000 implements MigrationInterface {
  name = 'Chargeback1796100600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inference_nodes" ADD COLUMN IF NOT EXISTS "owner_team" text`);
    await queryRunner.query(`ALTER TABLE "prices" ADD COLUMN IF NOT EXISTS "measured_node" text`);
    await queryRunner.query(`ALTER TABLE "prices" ADD COLUMN IF NOT EXISTS "measured_from" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "prices" ADD COLUMN IF NOT EXISTS "measured_to" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "chargeback_reports" ("id" uuid NOT NULL, "month" text NOT NULL, "requested_by" text NOT NULL, ` +
        `"created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, "report" jsonb, ` +
        `CONSTRAINT "PK_34d2314471bb3e7a2300d56542d" PRIMARY KEY ("id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "chargeback_reports"`);
    await queryRunner.query(`ALTER TABLE "prices" DROP COLUMN IF EXISTS "measured_to"`);
    await queryRunner.query(`ALTER TABLE "prices" DROP COLUMN IF EXISTS "measured_from"`);
    await queryRunner.query(`ALTER TABLE "prices" DROP COLUMN IF EXISTS "measured_node"`);
    await queryRunner.query(`ALTER TABLE "inference_nodes" DROP COLUMN IF EXISTS "owner_team"`);
  }
}

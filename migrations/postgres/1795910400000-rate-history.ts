import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rates that keep their history. A node's hourly cost, energy price and power overhead move to effective-dated
 * versions (node_rate_versions); each existing node gets one version effective from its creation, with the rates it
 * had. The default catalog's one lookahead pattern, which RE2 cannot run, becomes its plain form: an exact name now
 * beats a pattern, so 'gpt-4o-2024-05-13' keeps its own price without the lookahead.
 */
export class RateHistory1795910400000 implements MigrationInterface {
  name = 'RateHistory1795910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "node_rate_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "node_id" uuid NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "hourly_cost_usd" numeric(20,9) NOT NULL, "energy_price_usd_per_kwh" numeric(20,9) NOT NULL, "power_overhead_factor" numeric(6,3) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f73bead2fcc02334816c8b87061" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0c61ed247abfe16a522d0766f2" ON "node_rate_versions"  ("node_id", "effective_from") `);
    await queryRunner.query(`ALTER TABLE "node_rate_versions" ADD CONSTRAINT "FK_51202a31cdec418420f061ce120" FOREIGN KEY ("node_id") REFERENCES "inference_nodes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`INSERT INTO "node_rate_versions" ("node_id", "effective_from", "hourly_cost_usd", "energy_price_usd_per_kwh", "power_overhead_factor") SELECT "id", "created_at", "hourly_cost_usd", "energy_price_usd_per_kwh", "power_overhead_factor" FROM "inference_nodes"`);
    await queryRunner.query(`ALTER TABLE "inference_nodes" DROP COLUMN "hourly_cost_usd"`);
    await queryRunner.query(`ALTER TABLE "inference_nodes" DROP COLUMN "energy_price_usd_per_kwh"`);
    await queryRunner.query(`ALTER TABLE "inference_nodes" DROP COLUMN "power_overhead_factor"`);
    await queryRunner.query(
      `UPDATE "prices" SET "model_pattern" = 'gpt-4o(-\\d{4}-\\d{2}-\\d{2})?', "updated_at" = now() WHERE "model_pattern" = 'gpt-4o(?!-2024-05-13)(-\\d{4}-\\d{2}-\\d{2})?' AND "source" = 'warden-default' AND NOT EXISTS (SELECT 1 FROM "prices" AS "plain" WHERE "plain"."model_pattern" = 'gpt-4o(-\\d{4}-\\d{2}-\\d{2})?' AND "plain"."provider" = "prices"."provider" AND "plain"."effective_from" = "prices"."effective_from")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inference_nodes" ADD "hourly_cost_usd" numeric(20,9) NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "inference_nodes" ADD "energy_price_usd_per_kwh" numeric(20,9) NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "inference_nodes" ADD "power_overhead_factor" numeric(6,3) NOT NULL DEFAULT '1'`);
    // Back to one set of rates per node: the latest version.
    await queryRunner.query(`UPDATE "inference_nodes" SET "hourly_cost_usd" = "latest"."hourly_cost_usd", "energy_price_usd_per_kwh" = "latest"."energy_price_usd_per_kwh", "power_overhead_factor" = "latest"."power_overhead_factor" FROM (SELECT DISTINCT ON ("node_id") * FROM "node_rate_versions" ORDER BY "node_id", "effective_from" DESC) AS "latest" WHERE "latest"."node_id" = "inference_nodes"."id"`);
    await queryRunner.query(`ALTER TABLE "node_rate_versions" DROP CONSTRAINT "FK_51202a31cdec418420f061ce120"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c61ed247abfe16a522d0766f2"`);
    await queryRunner.query(`DROP TABLE "node_rate_versions"`);
  }
}

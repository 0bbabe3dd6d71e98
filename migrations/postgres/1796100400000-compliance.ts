import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance: legal holds per team (suspend retention deletion), where the retention sweep stands per data class and
 * team (or node), and auditor exports (what was asked, by whom, where the file stands).
 */
export class Compliance1796100400000 implements MigrationInterface {
  name = 'Compliance1796100400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "legal_holds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "team" text NOT NULL, "reason" text NOT NULL, "placed_by" text NOT NULL, "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "released_by" text, "released_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bbe3e0c98678909493a90442dfb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_legal_holds_team" ON "legal_holds" ("team")`);
    await queryRunner.query(`CREATE TABLE "retention_sweep_state" ("data_class" text NOT NULL, "subject" text NOT NULL, "last_swept_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_rows" bigint NOT NULL DEFAULT '0', "receipts" integer NOT NULL DEFAULT '0', "applied_days" integer, CONSTRAINT "PK_701e10d7880f33434b976d90365" PRIMARY KEY ("data_class", "subject"))`);
    await queryRunner.query(`CREATE TABLE "exports" ("id" uuid NOT NULL, "kind" text NOT NULL, "range_from" TIMESTAMP WITH TIME ZONE NOT NULL, "range_to" TIMESTAMP WITH TIME ZONE NOT NULL, "teams" jsonb NOT NULL DEFAULT '[]', "include_content" boolean NOT NULL DEFAULT false, "requested_by" text NOT NULL, "requested_role" text NOT NULL, "state" text NOT NULL, "rows" bigint NOT NULL DEFAULT '0', "bytes" bigint NOT NULL DEFAULT '0', "file_name" text NOT NULL, "error" text, "chain_verification" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bcf8528d214cbfc68c01f337511" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_exports_created_at" ON "exports" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "exports"`);
    await queryRunner.query(`DROP TABLE "retention_sweep_state"`);
    await queryRunner.query(`DROP TABLE "legal_holds"`);
  }
}

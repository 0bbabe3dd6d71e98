import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Policies as code: each policy by name with its current document, and every version it ever had. */
export class Policies1796000300000 implements MigrationInterface {
  name = 'Policies1796000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "scope_kind" text NOT NULL, "scope_subject" text NOT NULL, "version" integer NOT NULL, "document" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" text NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_3d6f8d44a991b53e2899a65ebaf" UNIQUE ("name"), CONSTRAINT "PK_603e09f183df0108d8695c57e28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "policy_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "policy_id" uuid NOT NULL, "version" integer NOT NULL, "document" jsonb NOT NULL, "deleted" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by" text NOT NULL, CONSTRAINT "PK_125d2970fc66a316f84af16812e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_a87c5de83d774f89e3f706a7b6" ON "policy_versions"  ("policy_id", "version") `);
    await queryRunner.query(
      `ALTER TABLE "policy_versions" ADD CONSTRAINT "FK_b39b765ed67f82c6b52d880713e" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policy_versions" DROP CONSTRAINT "FK_b39b765ed67f82c6b52d880713e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a87c5de83d774f89e3f706a7b6"`);
    await queryRunner.query(`DROP TABLE "policy_versions"`);
    await queryRunner.query(`DROP TABLE "policies"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Teams (with an optional parent unit) and memberships; users get a name; API keys get several scopes, a team,
 * an expiry and a last-used time. Each existing key keeps working as an organisation-level key (no team) holding
 * the one scope it had.
 */
export class TeamsAndScopedKeys1796100000000 implements MigrationInterface {
  name = 'TeamsAndScopedKeys1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "teams" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "display_name" text NOT NULL DEFAULT '', "parent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_48c0c32e6247a2de155baeaf980" UNIQUE ("name"), CONSTRAINT "PK_7e5523774a38b08a6236d322403" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9eadae99b46c48a066509a1a77" ON "teams"  ("parent_id") `);
    await queryRunner.query(`CREATE TABLE "team_memberships" ("user_id" uuid NOT NULL, "team_id" uuid NOT NULL, CONSTRAINT "PK_11c823f69a675c3f05d0fc31958" PRIMARY KEY ("user_id", "team_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b917b8603c6d5c526fcdb2009d" ON "team_memberships"  ("team_id") `);
    // The single scope becomes a one-element array before the old column goes.
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "scopes" text array`);
    await queryRunner.query(`UPDATE "api_keys" SET "scopes" = ARRAY["scope"]`);
    await queryRunner.query(`ALTER TABLE "api_keys" ALTER COLUMN "scopes" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "scope"`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "last_used_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "name" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`CREATE INDEX "IDX_dab6f38770515f36935b6f5396" ON "api_keys"  ("team_id") `);
    await queryRunner.query(`ALTER TABLE "teams" ADD CONSTRAINT "FK_9eadae99b46c48a066509a1a774" FOREIGN KEY ("parent_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_dab6f38770515f36935b6f53963" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "team_memberships" ADD CONSTRAINT "FK_c9eb2ded8e0e2f4bcb41fd0984a" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "team_memberships" ADD CONSTRAINT "FK_b917b8603c6d5c526fcdb2009de" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "team_memberships" DROP CONSTRAINT "FK_b917b8603c6d5c526fcdb2009de"`);
    await queryRunner.query(`ALTER TABLE "team_memberships" DROP CONSTRAINT "FK_c9eb2ded8e0e2f4bcb41fd0984a"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_dab6f38770515f36935b6f53963"`);
    await queryRunner.query(`ALTER TABLE "teams" DROP CONSTRAINT "FK_9eadae99b46c48a066509a1a774"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dab6f38770515f36935b6f5396"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "name"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "last_used_at"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "expires_at"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "team_id"`);
    // Back to one scope: the first a key holds (the keys of this version hold one each).
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "scope" text`);
    await queryRunner.query(`UPDATE "api_keys" SET "scope" = "scopes"[1]`);
    await queryRunner.query(`ALTER TABLE "api_keys" ALTER COLUMN "scope" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "scopes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b917b8603c6d5c526fcdb2009d"`);
    await queryRunner.query(`DROP TABLE "team_memberships"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9eadae99b46c48a066509a1a77"`);
    await queryRunner.query(`DROP TABLE "teams"`);
  }
}

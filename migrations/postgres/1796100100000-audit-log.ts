import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit log: one row per admin action, each carrying the SHA-256 of its content and of the row
 * before it (prev_hash), so an edited, inserted or deleted row breaks the chain at that row. Sequences are gapless
 * (assigned under an advisory lock), which names a deleted row by its number; prev_id names it by its id.
 */
export class AuditLog1796100100000 implements MigrationInterface {
  name = 'AuditLog1796100100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("sequence" bigint NOT NULL, "id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "action" text NOT NULL, "actor" text NOT NULL, "actor_role" text, "target_type" text, "target_id" text, "team" text, "before" jsonb, "after" jsonb, "details" jsonb, "prev_id" uuid, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "UQ_audit_log_id" UNIQUE ("id"), CONSTRAINT "PK_audit_log_sequence" PRIMARY KEY ("sequence"))`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_at" ON "audit_log" ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_action" ON "audit_log" ("action") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_action"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_at"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}

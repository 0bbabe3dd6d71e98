import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Score definitions (per score name: data type, range, direction, threshold, labels) and the record of which shipped
 * definitions were seeded, so one an admin deletes is not seeded again on the next start.
 */
export class ScoreDefinitions1796000400000 implements MigrationInterface {
  name = 'ScoreDefinitions1796000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "score_definitions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "data_type" text NOT NULL, "minimum" double precision, "maximum" double precision, "direction" text, "threshold" double precision, "labels" jsonb NOT NULL DEFAULT '[]', "hallucinated_labels" jsonb NOT NULL DEFAULT '[]', "origin" text NOT NULL DEFAULT 'user', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_5c878f2a6bc160d57a11a8e33da" UNIQUE ("name"), CONSTRAINT "PK_ae01c5c8a43867036d6914f45f4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "score_definition_seeds" ("name" text NOT NULL, "seeded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1498942c0d8c6a174d5ef12a62d" PRIMARY KEY ("name"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "score_definition_seeds"`);
    await queryRunner.query(`DROP TABLE "score_definitions"`);
  }
}

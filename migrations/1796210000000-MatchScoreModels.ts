import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MatchScoreModels1796210000000 implements MigrationInterface {
  name = 'MatchScoreModels1796210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"match_score_model\" (\"version\" character varying(64) NOT NULL, \"target\" character varying(32) NOT NULL, \"model\" jsonb NOT NULL, \"report\" jsonb NOT NULL, \"trained_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d6cfad6610e7d28943752cd14bc\" PRIMARY KEY (\"version\"))");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"match_score_model\"");
  }
}

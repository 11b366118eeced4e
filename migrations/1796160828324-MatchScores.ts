import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MatchScores1796160828324 implements MigrationInterface {
  name = 'MatchScores1796160828324';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"match_score\" (\"job_id\" uuid NOT NULL, \"candidate_id\" uuid NOT NULL, \"score\" double precision NOT NULL, \"keyword\" double precision NOT NULL, \"vector\" double precision NOT NULL, \"vector_profile\" double precision, \"vector_title\" double precision, \"vector_skills\" double precision, \"skills_required\" double precision, \"skills_preferred\" double precision, \"seniority_fit\" double precision, \"location_fit\" double precision, \"talent_flow\" integer NOT NULL, \"warm_path\" integer NOT NULL, \"model_version\" character varying(64) NOT NULL, \"computed_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_31d808835242b34f2779f85f7c3\" PRIMARY KEY (\"job_id\", \"candidate_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_match_score_candidate_score\" ON \"match_score\"  (\"candidate_id\", \"score\") ");
    await queryRunner.query("CREATE INDEX \"ix_match_score_job_score\" ON \"match_score\"  (\"job_id\", \"score\") ");
    await queryRunner.query("ALTER TABLE \"match_score\" ADD CONSTRAINT \"fk_match_score_job\" FOREIGN KEY (\"job_id\") REFERENCES \"job\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"match_score\" ADD CONSTRAINT \"fk_match_score_candidate\" FOREIGN KEY (\"candidate_id\") REFERENCES \"candidate\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"match_score\" DROP CONSTRAINT \"fk_match_score_candidate\"");
    await queryRunner.query("ALTER TABLE \"match_score\" DROP CONSTRAINT \"fk_match_score_job\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_match_score_job_score\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_match_score_candidate_score\"");
    await queryRunner.query("DROP TABLE \"match_score\"");
  }
}

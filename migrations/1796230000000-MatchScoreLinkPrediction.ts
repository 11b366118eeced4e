import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The link-prediction component of a match score (issue 17): a nullable column, null until a link model is
 * trained, and the same column at the end of bi.match_scores (CREATE OR REPLACE keeps the view, so the grants
 * of `matchhub bi grant` hold and a dashboard reading columns by position is not shifted).
 */
export class MatchScoreLinkPrediction1796230000000 implements MigrationInterface {
  name = 'MatchScoreLinkPrediction1796230000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "match_score" ADD "link_prediction" double precision');
    await queryRunner.query(
      `CREATE OR REPLACE VIEW "bi"."match_scores" AS
       SELECT m.job_id, m.candidate_id,
              row_number() OVER (PARTITION BY m.job_id ORDER BY m.score DESC, m.candidate_id DESC)::int AS rank,
              m.score, m.keyword, m.vector, m.vector_profile, m.vector_title, m.vector_skills,
              m.skills_required, m.skills_preferred, m.seniority_fit, m.location_fit, m.talent_flow, m.warm_path,
              m.model_version, m.computed_at, m.link_prediction
       FROM "match_score" m`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "bi"."match_scores"`);
    await queryRunner.query(
      `CREATE VIEW "bi"."match_scores" AS
       SELECT m.job_id, m.candidate_id,
              row_number() OVER (PARTITION BY m.job_id ORDER BY m.score DESC, m.candidate_id DESC)::int AS rank,
              m.score, m.keyword, m.vector, m.vector_profile, m.vector_title, m.vector_skills,
              m.skills_required, m.skills_preferred, m.seniority_fit, m.location_fit, m.talent_flow, m.warm_path,
              m.model_version, m.computed_at
       FROM "match_score" m`,
    );
    await queryRunner.query('ALTER TABLE "match_score" DROP COLUMN "link_prediction"');
  }
}

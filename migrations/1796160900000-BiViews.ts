import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stable SQL interface for BI tools: schema `bi`, views only, so the tables behind them may change
 * while a dashboard's queries do not. No personal field of a candidate appears in any view (names, contact
 * details, desired pay, free-text summaries stay out). `matchhub bi grant --role <name>` makes a role that
 * reads these views and nothing else. No entity: TypeORM's schema diff sees only the public schema.
 */
export class BiViews1796160900000 implements MigrationInterface {
  name = 'BiViews1796160900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "bi"`);
    await queryRunner.query(
      `CREATE VIEW "bi"."match_scores" AS
       SELECT m.job_id, m.candidate_id,
              row_number() OVER (PARTITION BY m.job_id ORDER BY m.score DESC, m.candidate_id DESC)::int AS rank,
              m.score, m.keyword, m.vector, m.vector_profile, m.vector_title, m.vector_skills,
              m.skills_required, m.skills_preferred, m.seniority_fit, m.location_fit, m.talent_flow, m.warm_path,
              m.model_version, m.computed_at
       FROM "match_score" m`,
    );
    await queryRunner.query(
      `CREATE VIEW "bi"."jobs" AS
       SELECT j.id, j.source, j.external_id, j.company_id, c.name AS company_name, j.title, j.seniority::text AS seniority,
              j.location, j.salary_min, j.salary_max, j.salary_currency, j.status::text AS status, j.opened_at, j.closed_at,
              o.code AS occupation_code, j.created_at, j.updated_at
       FROM "job" j JOIN "company" c ON c.id = j.company_id LEFT JOIN "occupation" o ON o.id = j.occupation_id`,
    );
    await queryRunner.query(
      `CREATE VIEW "bi"."candidates_public" AS
       SELECT id, source, external_id, current_title, location, years_experience, languages, desired_roles, created_at, updated_at
       FROM "candidate"`,
    );
    await queryRunner.query(
      `CREATE VIEW "bi"."placements" AS
       SELECT id, source, external_id, candidate_id, job_id, company_id, start_date, fee_band::text AS fee_band, created_at
       FROM "placement"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA "bi" CASCADE`);
  }
}

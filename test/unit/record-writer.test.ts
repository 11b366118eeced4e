import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/app/entities';
import { SnakeNamingStrategy } from '../../src/app/snake-naming.strategy';
import { Application } from '../../src/hub/entities/application.entity';
import { Candidate } from '../../src/hub/entities/candidate.entity';
import { Company } from '../../src/hub/entities/company.entity';
import { Consultant } from '../../src/hub/entities/consultant.entity';
import { Job } from '../../src/hub/entities/job.entity';
import { Placement } from '../../src/hub/entities/placement.entity';
import { Skill } from '../../src/hub/entities/skill.entity';
import { buildUpsertSql, upsertColumns } from '../../src/hub/repositories/sourced.repository';

describe('buildUpsertSql', () => {
  it('upserts by (source, external_id) from one jsonb parameter, never from values in the text', () => {
    const sql = buildUpsertSql('company', [
      ['name', 'text'],
      ['aliases', 'text[]'],
    ]);
    expect(sql).toContain('INSERT INTO "company" ("source", "external_id", "name", "aliases")');
    expect(sql).toContain('jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text, "name" text, "aliases" text[])');
    expect(sql).toContain(
      'ON CONFLICT ("source", "external_id") DO UPDATE SET "name" = EXCLUDED."name", "aliases" = EXCLUDED."aliases", "updated_at" = now()',
    );
    expect(sql).not.toMatch(/\$2/);
  });
});

describe('upsertColumns', () => {
  let ds: DataSource;
  beforeAll(async () => {
    // Metadata only: the data source is never connected.
    ds = new DataSource({ type: 'postgres', entities: ENTITIES, namingStrategy: new SnakeNamingStrategy() });
    await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  });

  // The columns each record type's upsert wrote when they were listed by hand; the entities must
  // give the same, so the upserts write what they wrote. Character types are read as text, enums
  // by their type's name.
  it.each([
    [Consultant, 'name text, email text'],
    [Skill, 'name text, name_key text, aliases text[], category text, onet_commodity_code integer'],
    [Company, 'name text, aliases text[], industry text, size_band company_size, location text'],
    [
      Candidate,
      'name text, headline text, summary text, location text, years_experience numeric, languages varchar[], email text, phone text, ' +
        'current_title text, desired_roles text[], desired_locations text[], desired_salary_min integer, desired_salary_max integer, ' +
        'salary_currency text, owner_id uuid',
    ],
    [
      Job,
      'company_id uuid, title text, description text, seniority seniority, location text, salary_min integer, salary_max integer, ' +
        'salary_currency text, status job_status, opened_at date, closed_at date, occupation_id uuid, owner_id uuid',
    ],
    [Application, 'candidate_id uuid, job_id uuid, stage application_stage'],
    [Placement, 'candidate_id uuid, job_id uuid, company_id uuid, start_date date, fee_band fee_band'],
  ])('%p: every column but the key and the timestamps, typed for jsonb_to_recordset', (entity, expected) => {
    const columns = upsertColumns(ds.getMetadata(entity));
    expect(columns.map(([name, type]) => `${name} ${type}`).join(', ')).toBe(expected);
  });
});

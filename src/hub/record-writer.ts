import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError } from '../shared/errors';
import { fromGlobalId, type NodeType } from '../shared/global-id';
import type { InputFor, RecordRefInput } from './inputs';
import type { RecordType } from './records';

/**
 * Writes validated records in batches of one type, inside the caller's transaction: resolves references,
 * upserts by (source, externalId) with one statement per table (rows travel as one jsonb parameter, so
 * the SQL text never changes with the data), replaces owned children, and records one outbox event per
 * written record in the same transaction. Used by the GraphQL mutations, `import` and `seed` alike.
 */

export interface Written {
  /** Index of the record in the batch. */
  index: number;
  id: string;
  created: boolean;
}

export interface RecordFailure {
  index: number;
  error: AppError;
}

const TABLE: Record<RecordType, string> = {
  consultant: 'consultant',
  skill: 'skill',
  company: 'company',
  candidate: 'candidate',
  job: 'job',
  application: 'application',
  placement: 'placement',
};
const NODE: Record<string, NodeType> = {
  consultant: 'Consultant',
  company: 'Company',
  candidate: 'Candidate',
  job: 'Job',
};

type Row = Record<string, unknown>;

/** Column list and Postgres types of each table's upsert, in jsonb_to_recordset's vocabulary. */
const COLUMNS: Record<RecordType, [string, string][]> = {
  consultant: [
    ['name', 'text'],
    ['email', 'text'],
  ],
  skill: [
    ['name', 'text'],
    ['name_key', 'text'],
    ['aliases', 'text[]'],
    ['category', 'text'],
    ['onet_commodity_code', 'int'],
  ],
  company: [
    ['name', 'text'],
    ['aliases', 'text[]'],
    ['industry', 'text'],
    ['size_band', 'company_size'],
    ['location', 'text'],
  ],
  candidate: [
    ['name', 'text'],
    ['headline', 'text'],
    ['summary', 'text'],
    ['location', 'text'],
    ['years_experience', 'numeric'],
    ['languages', 'varchar[]'],
    ['email', 'text'],
    ['phone', 'text'],
    ['current_title', 'text'],
    ['desired_roles', 'text[]'],
    ['desired_locations', 'text[]'],
    ['desired_salary_min', 'int'],
    ['desired_salary_max', 'int'],
    ['salary_currency', 'text'],
    ['owner_id', 'uuid'],
  ],
  job: [
    ['company_id', 'uuid'],
    ['title', 'text'],
    ['description', 'text'],
    ['seniority', 'seniority'],
    ['location', 'text'],
    ['salary_min', 'int'],
    ['salary_max', 'int'],
    ['salary_currency', 'text'],
    ['status', 'job_status'],
    ['opened_at', 'date'],
    ['closed_at', 'date'],
    ['occupation_id', 'uuid'],
    ['owner_id', 'uuid'],
  ],
  application: [
    ['candidate_id', 'uuid'],
    ['job_id', 'uuid'],
    ['stage', 'application_stage'],
  ],
  placement: [
    ['candidate_id', 'uuid'],
    ['job_id', 'uuid'],
    ['company_id', 'uuid'],
    ['start_date', 'date'],
    ['fee_band', 'fee_band'],
  ],
};

/** Builds the upsert for one table; pure, so it is unit-tested without a database. */
export function buildUpsertSql(table: string, columns: [string, string][]): string {
  const all: [string, string][] = [['source', 'text'], ['external_id', 'text'], ...columns];
  const names = all.map(([c]) => `"${c}"`).join(', ');
  const recordset = all.map(([c, t]) => `"${c}" ${t}`).join(', ');
  const updates = columns.map(([c]) => `"${c}" = EXCLUDED."${c}"`).join(', ');
  return (
    `INSERT INTO "${table}" (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${recordset}) ` +
    `ON CONFLICT ("source", "external_id") DO UPDATE SET ${updates}, "updated_at" = now() ` +
    `RETURNING "id", "source", "external_id", (xmax = 0) AS "created"`
  );
}

const key = (source: string, externalId: string) => `${source}\u0000${externalId}`;

export class RecordWriter {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes `records` (all of `type`). Records whose references cannot be resolved are returned as
   * failures and not written; a constraint violation fails the whole call (callers isolate records with
   * savepoints when they need per-record errors).
   */
  async write<T extends RecordType>(type: T, records: InputFor<T>[]): Promise<{ written: Written[]; failures: RecordFailure[] }> {
    const failures: RecordFailure[] = [];
    const rows: { index: number; row: Row; record: InputFor<T> }[] = [];
    const refs = await this.resolveRefs(type, records);
    const skills = await this.resolveSkills(type, records);
    const occupations = await this.resolveOccupations(type, records);

    records.forEach((record, index) => {
      try {
        rows.push({ index, row: this.toRow(type, record, refs, occupations), record });
      } catch (err) {
        if (err instanceof AppError) failures.push({ index, error: err });
        else throw err;
      }
    });
    if (rows.length === 0) return { written: [], failures };
    if (type === 'placement') {
      // A placement's company is its job's company; stored for BI, never taken from the input.
      const jobs: { id: string; company_id: string }[] = await this.em.query(
        `SELECT "id", "company_id" FROM "job" WHERE "id" = ANY($1::uuid[])`,
        [rows.map((r) => r.row.job_id)],
      );
      const companyOf = new Map(jobs.map((j) => [j.id, j.company_id]));
      for (const r of rows) r.row.company_id = companyOf.get(r.row.job_id as string);
    }

    const result: { id: string; source: string; external_id: string; created: boolean }[] = await this.em.query(
      buildUpsertSql(TABLE[type], COLUMNS[type]),
      [JSON.stringify(rows.map((r) => r.row))],
    );
    const idByKey = new Map(result.map((r) => [key(r.source, r.external_id), r]));
    const written: Written[] = rows.map(({ index, row }) => {
      const r = idByKey.get(key(row.source as string, row.external_id as string));
      if (!r) throw new AppError('CONFLICT', `record ${row.source}/${row.external_id} appears twice in one batch`);
      return { index, id: r.id, created: r.created };
    });
    const idOf = new Map(written.map((w) => [w.index, w.id]));
    await this.writeChildren(
      type,
      rows.map(({ index, record, row }) => ({ id: idOf.get(index)!, record, row })),
      refs,
      skills,
      occupations,
    );
    await this.em.query(`INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") SELECT $1, unnest($2::uuid[]), 'UPSERT'`, [
      type,
      written.map((w) => w.id),
    ]);
    return { written, failures };
  }

  /** Deletes by id; the outbox carries the deletion to the projections. Throws NOT_FOUND when absent. */
  async delete(type: RecordType, id: string): Promise<void> {
    const owned = type === 'application' || type === 'placement';
    const rows: unknown[] = await this.em.query(
      `DELETE FROM "${TABLE[type]}" WHERE "id" = $1 RETURNING "id"${owned ? ', "candidate_id"' : ''}`,
      [id],
    );
    const deleted = (Array.isArray(rows[0]) ? rows[0] : rows) as { candidate_id?: string }[];
    if (deleted.length === 0) throw new AppError('NOT_FOUND', `${NODE[type] ?? type} ${id} does not exist`);
    await this.em.query(`INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") VALUES ($1, $2, 'DELETE')`, [type, id]);
    // Applications and placements are facts of their candidate in the projections: re-project it.
    if (owned && deleted[0].candidate_id) {
      await this.em.query(`INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") VALUES ('candidate', $1, 'UPSERT')`, [
        deleted[0].candidate_id,
      ]);
    }
  }

  // --- references -------------------------------------------------------------------------------

  private refFields(type: RecordType): [string, string][] {
    switch (type) {
      case 'candidate':
        return [['owner', 'consultant']];
      case 'job':
        return [
          ['company', 'company'],
          ['owner', 'consultant'],
        ];
      case 'application':
      case 'placement':
        return [
          ['candidate', 'candidate'],
          ['job', 'job'],
        ];
      default:
        return [];
    }
  }

  /** Maps every reference in the batch to a UUID: `table -> (ref string -> uuid)`. */
  private async resolveRefs(type: RecordType, records: object[]): Promise<Map<string, Map<string, string>>> {
    const wanted = new Map<string, RecordRefInput[]>();
    const add = (table: string, ref: RecordRefInput | undefined) => {
      if (!ref) return;
      if (!wanted.has(table)) wanted.set(table, []);
      wanted.get(table)!.push(ref);
    };
    for (const record of records as Record<string, unknown>[]) {
      for (const [field, table] of this.refFields(type)) add(table, record[field] as RecordRefInput | undefined);
      if (type === 'candidate') {
        for (const e of (record.experiences as { company?: RecordRefInput }[] | undefined) ?? []) add('company', e.company);
      }
    }
    const out = new Map<string, Map<string, string>>();
    for (const [table, list] of wanted) {
      const map = new Map<string, string>();
      const ids = list.filter((r) => r.id).map((r) => this.refUuid(r, table));
      const pairs = list.filter((r) => !r.id).map((r) => ({ source: r.source, external_id: r.externalId }));
      if (ids.length) {
        const found: { id: string }[] = await this.em.query(`SELECT "id" FROM "${table}" WHERE "id" = ANY($1::uuid[])`, [ids]);
        for (const f of found) map.set(`id:${f.id}`, f.id);
      }
      if (pairs.length) {
        const found: { id: string; source: string; external_id: string }[] = await this.em.query(
          `SELECT t."id", t."source", t."external_id" FROM "${table}" t
           JOIN jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text)
             ON t."source" = r."source" AND t."external_id" = r."external_id"`,
          [JSON.stringify(pairs)],
        );
        for (const f of found) map.set(key(f.source, f.external_id), f.id);
      }
      out.set(table, map);
    }
    return out;
  }

  private refUuid(ref: RecordRefInput, table: string): string {
    const parsed = fromGlobalId(ref.id!);
    const expected = NODE[table];
    if (parsed.type !== expected) throw new AppError('BAD_USER_INPUT', `expected a ${expected} id, got a ${parsed.type} id`);
    return parsed.uuid;
  }

  private lookup(refs: Map<string, Map<string, string>>, table: string, ref: RecordRefInput | undefined, field: string): string | null {
    if (!ref) return null;
    const map = refs.get(table);
    const id = ref.id ? map?.get(`id:${this.refUuid(ref, table)}`) : map?.get(key(ref.source!, ref.externalId!));
    if (!id) {
      const shown = ref.id ?? `${ref.source}/${ref.externalId}`;
      throw new AppError('NOT_FOUND', `${field}: ${NODE[table]} ${shown} does not exist; import it first`);
    }
    return id;
  }

  /** Skill names (and aliases) used by the batch -> skill id, creating skills that do not exist yet. */
  private async resolveSkills(type: RecordType, records: object[]): Promise<Map<string, string>> {
    if (type !== 'candidate' && type !== 'job') return new Map();
    const names = new Map<string, string>();
    for (const r of records as { skills?: { skill: string }[] }[]) {
      for (const s of r.skills ?? []) names.set(s.skill.trim().toLowerCase(), s.skill.trim());
    }
    if (names.size === 0) return new Map();
    const keys = [...names.keys()];
    const found: { id: string; name_key: string; aliases: string[] }[] = await this.em.query(
      `SELECT "id", "name_key", "aliases" FROM "skill" WHERE "name_key" = ANY($1::text[]) OR "aliases" && $1::text[]`,
      [keys],
    );
    const out = new Map<string, string>();
    for (const f of found) {
      out.set(f.name_key, f.id);
      for (const a of f.aliases) if (!out.has(a)) out.set(a, f.id);
    }
    const missing = keys.filter((k) => !out.has(k));
    if (missing.length) {
      const created: { id: string; name_key: string }[] = await this.em
        .query(buildUpsertSql('skill', COLUMNS.skill), [
          JSON.stringify(
            missing.map((k) => ({ source: 'matchhub', external_id: `skill:${k}`, name: names.get(k), name_key: k, aliases: [] })),
          ),
        ])
        .then((rows: { id: string; external_id: string }[]) => rows.map((r) => ({ id: r.id, name_key: r.external_id.slice(6) })));
      for (const c of created) out.set(c.name_key, c.id);
      await this.em.query(
        `INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") SELECT 'skill', unnest($1::uuid[]), 'UPSERT'`,
        [created.map((c) => c.id)],
      );
    }
    return out;
  }

  private async resolveOccupations(type: RecordType, records: object[]): Promise<Map<string, string>> {
    const codes = new Set<string>();
    for (const r of records as { occupationCode?: string; experiences?: { occupationCode?: string }[] }[]) {
      if (type === 'job' && r.occupationCode) codes.add(r.occupationCode);
      if (type === 'candidate') for (const e of r.experiences ?? []) if (e.occupationCode) codes.add(e.occupationCode);
    }
    if (codes.size === 0) return new Map();
    const found: { id: string; code: string }[] = await this.em.query(
      `SELECT "id", "code" FROM "occupation" WHERE "code" = ANY($1::text[])`,
      [[...codes]],
    );
    return new Map(found.map((f) => [f.code, f.id]));
  }

  // --- rows ---------------------------------------------------------------------------------------

  private toRow(type: RecordType, input: object, refs: Map<string, Map<string, string>>, occupations: Map<string, string>): Row {
    const r = input as Record<string, any>;
    const base = { source: r.source ?? 'api', external_id: r.externalId ?? randomUUID() };
    r.source = base.source;
    r.externalId = base.external_id;
    switch (type) {
      case 'consultant':
        return { ...base, name: r.name, email: r.email ?? null };
      case 'skill':
        return {
          ...base,
          name: r.name.trim(),
          name_key: r.name.trim().toLowerCase(),
          aliases: [...new Set<string>((r.aliases ?? []).map((a: string) => a.trim().toLowerCase()))],
          category: r.category ?? null,
          onet_commodity_code: r.onetCommodityCode ?? null,
        };
      case 'company':
        return {
          ...base,
          name: r.name,
          aliases: r.aliases ?? [],
          industry: r.industry ?? null,
          size_band: r.sizeBand ?? null,
          location: r.location ?? null,
        };
      case 'candidate':
        return {
          ...base,
          name: r.name,
          headline: r.headline ?? null,
          summary: r.summary ?? null,
          location: r.location ?? null,
          years_experience: r.yearsExperience ?? null,
          languages: r.languages ?? [],
          email: r.email ?? null,
          phone: r.phone ?? null,
          current_title: r.currentTitle ?? null,
          desired_roles: r.desiredRoles ?? [],
          desired_locations: r.desiredLocations ?? [],
          desired_salary_min: r.desiredSalaryMin ?? null,
          desired_salary_max: r.desiredSalaryMax ?? null,
          salary_currency: r.salaryCurrency ?? null,
          owner_id: this.lookup(refs, 'consultant', r.owner, 'owner'),
        };
      case 'job':
        return {
          ...base,
          company_id: this.lookup(refs, 'company', r.company, 'company'),
          title: r.title,
          description: r.description ?? null,
          seniority: r.seniority ?? null,
          location: r.location ?? null,
          salary_min: r.salaryMin ?? null,
          salary_max: r.salaryMax ?? null,
          salary_currency: r.salaryCurrency ?? null,
          status: r.status ?? 'OPEN',
          opened_at: r.openedAt ?? null,
          closed_at: r.closedAt ?? null,
          occupation_id: r.occupationCode ? (occupations.get(r.occupationCode) ?? null) : null,
          owner_id: this.lookup(refs, 'consultant', r.owner, 'owner'),
        };
      case 'application':
        return {
          ...base,
          candidate_id: this.lookup(refs, 'candidate', r.candidate, 'candidate'),
          job_id: this.lookup(refs, 'job', r.job, 'job'),
          stage: r.stage,
        };
      case 'placement':
        return {
          ...base,
          candidate_id: this.lookup(refs, 'candidate', r.candidate, 'candidate'),
          job_id: this.lookup(refs, 'job', r.job, 'job'),
          company_id: null, // the job's company, filled in `write`
          start_date: r.startDate,
          fee_band: r.feeBand ?? null,
        };
    }
  }

  private async writeChildren(
    type: RecordType,
    rows: { id: string; record: object; row: Row }[],
    refs: Map<string, Map<string, string>>,
    skills: Map<string, string>,
    occupations: Map<string, string>,
  ): Promise<void> {
    if (type === 'candidate') await this.writeCandidateChildren(rows, refs, skills, occupations);
    if (type === 'job') await this.replaceSkills('job_skill', 'job_id', rows, skills, (s: any) => ({ requirement: s.requirement }));
    if (type === 'application') {
      const withHistory = rows.filter((r) => (r.record as any).history);
      const implicit = rows.filter((r) => !(r.record as any).history);
      if (withHistory.length) {
        await this.em.query(`DELETE FROM "application_stage_change" WHERE "application_id" = ANY($1::uuid[])`, [
          withHistory.map((r) => r.id),
        ]);
        const changes = withHistory.flatMap((r) =>
          (r.record as any).history.map((h: any) => ({ application_id: r.id, stage: h.stage, at: h.at })),
        );
        if (changes.length) {
          await this.em.query(
            `INSERT INTO "application_stage_change" ("application_id", "stage", "at")
             SELECT "application_id", "stage", "at" FROM jsonb_to_recordset($1::jsonb) AS r("application_id" uuid, "stage" application_stage, "at" timestamptz)`,
            [JSON.stringify(changes)],
          );
        }
      }
      if (implicit.length) {
        // A stage set without a history appends to the history when it differs from the latest entry.
        await this.em.query(
          `INSERT INTO "application_stage_change" ("application_id", "stage", "at")
           SELECT a."id", a."stage", now() FROM "application" a
           WHERE a."id" = ANY($1::uuid[]) AND a."stage" IS DISTINCT FROM (
             SELECT c."stage" FROM "application_stage_change" c WHERE c."application_id" = a."id" ORDER BY c."at" DESC, c."seq" DESC LIMIT 1)`,
          [implicit.map((r) => r.id)],
        );
      }
    }
  }

  private async writeCandidateChildren(
    rows: { id: string; record: object; row: Row }[],
    refs: Map<string, Map<string, string>>,
    skills: Map<string, string>,
    occupations: Map<string, string>,
  ): Promise<void> {
    const withExp = rows.filter((r) => (r.record as any).experiences);
    if (withExp.length) {
      await this.em.query(`DELETE FROM "experience" WHERE "candidate_id" = ANY($1::uuid[])`, [withExp.map((r) => r.id)]);
      const exp = withExp.flatMap((r) =>
        ((r.record as any).experiences as any[]).map((e, i) => ({
          source: r.row.source,
          external_id: e.externalId ?? `${r.row.external_id}/experience/${i}`,
          candidate_id: r.id,
          company_id: this.lookup(refs, 'company', e.company, `experiences.${i}.company`),
          company_name: e.companyName ?? '',
          title: e.title,
          start_date: e.startDate,
          end_date: e.endDate ?? null,
          description: e.description ?? null,
          occupation_id: e.occupationCode ? (occupations.get(e.occupationCode) ?? null) : null,
          position: i,
        })),
      );
      if (exp.length) {
        await this.em.query(
          `INSERT INTO "experience" ("source", "external_id", "candidate_id", "company_id", "company_name", "title", "start_date", "end_date", "description", "occupation_id", "position")
           SELECT r."source", r."external_id", r."candidate_id", r."company_id",
                  CASE WHEN r."company_name" = '' THEN coalesce(c."name", '') ELSE r."company_name" END,
                  r."title", r."start_date", r."end_date", r."description", r."occupation_id", r."position"
           FROM jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text, "candidate_id" uuid, "company_id" uuid, "company_name" text,
             "title" text, "start_date" date, "end_date" date, "description" text, "occupation_id" uuid, "position" smallint)
           LEFT JOIN "company" c ON c."id" = r."company_id"`,
          [JSON.stringify(exp)],
        );
      }
    }
    const withEdu = rows.filter((r) => (r.record as any).education);
    if (withEdu.length) {
      await this.em.query(`DELETE FROM "education" WHERE "candidate_id" = ANY($1::uuid[])`, [withEdu.map((r) => r.id)]);
      const edu = withEdu.flatMap((r) =>
        ((r.record as any).education as any[]).map((e, i) => ({
          source: r.row.source,
          external_id: e.externalId ?? `${r.row.external_id}/education/${i}`,
          candidate_id: r.id,
          school: e.school,
          degree: e.degree ?? null,
          field: e.field ?? null,
          start_year: e.startYear ?? null,
          end_year: e.endYear ?? null,
          position: i,
        })),
      );
      if (edu.length) {
        await this.em.query(
          `INSERT INTO "education" ("source", "external_id", "candidate_id", "school", "degree", "field", "start_year", "end_year", "position")
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text, "candidate_id" uuid, "school" text, "degree" text,
             "field" text, "start_year" smallint, "end_year" smallint, "position" smallint)`,
          [JSON.stringify(edu)],
        );
      }
    }
    await this.replaceSkills('candidate_skill', 'candidate_id', rows, skills, (s: any) => ({
      level: s.level ?? null,
      years: s.years ?? null,
    }));
  }

  private async replaceSkills(
    table: 'candidate_skill' | 'job_skill',
    owner: 'candidate_id' | 'job_id',
    rows: { id: string; record: object }[],
    skills: Map<string, string>,
    extra: (s: object) => Row,
  ): Promise<void> {
    const withSkills = rows.filter((r) => (r.record as any).skills);
    if (withSkills.length === 0) return;
    await this.em.query(`DELETE FROM "${table}" WHERE "${owner}" = ANY($1::uuid[])`, [withSkills.map((r) => r.id)]);
    const links = new Map<string, Row>();
    for (const r of withSkills) {
      for (const s of (r.record as any).skills as { skill: string }[]) {
        const skillId = skills.get(s.skill.trim().toLowerCase())!;
        links.set(`${r.id}/${skillId}`, { [owner]: r.id, skill_id: skillId, ...extra(s) });
      }
    }
    if (links.size === 0) return;
    const cols = table === 'candidate_skill' ? `"level" smallint, "years" numeric` : `"requirement" skill_requirement`;
    const names = table === 'candidate_skill' ? `"level", "years"` : `"requirement"`;
    await this.em.query(
      `INSERT INTO "${table}" ("${owner}", "skill_id", ${names})
       SELECT "${owner}", "skill_id", ${names} FROM jsonb_to_recordset($1::jsonb) AS r("${owner}" uuid, "skill_id" uuid, ${cols})`,
      [JSON.stringify([...links.values()])],
    );
  }
}

import { AGGREGATE_TYPES, AggregateTablesRepository } from '../../../src/hub/repositories/aggregate-tables.repository';
import { GraphFactsRepository } from '../../../src/hub/repositories/graph-facts.repository';
import { OutboxRepository } from '../../../src/hub/repositories/outbox.repository';
import type { Queryable } from '../../../src/hub/repositories/queryable';
import { AppError } from '../../../src/shared/errors';

/** A database that records the statements it is sent and answers each with `rows`. */
function recording(rows: unknown[] = []) {
  const sent: { sql: string; parameters?: unknown[] }[] = [];
  const db = {
    query: async (sql: string, parameters?: unknown[]) => {
      sent.push({ sql, parameters });
      return rows;
    },
    getRepository: () => {
      throw new Error('not used');
    },
  } as unknown as Queryable;
  return { db, sent };
}

describe('statements that name a table by aggregate type', () => {
  const hostile = 'candidate"; DROP TABLE "candidate"; --' as never;

  it('refuses a type outside the list before any statement is sent', async () => {
    const { db, sent } = recording();
    for (const call of [
      () => new AggregateTablesRepository(db).ids(hostile),
      () => new AggregateTablesRepository(db).count(hostile),
      () => new OutboxRepository(db).appendEveryRecord(hostile),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'INTERNAL' });
      await expect(call()).rejects.toBeInstanceOf(AppError);
    }
    expect(sent).toEqual([]);
  });

  it('reads the table of each listed type, and its ids as the rows give them', async () => {
    for (const type of AGGREGATE_TYPES) {
      const { db, sent } = recording([{ id: 'a' }, { id: 'b' }]);
      await expect(new AggregateTablesRepository(db).ids(type)).resolves.toEqual(['a', 'b']);
      expect(sent).toHaveLength(1);
      expect(sent[0].sql).toContain(`FROM "${type}"`);
    }
  });
});

describe('graph facts', () => {
  it('sends no statement for an empty id list', async () => {
    const { db, sent } = recording([{ id: 'x' }]);
    const facts = new GraphFactsRepository(db);
    expect(await facts.candidates([])).toEqual({ candidates: [], experiences: [], education: [], skills: [] });
    expect(await facts.jobs([])).toEqual({ jobs: [], skills: [] });
    expect(await facts.companies([])).toEqual([]);
    expect(await facts.candidatesOfApplications([])).toEqual([]);
    expect(await facts.placementsOfCandidates([])).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('passes ids as a parameter, never in the statement text', async () => {
    const { db, sent } = recording([]);
    const id = '00000000-0000-4000-8000-000000000001';
    await new GraphFactsRepository(db).candidates([id]);
    expect(sent).toHaveLength(4);
    for (const s of sent) {
      expect(s.parameters).toEqual([[id]]);
      expect(s.sql).not.toContain(id);
    }
  });
});

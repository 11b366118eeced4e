import 'reflect-metadata';
import { parse, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { DataSource } from 'typeorm';
import { selectionOf } from '../../src/api/selection';
import { createSchema } from '../../src/app/schema';
import { ENTITIES } from '../../src/app/entities';
import { readColumns } from '../../src/hub/repositories/entity-rows';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema();
});

const fields = (query: string, type: string) => [...(selectionOf(schema, parse(query)).get(type) ?? [])].sort();

describe('what an operation selects per type', () => {
  it('collects fields at any depth, through fragments and inline fragments', () => {
    const q = `query { candidates(first: 2) { edges { node { ...C experiences { title company { name } } } } } }
      fragment C on Candidate { name ... on Candidate { headline } }`;
    expect(fields(q, 'Candidate')).toEqual(['experiences', 'headline', 'name']);
    expect(fields(q, 'Experience')).toEqual(['company', 'title']);
    expect(fields(q, 'Company')).toEqual(['name']);
    expect(fields(q, 'Job')).toEqual([]);
  });

  it('counts a field selected on an interface for every type implementing it', () => {
    const q = `query { node(id: "x") { id ... on Job { title } } }`;
    expect(fields(q, 'Candidate')).toEqual(['id']);
    expect(fields(q, 'Job')).toEqual(['id', 'title']);
  });

  it('uses field names, not aliases', () => {
    expect(fields(`query { candidates { edges { node { who: name } } } }`, 'Candidate')).toEqual(['name']);
  });
});

describe('the columns a read narrows to', () => {
  const ds = new DataSource({ type: 'postgres', entities: [...ENTITIES] });
  // Metadata only, no connection: buildMetadatas is what initialize() runs before it connects.
  beforeAll(() => (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas());

  it('keeps the keys and the fields asked for, and reads everything when nothing is known', () => {
    const meta = ds.getMetadata('Experience');
    const names = readColumns(meta, new Set(['title', 'company'])).map((c) => c.propertyName);
    expect(names).toEqual(expect.arrayContaining(['id', 'candidateId', 'companyId', 'title']));
    expect(names).not.toContain('description');
    expect(readColumns(meta, undefined)).toHaveLength(meta.columns.length);
  });

  // The read path takes a GraphQL field to read the entity property of its name: a field renamed in the
  // schema would read nothing unless its property is a key, which every read selects anyway.
  it('has no renamed GraphQL field on an entity except keys', () => {
    for (const entity of ENTITIES) {
      const meta = ds.getMetadata(entity);
      for (const f of getMetadataStorage().fields.filter((f) => f.target === entity || entity.prototype instanceof f.target)) {
        if (f.schemaName === f.name) continue;
        const column = meta.findColumnWithPropertyName(f.name);
        expect({ field: `${meta.name}.${f.schemaName}`, key: column?.isPrimary || column?.type === 'uuid' }).toEqual({
          field: `${meta.name}.${f.schemaName}`,
          key: true,
        });
      }
    }
  });
});

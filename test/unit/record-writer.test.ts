import { buildUpsertSql } from '../../src/hub/record-writer';

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

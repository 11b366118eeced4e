import { Readable } from 'node:stream';
import { readJsonLines } from '../../src/shared/json-lines';
import { startTestServer, type TestServer } from '../support/test-server';

describe('importing JSON Lines', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 5 });
  }, 180_000);
  afterAll(() => s?.close());

  it('reports malformed and invalid lines by number, lands the good ones, and upserts on re-import', async () => {
    const file = [
      '{"type":"company","source":"hr","externalId":"k1","name":"Kite Labs"}',
      '{"type":"candidate","source":"hr","externalId":"p1","name":"Mei","experiences":[{"company":{"source":"hr","externalId":"k1"},"title":"ML lead","startDate":"2022-02-01"}]}',
      '{"type":"candidate", "name": ',
      '',
      '{"type":"candidate","source":"hr","externalId":"p2","name":"Bo","yearsExperience":"ten"}',
      '{"type":"job","source":"hr","externalId":"j1","company":{"source":"hr","externalId":"k1"},"title":"Staff ML Engineer","status":"OPEN","skills":[{"skill":"PyTorch","requirement":"REQUIRED"}]}',
    ].join('\n');
    const results = [];
    for await (const batch of s.services.writes.importStream(readJsonLines(Readable.from([file])), 2)) results.push(...batch);
    const byLine = new Map(results.map((r) => [r.line, r]));
    expect(byLine.get(3)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', message: 'line is not valid JSON' });
    expect(byLine.get(5)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    expect(byLine.get(5)!.message).toMatch(/yearsExperience/);
    expect([1, 2, 6].map((l) => byLine.get(l)?.ok)).toEqual([true, true, true]);
    expect(byLine.has(4)).toBe(false);

    const again = [];
    for await (const batch of s.services.writes.importStream(
      readJsonLines(Readable.from([file.split('\n')[1].replace('"Mei"', '"Mei Lin"')])),
    ))
      again.push(...batch);
    expect(again).toEqual([expect.objectContaining({ ok: true, created: false })]);
    const rows = await s.sql(`SELECT name FROM candidate WHERE source = 'hr'`);
    expect(rows).toEqual([{ name: 'Mei Lin' }]);
  });

  it('a batch that the database rejects in part lands its good records in one transaction and reports the bad one', async () => {
    const n = 40;
    const lines = [
      { type: 'company', source: 'sp', externalId: 'co', name: 'Savepoint Ltd' },
      { type: 'job', source: 'sp', externalId: 'job', company: { source: 'sp', externalId: 'co' }, title: 'Data Engineer', status: 'OPEN' },
      ...Array.from({ length: n }, (_, i) => ({ type: 'candidate', source: 'sp', externalId: `c${i}`, name: `Candidate ${i}` })),
      ...Array.from({ length: n }, (_, i) => ({
        type: 'application',
        source: 'sp',
        externalId: `a${i}`,
        candidate: { source: 'sp', externalId: `c${i}` },
        job: { source: 'sp', externalId: 'job' },
        stage: 'SOURCED',
      })),
      // Valid on its own, but the candidate already applied to this job: only the database can tell.
      {
        type: 'application',
        source: 'sp',
        externalId: 'again',
        candidate: { source: 'sp', externalId: 'c0' },
        job: { source: 'sp', externalId: 'job' },
        stage: 'SCREENING',
      },
    ].map((value, i) => ({ line: i + 1, value }));
    const started = Date.now();
    const results = [];
    for await (const batch of s.services.writes.importStream(lines, 500)) results.push(...batch);
    console.log(`import of ${lines.length} lines, one application batch retried per record: ${Date.now() - started} ms`);

    const bad = results.filter((r) => !r.ok);
    expect(bad).toEqual([expect.objectContaining({ line: lines.length, code: 'BAD_USER_INPUT' })]);
    expect(bad[0].message).toMatch(/already exists.*uq_application_candidate_job.*application sp\/again/);
    expect(results.filter((r) => r.ok)).toHaveLength(lines.length - 1);
    const stored = await s.sql(
      `SELECT a.external_id, a.stage FROM application a JOIN job j ON j.id = a.job_id WHERE j.source = 'sp' ORDER BY a.external_id`,
    );
    expect(stored).toHaveLength(n);
    expect(stored.find((a) => a.external_id === 'a0')).toEqual({ external_id: 'a0', stage: 'SOURCED' });
    // One event per landed application, all from one transaction: the retry did not commit record by record.
    const events = await s.sql(
      `SELECT o.txid FROM outbox_event o JOIN application a ON a.id = o.aggregate_id JOIN job j ON j.id = a.job_id WHERE j.source = 'sp'`,
    );
    expect(events).toHaveLength(n);
    expect(new Set(events.map((e) => String(e.txid))).size).toBe(1);
  });
});

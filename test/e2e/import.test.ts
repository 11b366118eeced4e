import { Readable } from 'node:stream';
import { readJsonLines } from '../../src/datahub/json-lines';
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
});

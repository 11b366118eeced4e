import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SCORER, scoreLink, type LinkModel } from '../../src/network/link-scoring';
import type { LinkFeatureValues } from '../../src/adapters/graph/relation-graph';
import { cli, ensureBuilt, serve, type ServeProcess } from '../support/matchhub-process';

/**
 * While `matchhub serve` owns an embedded data directory, the CLI commands a user needs beside it
 * (apikey, import, reindex, linkpred) go through the server's admin socket and print what they print
 * when they run alone; the others still refuse and touch nothing. One server (a real child process)
 * for the whole file; the tests run in order on its data.
 */

/** A deterministic career history: 12 companies, 120 people with five jobs each from 2012 to now. */
function careers(): object[] {
  let state = 12345;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
  const ref = (i: number) => ({ source: 'sock', externalId: `co${i}` });
  const companies = Array.from({ length: 12 }, (_, i) => ({ type: 'company', ...ref(i), name: `Socket Co ${i}` }));
  const people = Array.from({ length: 120 }, (_, i) => {
    // Everyone moves on to the next company in a ring: a candidate's next employer is where their last
    // one sends people, which a model can learn and in-degree (about even here) cannot.
    const first = rand(12);
    const picks = Array.from({ length: 5 }, (_, k) => (first + k) % 12);
    // Moves in both training windows (2018-2020, 2021-2023) and one in the test window (2024-2026) of a cut-off at 2024, window 3.
    const starts = [2012 + rand(2), 2015 + rand(2), 2018 + rand(2), 2022 + rand(2), 2024 + rand(3)].map((y) => `${y}-0${1 + rand(9)}-01`);
    return {
      type: 'candidate',
      source: 'sock',
      externalId: `p${i}`,
      name: `Person ${i}`,
      experiences: picks.map((c, k) => ({
        company: ref(c),
        companyName: `Socket Co ${c}`,
        title: 'Engineer',
        startDate: starts[k],
        ...(k < 4 ? { endDate: starts[k + 1] } : {}),
      })),
    };
  });
  return [...companies, ...people];
}

const THROUGH_SERVER = (pid: number) =>
  new RegExp(`^matchhub: [a-z ]+ went through the running MatchHub server \\(pid ${pid}\\), on \\S+admin\\.sock$`, 'm');

describe('the CLI beside a running server goes through its admin socket', () => {
  let dataDir: string;
  let server: ServeProcess;
  let pid: number;
  let keys: { admin: string; analyst: string };

  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] } };
  };
  const data = async (query: string, variables: Record<string, unknown> = {}) => {
    const { body } = await gql(keys.admin, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  beforeAll(async () => {
    ensureBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-admin-socket-'));
    server = await serve(dataDir);
    pid = server.child.pid!;
    keys = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-api-keys.json'), 'utf8'));
  }, 300_000);
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on a socket in the data directory that only its user may open', () => {
    const stat = fs.statSync(path.join(dataDir, 'admin.sock'));
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('apikey create, list and revoke: the new key works against the server until it is revoked', async () => {
    const created = await cli(dataDir, ['apikey', 'create', '--role', 'analyst', '--name', 'through the socket']);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^mh_\S+\n$/);
    expect(created.stderr).toMatch(THROUGH_SERVER(pid));
    const id = /^key id ([0-9a-f-]{36}) \(apikey revoke [0-9a-f]{8} revokes it\)$/m.exec(created.stderr)![1];
    const key = created.stdout.trim();
    expect(await gql(key, '{ viewer { role } }')).toEqual({
      status: 200,
      body: { data: { viewer: { role: 'analyst' } } },
    });

    const listed = await cli(dataDir, ['apikey', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stderr).toMatch(THROUGH_SERVER(pid));
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id\trole\tname\tcreated\trevoked');
    expect(lines.slice(1).map((l) => l.split('\t').slice(1, 3))).toEqual([
      ['admin', 'demo admin'],
      ['analyst', 'demo analyst'],
      ['analyst', 'through the socket'],
    ]);
    expect(lines[3]).toMatch(new RegExp(`^${id}\\tanalyst\\tthrough the socket\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t-$`));

    const revoked = await cli(dataDir, ['apikey', 'revoke', id.slice(0, 8)]);
    expect(revoked).toMatchObject({ status: 0, stdout: `revoked: ${id} (through the socket)\n` });
    expect((await gql(key, '{ viewer { role } }')).status).toBe(401);
    expect(await cli(dataDir, ['apikey', 'revoke', id])).toMatchObject({
      status: 0,
      stdout: `already revoked: ${id} (through the socket)\n`,
    });

    // The server's own errors come back as the CLI's: one line, exit 1.
    const unknown = await cli(dataDir, ['apikey', 'revoke', 'ffffffff']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^matchhub: no API key id starts with ffffffff \(see apikey list\)$/m);
  }, 300_000);

  it('import streams a file to the server in batches: good lines land, a bad one is reported by its line number', async () => {
    const records = careers();
    const lines = records.map((r) => JSON.stringify(r));
    // Line 70 is a candidate without a name.
    lines.splice(69, 0, JSON.stringify({ type: 'candidate', source: 'sock', externalId: 'nameless' }));
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}-careers.jsonl`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    try {
      const run = await cli(dataDir, ['import', file, '--batch', '25']);
      expect(run.stdout).toBe(`${records.length} written, 1 failed\n`);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(THROUGH_SERVER(pid));
      expect(run.stderr.split('\n').filter((l) => l.startsWith('line '))).toEqual([
        expect.stringMatching(/^line 70: BAD_USER_INPUT: .*name/),
      ]);
    } finally {
      fs.rmSync(file, { force: true });
    }
    const piped = await cli(dataDir, ['import', '-'], '{"type":"company","source":"sock","externalId":"stdin","name":"Piped Co"}\n');
    expect(piped).toMatchObject({ status: 0, stdout: '1 written, 0 failed\n' });

    const counts = await data('{ companies { totalCount } candidates { totalCount } }');
    expect(counts).toEqual({ companies: { totalCount: 13 }, candidates: { totalCount: 120 } });
  }, 300_000);

  it('reindex queues every record on the server and follows it until the projections hold every row', async () => {
    const run = await cli(dataDir, ['reindex']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(THROUGH_SERVER(pid));
    const [, queued] = /^queued (\d+) records\nreindex: done\n$/.exec(run.stdout)!;
    expect(Number(queued)).toBeGreaterThan(1000 + 133); // the O*NET occupations and the imported records
    const { syncStatus, syncCheck } = await data(
      '{ syncStatus { projection lag parked } syncCheck { projection of table inTable inProjection } }',
    );
    for (const s of syncStatus) expect(s).toMatchObject({ lag: 0, parked: 0 });
    expect(syncCheck.find((c: { table: string }) => c.table === 'candidate')).toMatchObject({ inTable: 120 });
    for (const c of syncCheck) expect(c.inProjection).toBe(c.inTable);
  }, 300_000);

  it('linkpred train goes through the server, which scores predictLinks with the new model at once', async () => {
    const { candidates } = await data('{ candidates(first: 1, sort: { field: NAME }) { edges { node { id name } } } }');
    const source = candidates.edges[0].node.id;
    // Every feature the model may use, so the test can score them itself.
    const features =
      'commonNeighbours adamicAdar resourceAllocation preferentialAttachment jaccard recencyWeightedFlow targetInDegree targetRecentInDegree sameIndustry embeddingSimilarity';
    const predict = async () =>
      (
        await data(
          `query($id: ID!) { predictLinks(nodeId: $id, kind: CANDIDATE_COMPANY, first: 5) { targetId score features { ${features} } scoredBy { name modelVersion trainedAt } } }`,
          {
            id: source,
          },
        )
      ).predictLinks as {
        targetId: string;
        score: number;
        features: LinkFeatureValues;
        scoredBy: { name: string; modelVersion: number | null; trainedAt: string | null };
      }[];

    const before = await predict();
    expect(before.length).toBeGreaterThan(0);
    for (const p of before) expect(p.score).toBeCloseTo(scoreLink('CANDIDATE_COMPANY', p.features, undefined), 9);
    for (const p of before) expect(p.scoredBy).toEqual({ name: DEFAULT_SCORER, modelVersion: null, trainedAt: null });

    // Every kind by default: this data has no jobs, so the training fails in one line and stores nothing.
    const refused = await cli(dataDir, ['linkpred', 'train', '--cutoff', '2024', '--window', '3']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^matchhub: Too few examples to train link prediction \(nothing was stored\): .*kinds\.CANDIDATE_JOB: 0 new links formed in 2018-2020/m,
    );
    expect(fs.existsSync(path.join(dataDir, 'linkpred'))).toBe(false);

    const run = await cli(dataDir, ['linkpred', 'train', '--cutoff', '2024', '--window', '3', '--kinds', 'CANDIDATE_COMPANY']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(THROUGH_SERVER(pid));
    const modelFile = path.join(dataDir, 'linkpred', 'linkpred-v0001.json');
    expect(run.stdout).toMatch(
      new RegExp(
        `^model v1 written to ${modelFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+\\.\\d s; cut-off 2024 \\(given\\), window 3\n`,
      ),
    );
    const [, examples] =
      /^CANDIDATE_COMPANY: (\d+) examples; model stored \(Hits@50 on the validation window: learned \d\.\d{3}, in-degree \d\.\d{3}\)$/m.exec(
        run.stdout,
      )!;
    expect(Number(examples)).toBeGreaterThanOrEqual(100);
    const model = JSON.parse(fs.readFileSync(modelFile, 'utf8')) as LinkModel;
    expect(model.kinds.CANDIDATE_COMPANY).toBeDefined();

    // No restart, no minute's wait: the next request scores with the model.
    const after = await predict();
    expect(after.length).toBeGreaterThan(0);
    // Equal to 6 places: another CPU may sum the same terms to a different last bit.
    for (const p of after) expect(p.score).toBeCloseTo(scoreLink('CANDIDATE_COMPANY', p.features, model), 6);
    for (const p of after) expect(p.scoredBy).toEqual({ name: 'linkpred-v1', modelVersion: 1, trainedAt: model.createdAt });
    const heuristic = after.map((p) => scoreLink('CANDIDATE_COMPANY', p.features, undefined));
    expect(after.some((p, i) => Math.abs(p.score - heuristic[i]) > 1e-6)).toBe(true);
    // Nobody here returns to a former employer: no REPEAT model, so "which former employer again" keeps the heuristic.
    expect(run.stdout).toMatch(
      /^CANDIDATE_COMPANY REPEAT: 0 examples; NOT stored, mode REPEAT keeps the default heuristic \(0 repeat links formed in 2018-2020, at least 50 needed/m,
    );
    expect(model.repeatKinds).toEqual({});
    const repeat = (
      await data(
        `query($id: ID!) { predictLinks(nodeId: $id, kind: CANDIDATE_COMPANY, mode: REPEAT, first: 5) { targetId scoredBy { name } } }`,
        {
          id: source,
        },
      )
    ).predictLinks as { targetId: string; scoredBy: { name: string } }[];
    expect(repeat.length).toBeGreaterThan(0);
    for (const p of repeat) expect(p.scoredBy.name).toBe(DEFAULT_SCORER);

    const evaluated = await cli(dataDir, ['linkpred', 'eval', '--cutoff', '2024', '--window', '3', '--kinds', 'CANDIDATE_COMPANY']);
    expect(evaluated.status).toBe(0);
    expect(evaluated.stdout).toMatch(/^model v1; cut-off 2024; \d+\.\d s\nkind +scorer +AUC/);
    expect(evaluated.stdout).toMatch(/^CANDIDATE_COMPANY +learned +\d\.\d{3}/m);
  }, 300_000);

  it('trainLinkPredictor over HTTP is for admins, and returns the new model with its evaluation on request', async () => {
    const mutation = (kinds: string) => `mutation { trainLinkPredictor(windowYears: 3${kinds}) {
      version cutoffYear cutoffFrom windowYears featuresAsOf kinds { kind examples trained validationHits50 inDegreeHits50 }
      evaluation { modelVersion scores { kind scorer auc } } } }`;
    const refused = await gql(keys.analyst, mutation(', kinds: [CANDIDATE_COMPANY]'));
    expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const tooFew = await gql(keys.admin, mutation(''));
    expect(tooFew.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: expect.arrayContaining([{ path: 'kinds.CANDIDATE_JOB', message: expect.stringMatching(/^0 new links formed in/) }]),
    });
    expect(fs.existsSync(path.join(dataDir, 'linkpred', 'linkpred-v0002.json'))).toBe(false);

    // No cut-off given: the latest year with moves (2026) + 1 - 3.
    const { trainLinkPredictor: t } = await data(mutation(', kinds: [CANDIDATE_COMPANY]'));
    expect(t).toMatchObject({ version: 2, cutoffYear: 2024, windowYears: 3, featuresAsOf: 2021 });
    expect(t.cutoffFrom).toMatch(/latest year with moves 2026/);
    expect(t.kinds).toEqual([
      {
        kind: 'CANDIDATE_COMPANY',
        examples: expect.any(Number),
        trained: true,
        validationHits50: expect.any(Number),
        inDegreeHits50: expect.any(Number),
      },
    ]);
    expect(t.evaluation.modelVersion).toBe(2);
    expect(t.evaluation.scores).toContainEqual({ kind: 'CANDIDATE_COMPANY', scorer: 'learned', auc: expect.any(Number) });
  }, 300_000);

  it('a command that cannot go through the server still refuses in one line with exit code 2 and touches nothing', async () => {
    const lock = fs.readFileSync(path.join(dataDir, 'matchhub.lock'), 'utf8');
    const entries = fs.readdirSync(dataDir).sort();
    const run = await cli(dataDir, ['migrate']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^matchhub: the data directory \\S+ is in use by the MatchHub server \\(pid ${pid}\\)\\. Stop it first; `),
      ),
    ]);
    expect(fs.readFileSync(path.join(dataDir, 'matchhub.lock'), 'utf8')).toBe(lock);
    expect(fs.readdirSync(dataDir).sort()).toEqual(entries);
  }, 300_000);

  it('SIGTERM closes the socket and removes it with the lock; then the CLI runs on its own again', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'admin.sock'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'matchhub.lock'))).toBe(false);

    const listed = await cli(dataDir, ['apikey', 'list']);
    expect(listed).toMatchObject({ status: 0, stderr: '' });
    expect(listed.stdout).toMatch(/\tanalyst\tthrough the socket\t\S+\t\d{4}-\d\d-\d\dT[\d:.]+Z\n/);
  }, 300_000);
});

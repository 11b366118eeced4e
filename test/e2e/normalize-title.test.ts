import { TitleLabelProjection } from '../../src/sync/title-label-projection';
import { codes, startTestServer, type TestServer } from '../support/test-server';

const NORMALIZE = `query($title: String!, $alpha: Float, $fusion: FusionType, $taxonomy: Taxonomy, $first: Int, $rerank: Boolean) {
  normalizeTitle(title: $title, alpha: $alpha, fusion: $fusion, taxonomy: $taxonomy, first: $first, rerank: $rerank) {
    score vectorScore explanation { matchedVectors { name } }
    occupation { uuid code title alternateTitles source } } }`;

const JOBS = `query($q: String!, $filter: SearchFilterInput, $fusion: FusionType) {
  searchJobs(query: $q, filter: $filter, fusion: $fusion, first: 50) { edges { node { job { uuid source externalId } } } } }`;

/**
 * normalizeTitle and search filters as a client sees them. The test server embeds no labels by itself
 * (SEARCH_TITLE_LABELS=false: 46,000 of them take minutes); the label test projects a handful of
 * occupations' labels, as the `titles` projection does for all of them.
 */
describe('normalizeTitle and search filters (embedded)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 20 });
    await s.services.projector.drain(900_000);
  }, 1_000_000);
  afterAll(() => s?.close());

  it('before the label pass has embedded any label, finds an occupation by an alternate title and by its own title', async () => {
    expect(await s.services.searchIndex.count('occupationLabel')).toBe(0);
    // Registered Nurses: "Charge Nurse" is in its alternate titles (keyword text only until labels have vectors).
    const byAlternate = await s.gql(NORMALIZE, { title: 'Charge Nurse' });
    expect(byAlternate.body.errors).toBeUndefined();
    const top = byAlternate.body.data.normalizeTitle;
    expect(top.map((m: any) => m.occupation.code)).toContain('29-1141.00');
    for (const m of top) expect(m.explanation.matchedVectors.map((v: any) => v.name)).not.toContain('alternateTitle');
    const byTitle = await s.gql(NORMALIZE, { title: 'registered nurse' });
    expect(byTitle.body.data.normalizeTitle[0].occupation.code).toBe('29-1141.00');
  }, 60_000);

  it('finds an occupation by an alternate title once its labels have vectors, and says the label matched', async () => {
    // Registered Nurses: "Charge Nurse" is one of its alternate titles, not its title.
    const [nurse] = await s.sql(`SELECT id, code FROM occupation WHERE code = '29-1141.00'`);
    const others = await s.sql(`SELECT id FROM occupation WHERE source = 'onet' AND code LIKE '29-%' ORDER BY code LIMIT 4`);
    const labels = new TitleLabelProjection(s.services.db.dataSource, s.services.searchIndex, s.services.embedder);
    await labels.apply(
      [nurse, ...others].map((o, i) => ({ seq: String(i + 1), type: 'occupation' as const, id: o.id, kind: 'UPSERT' as const })),
    );

    const r = await s.gql(NORMALIZE, { title: 'Charge Nurse', alpha: 1, first: 3 });
    expect(r.body.errors).toBeUndefined();
    const top = r.body.data.normalizeTitle;
    const hit = top.find((m: any) => m.occupation.code === nurse.code);
    expect(hit).toBeDefined();
    expect(hit.occupation.title).not.toBe('Charge Nurse');
    expect(hit.occupation.alternateTitles).toContain('Charge Nurse');
    expect(hit.explanation.matchedVectors[0].name).toBe('alternateTitle');
    const scores = top.map((m: any) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  }, 120_000);

  it('answers with O*NET occupations by default, with either fusion, keywords only too', async () => {
    for (const vars of [{}, { fusion: 'RANKED', alpha: 0.5 }, { alpha: 0 }]) {
      const r = await s.gql(NORMALIZE, { title: 'Software Developer', ...vars });
      expect(r.body.errors).toBeUndefined();
      const codesFound = r.body.data.normalizeTitle.map((m: any) => m.occupation.code);
      expect(codesFound).toContain('15-1252.00');
      const scores = r.body.data.normalizeTitle.map((m: any) => m.score);
      expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
      for (const m of r.body.data.normalizeTitle) expect(m.occupation.source).toBe('onet');
    }
  }, 60_000);

  it('taxonomy ESCO answers with ESCO occupations, each linked to an O*NET occupation and back', async () => {
    const r = await s.gql(NORMALIZE.replace('source }', 'source linkedCodes }'), { title: 'software developer', taxonomy: 'ESCO' });
    expect(r.body.errors).toBeUndefined();
    const top = r.body.data.normalizeTitle;
    expect(top.length).toBeGreaterThan(0);
    for (const m of top) expect(m.occupation.source).toBe('esco');
    const developer = top.find((m: any) => m.occupation.title === 'software developer').occupation;
    expect(developer.linkedCodes).toEqual([expect.stringMatching(/^15-\d{4}\.\d\d$/)]);
    const [onet] = await s.sql(`SELECT linked_codes FROM occupation WHERE source = 'onet' AND code = $1`, [developer.linkedCodes[0]]);
    expect(onet.linked_codes).toContain(developer.code);
  }, 60_000);

  it('refuses an alpha outside 0..1 and an empty title with BAD_USER_INPUT', async () => {
    expect(codes(await s.gql(NORMALIZE, { title: 'Nurse', alpha: 1.5 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.gql(NORMALIZE, { title: '  ' }))).toEqual(['BAD_USER_INPUT']);
    const bad = await s.gql(`{ searchJobs(query: "engineer", alpha: -1) { edges { node { score } } } }`);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  }, 60_000);

  it('restricts a search to one import by source and externalId prefix', async () => {
    const create = (externalId: string) =>
      s.gql(
        `mutation($x: String!) { createJob(input: { source: "ats-import", externalId: $x, title: "Zephyr platform engineer",
          company: { source: "demo", externalId: "comp-00001" } }) { uuid } }`,
        { x: externalId },
      );
    const made = [await create('req-eu-1'), await create('req-us-2')];
    for (const m of made) expect(m.body.errors).toBeUndefined();
    await s.services.projector.drain(60_000);

    const all = await s.gql(JOBS, { q: 'platform engineer' });
    expect(all.body.data.searchJobs.edges.some((e: any) => e.node.job.source === 'demo')).toBe(true);

    const onlyImport = await s.gql(JOBS, { q: 'platform engineer', filter: { source: 'ats-import' } });
    const found = onlyImport.body.data.searchJobs.edges.map((e: any) => e.node.job);
    expect(new Set(found.map((j: any) => j.uuid))).toEqual(new Set(made.map((m) => m.body.data.createJob.uuid)));

    const prefixed = await s.gql(JOBS, {
      q: 'platform engineer',
      filter: { source: 'ats-import', externalIdPrefix: 'req-eu' },
      fusion: 'RANKED',
    });
    expect(prefixed.body.data.searchJobs.edges.map((e: any) => e.node.job.externalId)).toEqual(['req-eu-1']);
  }, 120_000);
});

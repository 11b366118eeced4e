import neo4j from 'neo4j-driver';
import { LINK_KINDS, LINK_KIND_SPECS } from '../../../src/adapters/graph/relation-graph';
import * as cypher from '../../../src/adapters/graph/neo4j-cypher';

const HOSTILE = `x'}) DETACH DELETE n //`;
const POOL = {
  pool: 100,
  asOfYear: 2025,
  nowMonth: 24000,
  mode: 'NEW' as const,
  factsAsOf: null,
  refDate: '2025-06-15',
  moveYearLimit: Infinity,
  recentFrom: 2022,
};
/** asOf travels as a parameter too, whatever it holds. */
const HOSTILE_POOL = { ...POOL, factsAsOf: HOSTILE, refDate: HOSTILE };
const POPULAR_KINDS = LINK_KINDS.filter((k) => LINK_KIND_SPECS[k].popularity !== null);

describe('Cypher builders', () => {
  it('pass every value as a parameter, never in the text', () => {
    const statements = [
      cypher.upsertNodes('Candidate', [{ uid: HOSTILE, props: { name: HOSTILE } }]),
      cypher.createLinks('WORKED_AT', 'Company', HOSTILE, [
        { from: HOSTILE, to: HOSTILE, toId: HOSTILE, toName: HOSTILE, props: { title: HOSTILE } },
      ]),
      cypher.expandFrontier([HOSTILE], ['WORKED_AT'], [HOSTILE], 5),
      cypher.talentFlow(HOSTILE, 'OUT', 2000, 10),
      cypher.colleaguesPage(HOSTILE, 24000, 0, 10),
      cypher.alumniPage(HOSTILE, HOSTILE, 10),
      cypher.warmLinks([HOSTILE], 24000, 50, 5000),
      cypher.currentEmployees(HOSTILE, [HOSTILE], 24000),
      cypher.clearRelationshipsChunk(HOSTILE, 100),
      cypher.clearNodesChunk(HOSTILE, 100),
      ...LINK_KINDS.map((k) => cypher.predictLinks(k, HOSTILE, HOSTILE_POOL)),
      ...POPULAR_KINDS.map((k) => cypher.targetTableRows(k, HOSTILE, HOSTILE_POOL)),
      ...POPULAR_KINDS.map((k) => cypher.sourceLinks(k, HOSTILE, HOSTILE_POOL)),
      ...LINK_KINDS.map((k) => cypher.linkRows(k, HOSTILE, HOSTILE, [HOSTILE], HOSTILE_POOL)),
      ...LINK_KINDS.map((k) => cypher.linkRows(k, HOSTILE, HOSTILE, [HOSTILE], HOSTILE_POOL, true)),
      ...LINK_KINDS.map((k) => cypher.pairFeatures(k, [{ i: 0, u: HOSTILE, v: HOSTILE }], 2025, HOSTILE_POOL)),
    ];
    for (const s of statements) {
      expect(s.text).not.toContain(HOSTILE);
      expect(JSON.stringify(s.params)).toContain('DETACH DELETE n');
    }
  });

  it('sends LIMIT and SKIP as Cypher integers', () => {
    const s = cypher.colleaguesPage('g|a', 24000, 20, 10);
    expect(neo4j.isInt(s.params.offset)).toBe(true);
    expect(neo4j.isInt(s.params.first)).toBe(true);
    expect(neo4j.isInt(cypher.predictLinks('CANDIDATE_JOB', 'g|a', POOL).params.pool)).toBe(true);
    expect(neo4j.isInt(cypher.linkRows('CANDIDATE_JOB', 'g|a', 'g', [], POOL).params.pool)).toBe(true);
  });

  it('takes labels and relationship types only from the fixed tables', () => {
    expect(() => cypher.upsertNodes('Candidate) DETACH DELETE (n' as never, [])).toThrow(/not a node label/);
    expect(() => cypher.dropOwnedRelationships(['WORKED_AT]->() DELETE r //' as never], [])).toThrow(/not a relationship type/);
  });

  it('builds each kind over its own relationship types and target label', () => {
    for (const kind of LINK_KINDS) {
      const spec = LINK_KIND_SPECS[kind];
      const text = cypher.predictLinks(kind, 'g|a', POOL).text;
      expect(text).toContain(`[r:${spec.via.join('|')}]`);
      expect(text).toContain(`(v:${spec.target})`);
    }
    expect(cypher.predictLinks('COMPANY_COMPANY', 'g|a', POOL).text).toContain('UNION ALL');
    expect(cypher.predictLinks('CANDIDATE_JOB', 'g|a', POOL).text).toContain("= 'CLOSED'");
    expect(cypher.targetTableRows('CANDIDATE_JOB', 'g', POOL).text).toContain("= 'CLOSED'");
    expect(cypher.targetTableRows('COMPANY_COMPANY', 'g', POOL).text).toContain('v:Company');
    expect(() => cypher.targetTableRows('CANDIDATE_CANDIDATE', 'g', POOL)).toThrow(/no popularity/);
    expect(() => cypher.sourceLinks('CANDIDATE_CANDIDATE', 'g|a', POOL)).toThrow(/no table-driven sources/);
  });

  it('filters every relationship of a link statement by the asOf view, as parameters', () => {
    const s = cypher.predictLinks('CANDIDATE_COMPANY', 'g|a', { ...POOL, factsAsOf: '2020-01-01', moveYearLimit: 2020 });
    expect(s.params).toMatchObject({ factsAsOf: '2020-01-01', moveYearLimit: 2020 });
    expect(s.text).toContain('.from < $factsAsOf');
    expect(s.text).toContain('.year < $moveYearLimit');
    expect(cypher.predictLinks('COMPANY_COMPANY', 'g|a', POOL).params.moveYearLimit).toBeNull();
    expect(cypher.visible('r', ['HAS_SKILL'])).toBe('true');
  });

  it('namespaces node keys by graph name', () => {
    expect(cypher.uidOf('it_a', 'cand-1')).toBe('it_a|cand-1');
    expect(cypher.countGraph('it_a').params).toEqual({ g: 'it_a' });
  });

  it('counts nodes per label in one graph, stubs and the shared GNode label left out, the graph name a parameter', () => {
    const s = cypher.countByLabel("x' OR 1=1");
    expect(s.params).toEqual({ g: "x' OR 1=1" });
    expect(s.text).not.toContain('OR 1=1');
    expect(s.text).toContain("l <> 'GNode'");
    expect(s.text).toContain('n.stub');
  });
});

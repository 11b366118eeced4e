// The explorer's graph model (explorer/src/graph-model.ts): what the relation-network view merges on
// expand and what its relation-type and year filters keep.
import Graph from 'graphology';
import { filtered, mergeNeighbourhood, RELATION_TYPES, yearsOf, type Neighbourhood } from '../../explorer/src/graph-model';

const hood = (nodes: string[], edges: [string, string, string, Record<string, unknown>][]): Neighbourhood => ({
  nodes: nodes.map((id) => ({ id, label: id.startsWith('co') ? 'Company' : 'Candidate', props: { name: id } })),
  edges: edges.map(([from, to, type, props]) => ({ from, to, type, props })),
  truncated: false,
});

describe('explorer graph model', () => {
  it('reads the years a stint, a move or a school spans, and none from month indexes', () => {
    expect(yearsOf({ from: '2015-03-01', to: '2019-06-30', fromMonth: 24183, toMonth: 24233 })).toEqual([2015, 2019]);
    expect(yearsOf({ from: '2021-01-01', fromMonth: 24253 })).toEqual([2021, 9999]);
    expect(yearsOf({ year: 2020, count: 3 })).toEqual([2020, 2020]);
    expect(yearsOf({ degree: 'BSc', startYear: 2008, endYear: 2012 })).toEqual([2008, 2012]);
    expect(yearsOf({ title: 'Engineer' })).toBeUndefined();
  });

  it('adds only what is new on expand, placing new nodes around the expanded one', () => {
    const g = new Graph({ type: 'directed', multi: true });
    const ord = () => 0.5;
    expect(mergeNeighbourhood(g, hood(['a', 'co1'], [['a', 'co1', 'WORKED_AT', { from: '2015-01-01' }]]), undefined, ord)).toBe(2);
    g.setNodeAttribute('co1', 'x', 100);
    g.setNodeAttribute('co1', 'y', 100);
    const added = mergeNeighbourhood(
      g,
      hood(
        ['co1', 'a', 'b'],
        [
          ['a', 'co1', 'WORKED_AT', { from: '2015-01-01' }],
          ['b', 'co1', 'WORKED_AT', { from: '2018-01-01' }],
        ],
      ),
      'co1',
      ord,
    );
    expect(added).toBe(1);
    expect(g.order).toBe(3);
    expect(g.size).toBe(2);
    expect(Math.hypot((g.getNodeAttribute('b', 'x') as number) - 100, (g.getNodeAttribute('b', 'y') as number) - 100)).toBeLessThan(6);
  });

  it('keeps edges of the chosen types within the years, the nodes they touch and the centre', () => {
    const g = new Graph({ type: 'directed', multi: true });
    mergeNeighbourhood(
      g,
      hood(
        ['a', 'b', 'co1', 'co2', 'lonely'],
        [
          ['a', 'co1', 'WORKED_AT', { from: '2010-01-01', to: '2012-12-31' }],
          ['b', 'co1', 'WORKED_AT', { from: '2019-01-01' }],
          ['co1', 'co2', 'MOVED_TO', { year: 2016, count: 1 }],
        ],
      ),
    );
    const all = filtered(g, { types: new Set(RELATION_TYPES) }, ['lonely']);
    expect(all.order).toBe(5);
    expect(all.size).toBe(3);
    const since2015 = filtered(g, { types: new Set(RELATION_TYPES), fromYear: 2015 }, []);
    expect(since2015.nodes().sort()).toEqual(['b', 'co1', 'co2']);
    const movesOnly = filtered(g, { types: new Set(['MOVED_TO']) }, []);
    expect(movesOnly.nodes().sort()).toEqual(['co1', 'co2']);
    const until2011 = filtered(g, { types: new Set(RELATION_TYPES), toYear: 2011 }, []);
    expect(until2011.nodes().sort()).toEqual(['a', 'co1']);
  });
});

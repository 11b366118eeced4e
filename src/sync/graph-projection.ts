import type { DataSource } from 'typeorm';
import type { RelationGraph } from '../adapters/graph/relation-graph';
import { GraphFactsReader } from '../network/graph-facts';
import type { Projection, ProjectionEvent } from './projection';

/**
 * Keeps the relation graph a projection of the data hub. Applications and placements are facts of
 * their candidate, so their events re-project the candidate. An in-memory graph is `volatile`: the
 * projector builds it from the tables at every start.
 */
export class GraphProjection implements Projection {
  readonly name = 'graph';
  /**
   * Stored graphs built before school ids were RFC 4122 v5 (an earlier hash of the name) hold schools
   * under other ids; a changed version makes the projector clear the graph and rebuild it from the tables.
   */
  readonly version = 'school-id:uuid-v5';
  private readonly reader: GraphFactsReader;

  constructor(
    ds: DataSource,
    private readonly graph: RelationGraph,
    readonly volatile: boolean,
  ) {
    this.reader = new GraphFactsReader(ds);
  }

  async apply(events: ProjectionEvent[]): Promise<void> {
    const byType = new Map<string, Set<string>>();
    const add = (type: string, id: string) => {
      if (!byType.has(type)) byType.set(type, new Set());
      byType.get(type)!.add(id);
    };
    const deleted: string[] = [];
    for (const e of events) {
      if (e.kind === 'DELETE' && e.type !== 'application' && e.type !== 'placement') deleted.push(e.id);
      else add(e.type, e.id);
    }
    for (const t of ['application', 'placement'] as const) {
      const ids = [...(byType.get(t) ?? [])];
      if (!ids.length) continue;
      for (const candidateId of await this.reader.candidatesOf(t, ids)) add('candidate', candidateId);
    }
    const facts = await this.reader.facts(byType);
    const present = new Set([
      ...(facts.candidates ?? []).map((c) => c.id),
      ...(facts.jobs ?? []).map((j) => j.id),
      ...(facts.companies ?? []).map((c) => c.id),
      ...(facts.skills ?? []).map((s) => s.id),
      ...(facts.consultants ?? []).map((c) => c.id),
      ...(facts.occupations ?? []).map((o) => o.id),
    ]);
    // An UPSERT of a record that is gone (deleted since) removes it, as a DELETE would.
    for (const type of ['candidate', 'job', 'company', 'skill', 'consultant', 'occupation']) {
      for (const id of byType.get(type) ?? []) if (!present.has(id)) deleted.push(id);
    }
    if (present.size) await this.graph.upsert(facts);
    if (deleted.length) await this.graph.delete(deleted);
  }

  clear(): Promise<void> {
    return this.graph.clear();
  }
}

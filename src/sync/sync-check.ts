import type { NodeLabel, RelationGraph } from '../adapters/graph/relation-graph';
import type { SearchIndex } from '../adapters/search/search-index';
import type { SearchCollection } from '../adapters/search/search-schema';
import { AggregateTablesRepository, type AggregateType } from '../hub/repositories/aggregate-tables.repository';
import { MatchScoreRepository } from '../hub/repositories/match-score.repository';
import type { Queryable } from '../hub/repositories/queryable';

export interface SyncCount {
  projection: 'search' | 'graph' | 'scores';
  /** The search collection or graph label. */
  of: string;
  table: string;
  inTable: number;
  inProjection: number;
}

/** Tables that a projection holds one document or node for, row for row. */
const SEARCH: [SearchCollection, AggregateType][] = [
  ['candidate', 'candidate'],
  ['job', 'job'],
  ['occupation', 'occupation'],
];
const GRAPH: [NodeLabel, AggregateType][] = [
  ['Candidate', 'candidate'],
  ['Company', 'company'],
  ['Job', 'job'],
  ['Consultant', 'consultant'],
];

/**
 * What `syncStatus` claims, checked: the rows of each projected table against the documents and
 * nodes the projections hold. Equal counts after a drain (lag 0) mean nothing was skipped or left
 * behind; during writes they differ by what is in flight. Counts, not contents: one query per table.
 */
export async function checkProjections(db: Queryable, index: SearchIndex, graph: RelationGraph): Promise<SyncCount[]> {
  const tables = new AggregateTablesRepository(db);
  const rows = new Map<string, number>();
  for (const t of new Set([...SEARCH, ...GRAPH].map(([, t]) => t))) rows.set(t, await tables.count(t));
  const out: SyncCount[] = [];
  for (const [collection, table] of SEARCH) {
    out.push({ projection: 'search', of: collection, table, inTable: rows.get(table)!, inProjection: await index.count(collection) });
  }
  const labels = await graph.countByLabel();
  for (const [label, table] of GRAPH) {
    out.push({ projection: 'graph', of: label, table, inTable: rows.get(table)!, inProjection: labels[label] ?? 0 });
  }
  // Every open job has scores once the projection has caught up (while any candidate exists).
  const scored = await new MatchScoreRepository(db).coverage();
  out.push({ projection: 'scores', of: 'open jobs', table: 'job', inTable: scored.open, inProjection: scored.scored });
  return out;
}

import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Embedder } from '../adapters/embedding/embedder';
import type { SearchDocument, SearchIndex } from '../adapters/search/search-index';
import { SEARCH_SCHEMA_VERSION } from '../adapters/search/search-schema';
import { OccupationRepository } from '../hub/repositories/occupation.repository';
import type { OccupationRow } from '../hub/repositories/profile-rows';
import { LABEL_PASS_ONLY_SOURCES } from '../matching/search-documents';
import type { Projection, ProjectionEvent } from './projection';

/** Labels embedded per embedder call, so a query or another projection's batch gets the model in between. */
const EMBED_CHUNK = 256;

/**
 * The labels of each occupation (every alternate title; every ESCO alternative label), one search
 * document and one vector each, in the `occupationLabel` collection: title normalisation ranks an
 * occupation by its best label instead of by its title alone. The title itself is not repeated here
 * (the `occupation` collection holds its vector, and normalizeTitle takes the better of the two),
 * except for sources whose title vector is left to this pass (LABEL_PASS_ONLY_SOURCES: ESCO).
 *
 * Its own projection (`titles` in syncStatus) because it is bulk work: about 46,000 O*NET labels take
 * minutes to embed on two cores. It waits while the search projection has work (`after`) and takes
 * small batches, so the records a user is waiting for are indexed first; until it has caught up,
 * normalizeTitle ranks the occupations it has not reached by their title vector.
 */
export class TitleLabelProjection implements Projection {
  readonly name = 'titles';
  readonly after = ['search'];
  readonly batchSize = 20;

  private readonly occupations: OccupationRepository;

  constructor(
    ds: DataSource,
    private readonly index: SearchIndex,
    private readonly embedder: Embedder,
  ) {
    this.occupations = new OccupationRepository(ds);
  }

  get version(): string {
    return `labels:1;embedding:${this.embedder.modelId}/${this.embedder.dimensions};schema:${SEARCH_SCHEMA_VERSION}`;
  }

  async apply(events: ProjectionEvent[]): Promise<void> {
    const ids = [...new Set(events.filter((e) => e.type === 'occupation').map((e) => e.id))];
    if (ids.length === 0) return;
    // An occupation's labels are replaced as a whole: the old ones are not known by id.
    await this.index.deleteWhere('occupationLabel', { op: 'in', field: 'occupationId', values: ids });
    await indexOccupationLabels(this.index, this.embedder, (await this.occupations.profiles(ids)).flatMap(occupationLabels));
  }

  async clear(): Promise<void> {
    await this.index.clear('occupationLabel');
  }
}

/**
 * Embeds labels as passages, `chunk` per embedder call, and upserts them into `occupationLabel`, one document
 * each (the projection's writes; the label evaluation and the ESCO build fill their indexes the same way).
 */
export async function indexOccupationLabels(
  index: SearchIndex,
  embedder: Embedder,
  labels: readonly OccupationLabel[],
  options: { chunk?: number; onChunk?: (done: number) => void } = {},
): Promise<void> {
  const size = options.chunk ?? EMBED_CHUNK;
  for (let i = 0; i < labels.length; i += size) {
    const chunk = labels.slice(i, i + size);
    const vectors = await embedder.embed(
      chunk.map((l) => l.label),
      { kind: 'passage' },
    );
    await index.upsert(
      'occupationLabel',
      chunk.map(
        (l, j): SearchDocument => ({
          id: l.id,
          text: { label: l.label },
          vectors: { label: vectors[j] },
          properties: { occupationId: l.occupation.id, occupationCodes: [l.occupation.code], source: l.occupation.source },
        }),
      ),
    );
    options.onChunk?.(Math.min(i + size, labels.length));
  }
}

export interface OccupationLabel {
  /** Stable per occupation and label (case-insensitive), so re-applying replaces, never duplicates. */
  id: string;
  label: string;
  occupation: Pick<OccupationRow, 'id' | 'code' | 'source'>;
}

/**
 * An occupation's labels besides its title: whitespace-collapsed, each once case-insensitively. Pure.
 * Embedded as passages, like the title vector the `occupation` collection holds, so the two compare.
 */
export function occupationLabels(o: Pick<OccupationRow, 'id' | 'code' | 'source' | 'title' | 'alternate_titles'>): OccupationLabel[] {
  const withTitle = LABEL_PASS_ONLY_SOURCES.has(o.source);
  const seen = new Set(withTitle ? [] : [clean(o.title).toLowerCase()]);
  const out: OccupationLabel[] = [];
  for (const raw of withTitle ? [o.title, ...o.alternate_titles] : o.alternate_titles) {
    const label = clean(raw);
    const key = label.toLowerCase();
    if (label === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ id: labelId(o.id, key), label, occupation: { id: o.id, code: o.code, source: o.source } });
  }
  return out;
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A name-based UUID (version 5 layout) of occupation id and label. */
function labelId(occupationId: string, key: string): string {
  const h = createHash('sha1').update(`${occupationId}\n${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

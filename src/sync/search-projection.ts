import type { DataSource } from 'typeorm';
import type { Embedder } from '../adapters/embedding/embedder';
import { CandidateRepository } from '../hub/repositories/candidate.repository';
import { SkillRepository } from '../hub/repositories/skill.repository';
import { SearchDocuments } from '../matching/search-documents';
import type { SearchIndex } from '../adapters/search/search-index';
import { SEARCH_SCHEMA_VERSION, type SearchCollection } from '../adapters/search/search-schema';
import type { Projection, ProjectionEvent } from './projection';

const COLLECTION: Partial<Record<string, SearchCollection>> = { candidate: 'candidate', job: 'job', occupation: 'occupation' };

/** Keeps the search index a projection of the data hub: reads current rows, embeds, upserts. */
export class SearchProjection implements Projection {
  readonly name = 'search';

  private readonly documents: SearchDocuments;
  private readonly candidates: CandidateRepository;
  private readonly skills: SkillRepository;

  constructor(
    ds: DataSource,
    private readonly index: SearchIndex,
    private readonly embedder: Embedder,
  ) {
    this.documents = new SearchDocuments(ds, embedder);
    this.candidates = new CandidateRepository(ds);
    this.skills = new SkillRepository(ds);
  }

  /** Vectors from two models are not comparable: a model change rebuilds the index. */
  get version(): string {
    return `embedding:${this.embedder.modelId}/${this.embedder.dimensions};schema:${SEARCH_SCHEMA_VERSION}`;
  }

  async apply(events: ProjectionEvent[]): Promise<void> {
    const ids = new Map<SearchCollection, string[]>();
    for (const e of events) {
      const collection = COLLECTION[e.type];
      if (!collection) continue;
      if (!ids.has(collection)) ids.set(collection, []);
      ids.get(collection)!.push(e.id);
    }
    // A skill rename changes what its holders' documents say; a new skill changes none (its holders
    // have their own events), and re-indexing every holder of every new skill made an import embed
    // each candidate about six times over (bench:ingest).
    const renamed = await this.skills.updatedSinceCreated(events.filter((e) => e.type === 'skill').map((e) => e.id));
    if (renamed.length) {
      const holders = await this.candidates.holdersOfSkills(renamed, 5000);
      ids.set('candidate', [...(ids.get('candidate') ?? []), ...holders]);
    }
    for (const [collection, list] of ids) {
      const unique = [...new Set(list)];
      const docs = await this.documents.build(collection, unique);
      const present = new Set(docs.map((d) => d.id));
      const gone = unique.filter((id) => !present.has(id));
      if (docs.length) await this.index.upsert(collection, docs);
      if (gone.length) await this.index.delete(collection, gone);
    }
  }

  async clear(): Promise<void> {
    for (const collection of new Set(Object.values(COLLECTION))) await this.index.clear(collection!);
  }
}

import type { DataSource } from 'typeorm';
import { DEMO_SOURCE, FIRST_DEMO_CONSULTANT, generateDemo } from './demo-generator';
import type { Taxonomy } from '../hub/taxonomy/onet-taxonomy';
import type { WriteService } from '../hub/write.service';
import { CandidateRepository } from '../hub/repositories/candidate.repository';
import { CompanyRepository } from '../hub/repositories/company.repository';
import { ConsultantRepository } from '../hub/repositories/consultant.repository';
import { OccupationRepository, type TaxonomyOccupationRow } from '../hub/repositories/occupation.repository';
import { OutboxRepository } from '../hub/repositories/outbox.repository';
import { defaultEscoDir, loadEsco, type LinkedEscoOccupation } from '../hub/taxonomy/esco-loader';

function shippedEsco(): LinkedEscoOccupation[] {
  const dir = defaultEscoDir();
  return dir ? loadEsco(dir) : [];
}

export interface SeedReport {
  occupations: number;
  written: number;
  failed: number;
  firstErrors: string[];
}

/**
 * Loads the O*NET occupations (source `onet`, externalId = code) and the ESCO ones (source `esco`,
 * externalId = concept URI) and, when asked, the generated demo
 * data set through the same import path a user's files take.
 */
export class SeedService {
  constructor(
    private readonly ds: DataSource,
    private readonly writes: WriteService,
  ) {}

  /** O*NET's occupations and, when the checkout ships data/esco, ESCO's, each linked to the other's. */
  async loadOccupations(taxonomy: Taxonomy, esco: LinkedEscoOccupation[] = shippedEsco()): Promise<number> {
    // O*NET's side of the link: the ESCO occupations that link to it.
    const escoFor = new Map<string, string[]>();
    for (const e of esco) for (const code of e.onetCodes) escoFor.set(code, [...(escoFor.get(code) ?? []), e.code]);
    const rows: TaxonomyOccupationRow[] = [
      ...taxonomy.occupations.map((o) => ({
        source: 'onet',
        external_id: o.code,
        code: o.code,
        title: o.title,
        description: o.description,
        alternate_titles: o.alternateTitles,
        linked_codes: escoFor.get(o.code) ?? [],
      })),
      ...esco.map((e) => ({
        source: 'esco',
        external_id: e.uri,
        code: e.code,
        title: e.title,
        description: e.description,
        alternate_titles: e.alternateTitles,
        linked_codes: e.onetCodes,
      })),
    ];
    await this.ds.transaction(async (em) => {
      const occupations = new OccupationRepository(em);
      const outbox = new OutboxRepository(em);
      for (let i = 0; i < rows.length; i += 500) {
        // Announced like any other write, so the search index learns the occupations too; rows
        // that did not change are not returned, so loading the same taxonomy again queues nothing.
        await outbox.append('occupation', await occupations.upsertTaxonomy(rows.slice(i, i + 500)));
      }
    });
    return rows.length;
  }

  /** How many records `seedDemo` writes with these options (the generator run once without writing; a second or so). */
  demoSize(options: { candidates: number; seed: number; taxonomy: Taxonomy }): number {
    let n = 0;
    for (const _ of generateDemo(options)) n += 1;
    return n;
  }

  async seedDemo(options: {
    candidates: number;
    seed: number;
    taxonomy: Taxonomy;
    onProgress?: (done: number) => void;
  }): Promise<SeedReport> {
    const occupations = await this.loadOccupations(options.taxonomy);
    let line = 0;
    const lines = (function* () {
      for (const value of generateDemo({ seed: options.seed, candidates: options.candidates, taxonomy: options.taxonomy })) {
        yield { line: ++line, value: value as unknown };
      }
    })();
    const report: SeedReport = { occupations, written: 0, failed: 0, firstErrors: [] };
    for await (const results of this.writes.importStream(lines, 500)) {
      for (const r of results) {
        if (r.ok) report.written += 1;
        else {
          report.failed += 1;
          if (report.firstErrors.length < 5) report.firstErrors.push(`line ${r.line}: ${r.message}`);
        }
      }
      options.onProgress?.(line);
    }
    return report;
  }

  async occupationCount(): Promise<number> {
    return new OccupationRepository(this.ds).count();
  }

  /**
   * Loads the taxonomy when the occupation table is empty (migrate and serve call it, so `import`,
   * `seed` and `serve` work in any order); returns the occupations loaded, 0 when they were there.
   */
  async ensureTaxonomy(taxonomy: () => Taxonomy): Promise<number> {
    if ((await this.occupationCount()) > 0) return 0;
    return this.loadOccupations(taxonomy());
  }

  async isEmpty(): Promise<boolean> {
    return !(await new CandidateRepository(this.ds).any()) && !(await new CompanyRepository(this.ds).any());
  }

  /** The demo data set's first consultant, whom the demo consultant key speaks for; null without demo data. */
  async demoConsultant(): Promise<{ id: string; name: string } | null> {
    return new ConsultantRepository(this.ds).bySourceKey(DEMO_SOURCE, FIRST_DEMO_CONSULTANT);
  }
}

/** Tools over the search service: hybrid search, title normalisation, candidates for a job. */
import type { MatchPage, SearchService } from '../../matching/search.service';
import type { TitleNormalizer } from '../../matching/title-normalizer';
import type { SearchFilter } from '../../adapters/search/search-filter';
import type { RetrievedRecord, ToolContext, ToolResult } from '../types';
import { matchFields, type RecordViews } from './record-views';
import { take, uuidArg, type Args, type ToolHandlers } from './tool-args';

export type SearchToolName = 'searchCandidates' | 'searchJobs' | 'normalizeTitle' | 'matchCandidatesForJob';

export class SearchTools {
  constructor(
    private readonly search: SearchService,
    private readonly titles: TitleNormalizer,
    private readonly views: RecordViews,
  ) {}

  handlers(): ToolHandlers<SearchToolName> {
    return {
      searchCandidates: (a, c) => this.searchCandidates(a, c),
      searchJobs: (a, c) => this.searchJobs(a, c),
      normalizeTitle: (a, c) => this.normalizeTitle(a, c),
      matchCandidatesForJob: (a, c) => this.matchCandidatesForJob(a, c),
    };
  }

  private async searchCandidates(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const parts: SearchFilter[] = [];
    if (a.skills) parts.push({ op: 'containsAll', field: 'skills', values: a.skills as string[] });
    if (a.location) parts.push({ op: 'eq', field: 'location', value: a.location as string });
    if (a.minYears !== undefined) parts.push({ op: 'range', field: 'yearsExperience', gte: a.minYears as number });
    const { want, n } = take(a.first, 10, ctx);
    const page = await this.search.search('candidate', { text: a.query as string, filter: allOf(parts), first: n });
    return rankedResult(page, await this.views.candidates(ids(page), ctx.role), want > n);
  }

  private async searchJobs(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const parts: SearchFilter[] = [];
    if (a.companyId) parts.push({ op: 'containsAny', field: 'companyIds', values: [uuidArg(a.companyId as string, 'companyId')] });
    if (a.status) parts.push({ op: 'eq', field: 'status', value: a.status as string });
    const { want, n } = take(a.first, 10, ctx);
    const page = await this.search.search('job', { text: a.query as string, filter: allOf(parts), first: n });
    return rankedResult(page, await this.views.jobs(ids(page)), want > n);
  }

  private async normalizeTitle(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 5, ctx);
    const hits = await this.titles.normalize({ title: a.title as string, taxonomy: 'onet', first: n });
    const page: MatchPage = { hits, offset: 0, hasNextPage: false };
    return rankedResult(page, await this.views.occupations(ids(page)), want > n);
  }

  private async matchCandidatesForJob(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 10, ctx);
    const page = await this.search.matchFor('job', uuidArg(a.jobId as string, 'jobId'), 'candidate', { first: n });
    return rankedResult(page, await this.views.candidates(ids(page), ctx.role), want > n);
  }
}

/** Keeps the ranking's order, drops hits whose record was deleted since indexing, and attaches the score. */
function rankedResult(page: MatchPage, records: RetrievedRecord[], capped: boolean): ToolResult {
  const byId = new Map(records.map((r) => [r.id, r]));
  const ranked = page.hits.flatMap((hit) => {
    const record = byId.get(hit.id);
    return record ? [{ ...record, fields: { ...record.fields, match: matchFields(hit) } }] : [];
  });
  return { records: ranked, truncated: capped && page.hasNextPage };
}

const ids = (page: MatchPage) => page.hits.map((h) => h.id);
const allOf = (parts: SearchFilter[]): SearchFilter | undefined =>
  parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { op: 'and', filters: parts };

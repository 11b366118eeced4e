/**
 * The tools a RAG plan may call (specs in tool-specs.ts): search, the relation network and a handful
 * of parameterised SQL aggregates. Every argument is checked against the tool's JSON Schema before
 * anything runs, and every result leaves through the role's record view.
 */
import type { Database } from '../../hub/database';
import { AggregatesRepository } from '../../hub/repositories/aggregates.repository';
import { CandidateRepository } from '../../hub/repositories/candidate.repository';
import { CompanyRepository } from '../../hub/repositories/company.repository';
import { JobRepository } from '../../hub/repositories/job.repository';
import { OccupationRepository } from '../../hub/repositories/occupation.repository';
import type { SearchService } from '../../matching/search.service';
import type { TitleNormalizer } from '../../matching/title-normalizer';
import type { NetworkService } from '../../network/network.service';
import { ValidationError } from '../../shared/errors';
import type { ToolContext, ToolName, ToolResult, ToolSpec } from '../types';
import { HubTools } from './hub-tools';
import { NetworkTools } from './network-tools';
import { forRole, RecordViews } from './record-views';
import { SearchTools } from './search-tools';
import type { ToolHandlers } from './tool-args';
import { validateAgainstSchema } from './tool-schema';
import { ragToolSpecs, TOOL_SPECS } from './tool-specs';

/** What the tools read: the data hub (aggregates, records), search and the relation network. */
export interface RagToolDeps {
  db: Database;
  search: SearchService;
  titles: TitleNormalizer;
  network: NetworkService;
}

export class RagTools {
  private readonly handlers: ToolHandlers<ToolName>;

  /** Every service but `rag` itself, which is built on these tools. */
  constructor(deps: RagToolDeps) {
    const ds = deps.db.dataSource;
    const aggregates = new AggregatesRepository(ds);
    const views = new RecordViews({
      candidates: new CandidateRepository(ds),
      jobs: new JobRepository(ds),
      companies: new CompanyRepository(ds),
      occupations: new OccupationRepository(ds),
      aggregates,
    });
    this.handlers = {
      ...new SearchTools(deps.search, deps.titles, views).handlers(),
      ...new NetworkTools(deps.network, views).handlers(),
      ...new HubTools(aggregates, views).handlers(),
    };
  }

  specs(): ToolSpec[] {
    return ragToolSpecs();
  }

  /**
   * Validates `args` against the tool's schema (throws ValidationError with paths), then runs it. What
   * it returns is what the model and the caller see, so personal fields leave here only for roles that
   * may read them, whichever tool produced them.
   */
  async run(name: ToolName, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, name) ? this.handlers[name] : undefined;
    if (!handler) throw new ValidationError([{ path: 'tool', message: `unknown tool "${String(name)}"` }]);
    const problems = validateAgainstSchema(TOOL_SPECS[name].parameters, args);
    if (problems.length) throw new ValidationError(problems, `Invalid arguments for ${name}`);
    ctx.signal?.throwIfAborted();
    return forRole(await handler(args, ctx), ctx.role);
  }
}

/** Tools over the data hub's tables: counts per metric, and records by id. */
import { aggregateRecordType, type AggregateMetric, type AggregatesRepository } from '../../hub/repositories/aggregates.repository';
import type { ToolContext, ToolResult } from '../types';
import type { RecordViews } from './record-views';
import { take, uuidArg, type Args, type ToolHandlers } from './tool-args';

export type HubToolName = 'aggregate' | 'getRecords';

export class HubTools {
  constructor(
    private readonly aggregates: AggregatesRepository,
    private readonly views: RecordViews,
  ) {}

  handlers(): ToolHandlers<HubToolName> {
    return {
      aggregate: (a, c) => this.aggregate(a, c),
      getRecords: (a, c) => this.getRecords(a, c),
    };
  }

  private async aggregate(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const metric = a.metric as AggregateMetric;
    const filters = { ...((a.filters as Record<string, string | number> | undefined) ?? {}) };
    if (typeof filters.companyId === 'string') filters.companyId = uuidArg(filters.companyId, 'filters.companyId');
    const { n } = take(a.first, 20, ctx);
    const rows = await this.aggregates.counts(metric, filters, n);
    const groups = rows[0]?.groups ?? 0;
    const type = aggregateRecordType(metric);
    return {
      records: type ? rows.map((r) => ({ id: r.key, type, label: r.label, fields: { count: r.n } })) : [],
      data: { metric, groups, rows: rows.map((r) => ({ key: r.key, label: r.label, count: r.n })) },
      truncated: rows.length < groups,
    };
  }

  private async getRecords(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const wanted = [...new Set((a.ids as string[]).map((id, i) => uuidArg(id, `ids.${i}`)))];
    const asked = wanted.slice(0, ctx.maxRows);
    const [candidates, jobs, companies] = await Promise.all([
      this.views.candidates(asked, ctx.role),
      this.views.jobs(asked),
      this.views.companies(asked),
    ]);
    const byId = new Map([...candidates, ...jobs, ...companies].map((r) => [r.id, r]));
    const records = asked.flatMap((id) => byId.get(id) ?? []);
    return { records, data: { missing: asked.filter((id) => !byId.has(id)) }, truncated: wanted.length > asked.length };
  }
}

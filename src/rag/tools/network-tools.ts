/** Tools over the relation network: neighbourhoods, introduction paths, talent flow, link prediction. */
import type { NetworkService } from '../../network/network.service';
import type { LinkKind, RelType } from '../../adapters/graph/relation-graph';
import type { RetrievedRecord, ToolContext, ToolResult } from '../types';
import { LABEL_TYPES, nodeRecord, type RecordViews } from './record-views';
import { round, take, uuidArg, type Args, type ToolHandlers } from './tool-args';

export type NetworkToolName = 'graphNeighborhood' | 'introductionPaths' | 'talentFlow' | 'predictLinks';

export class NetworkTools {
  constructor(
    private readonly network: NetworkService,
    private readonly views: RecordViews,
  ) {}

  handlers(): ToolHandlers<NetworkToolName> {
    return {
      graphNeighborhood: (a, c) => this.graphNeighborhood(a, c),
      introductionPaths: (a, c) => this.introductionPaths(a, c),
      talentFlow: (a, c) => this.talentFlow(a, c),
      predictLinks: (a, c) => this.predictLinks(a, c),
    };
  }
  private async graphNeighborhood(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const g = await this.network.neighborhood({
      id: uuidArg(a.id as string, 'id'),
      depth: (a.depth as number | undefined) ?? 1,
      types: a.types as RelType[] | undefined,
      limit: Math.min(ctx.maxRows, 500),
    });
    const nodes = new Set(g.nodes.map((n) => n.id));
    // Edges grow faster than nodes; a few per node is plenty for the model to see the shape.
    const edgeCap = ctx.maxRows * 3;
    const edges = g.edges
      .filter((e) => nodes.has(e.from) && nodes.has(e.to))
      .map((e) => ({ type: e.type, from: e.from, to: e.to, ...e.props }));
    return {
      records: g.nodes.map(nodeRecord),
      data: { edges: edges.slice(0, edgeCap) },
      truncated: g.truncated || edges.length > edgeCap,
    };
  }

  private async introductionPaths(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 5, ctx);
    const paths = await this.network.introductionPaths({
      from: uuidArg(a.from as string, 'from'),
      to: uuidArg(a.to as string, 'to'),
      maxHops: a.maxHops as number | undefined,
      first: Math.min(n, 50),
    });
    const people = [...new Set(paths.flatMap((p) => p.nodeIds))];
    const records = await this.views.candidates(people.slice(0, ctx.maxRows), ctx.role);
    return {
      records,
      data: {
        paths: paths.map((p) => ({
          strength: round(p.strength),
          nodeIds: p.nodeIds,
          hops: p.hops,
          ...(p.employee ? { employee: p.employee } : {}),
        })),
      },
      truncated: people.length > ctx.maxRows || (want > n && paths.length === n),
    };
  }

  private async talentFlow(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 10, ctx);
    const partners = await this.network.talentFlow({
      companyId: uuidArg(a.companyId as string, 'companyId'),
      direction: a.direction as 'IN' | 'OUT',
      since: a.since as number | undefined,
      first: n,
    });
    const records: RetrievedRecord[] = partners.map((p) => ({
      id: p.companyId,
      type: 'company',
      label: p.name ?? p.companyId,
      fields: { moves: p.total, byYear: p.byYear },
    }));
    return { records, data: { direction: a.direction }, truncated: want > n && partners.length === n };
  }

  private async predictLinks(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 10, ctx);
    const predictions = await this.network.predictLinks({
      nodeId: uuidArg(a.nodeId as string, 'nodeId'),
      kind: a.kind as LinkKind,
      first: n,
    });
    const labels = await this.views.labels(predictions.map((p) => p.targetId));
    const records: RetrievedRecord[] = predictions.map((p) => ({
      id: p.targetId,
      type: LABEL_TYPES[p.targetLabel],
      label: labels.get(p.targetId) ?? p.targetId,
      fields: {
        score: round(p.score),
        commonNeighbours: p.features.commonNeighbours,
        recencyWeightedFlow: round(p.features.recencyWeightedFlow),
        evidencePaths: p.evidence.length,
      },
    }));
    return { records, data: { kind: a.kind }, truncated: want > n && predictions.length === n };
  }
}

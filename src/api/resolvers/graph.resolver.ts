import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Candidate } from '../../hub/entities/candidate.entity';
import { Company } from '../../hub/entities/company.entity';
import { fromGlobalId, toGlobalId, uuidOf, type NodeType } from '../../shared/global-id';
import { redactPersonal } from '../../hub/personal-data';
import {
  CANDIDATE_SOURCES,
  LINK_KINDS,
  LINK_MODES,
  type CandidateSource,
  type LinkKind,
  type LinkMode,
} from '../../adapters/graph/relation-graph';
import { REL_TYPES, type NodeLabel, type RelType } from '../../adapters/graph/relation-graph';

const RelTypeEnum = Object.fromEntries(REL_TYPES.map((t) => [t, t])) as Record<RelType, RelType>;
registerEnumType(RelTypeEnum, { name: 'RelationType' });
export const LinkKindEnum = Object.fromEntries(LINK_KINDS.map((k) => [k, k])) as Record<LinkKind, LinkKind>;
registerEnumType(LinkKindEnum, {
  name: 'LinkKind',
  description:
    'CANDIDATE_COMPANY: likely next employer; COMPANY_COMPANY: talent flow next period (new destinations, or existing ones with mode REPEAT); CANDIDATE_JOB: graph fit; CANDIDATE_CANDIDATE: likely know each other',
});
export enum FlowDirection {
  IN = 'IN',
  OUT = 'OUT',
}
registerEnumType(FlowDirection, {
  name: 'FlowDirection',
  description: 'OUT: where this company sends talent; IN: where it takes talent from',
});

const HUB_LABELS: Partial<Record<NodeLabel, NodeType>> = {
  Candidate: 'Candidate',
  Company: 'Company',
  Job: 'Job',
  Skill: 'Skill',
  Occupation: 'Occupation',
  Consultant: 'Consultant',
};

/** Graph ids are the hub's UUIDs; GraphQL shows global ids wherever the node is a hub record. */
const globalOf = (uuid: string, label: NodeLabel) => (HUB_LABELS[label] ? toGlobalId(HUB_LABELS[label]!, uuid) : uuid);

@ObjectType()
class GraphNodeView {
  @Field(() => ID, { description: 'Global id for hub records, the UUID for schools' }) id: string;
  @Field() uuid: string;
  @Field() label: string;
  @Field(() => GraphQLJSONObject) props: Record<string, unknown>;
}

@ObjectType()
class GraphEdgeView {
  @Field(() => RelTypeEnum) type: RelType;
  @Field(() => ID) from: string;
  @Field(() => ID) to: string;
  @Field(() => GraphQLJSONObject) props: Record<string, unknown>;
}

@ObjectType({ description: 'Nodes and relationships around a record, for an explorer view' })
class Neighborhood {
  @Field(() => [GraphNodeView]) nodes: GraphNodeView[];
  @Field(() => [GraphEdgeView]) edges: GraphEdgeView[];
  @Field({ description: 'True when limit cut the neighbourhood' }) truncated: boolean;
}

@ObjectType()
class WarmHopView {
  @Field(() => ID) from: string;
  @Field(() => ID) to: string;
  @Field({ description: 'COLLEAGUE, SCHOOLMATE, OWNER or PLACEMENT' }) kind: string;
  @Field(() => Float, { description: '0..1' }) strength: number;
  @Field(() => Int, { nullable: true, description: 'Months of overlap for colleagues' }) months?: number;
  @Field(() => [ID], { description: 'Shared companies, schools or the placement job' }) via: string[];
}

@ObjectType({ description: 'The person a path to a company ends at, who works there now' })
class PathEmployeeView {
  @Field(() => ID) candidateId: string;
  @Field(() => Candidate, { nullable: true }) candidate: Candidate | null;
  @Field({ description: 'Title of the current stint at the company (the latest started)' }) title: string;
  @Field({ description: 'Start of that stint, YYYY-MM-DD' }) since: string;
}

@ObjectType({ description: 'A warm introduction path; strength is the product of its hops' })
class IntroductionPathView {
  @Field(() => Float) strength: number;
  @Field(() => [ID]) nodeIds: string[];
  @Field(() => [WarmHopView]) hops: WarmHopView[];
  @Field(() => PathEmployeeView, {
    nullable: true,
    description: 'When `to` is a company: the current employee the path reaches (its last node); null when `to` is a person',
  })
  employee: PathEmployeeView | null;
}

@ObjectType()
class YearCount {
  @Field(() => Int) year: number;
  @Field(() => Int) count: number;
}

@ObjectType()
class FlowPartnerView {
  @Field(() => Company, { nullable: true }) company: Company | null;
  @Field(() => ID) companyId: string;
  @Field(() => Int, { description: 'Moves in the period' }) total: number;
  @Field(() => [YearCount]) byYear: YearCount[];
}

@ObjectType()
class ColleagueView {
  @Field(() => Candidate, { nullable: true }) candidate: Candidate | null;
  @Field(() => Int, { description: 'Months worked at the same company at the same time' }) months: number;
  @Field(() => [ID]) companyIds: string[];
}

@ObjectType()
class ColleaguePage {
  @Field(() => [ColleagueView]) items: ColleagueView[];
  @Field(() => Int) totalCount: number;
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ObjectType()
class AlumnusView {
  @Field(() => Candidate, { nullable: true }) candidate: Candidate | null;
  @Field() title: string;
  @Field() from: string;
  @Field(() => String, { nullable: true }) to: string | null;
}

@ObjectType()
class AlumniPage {
  @Field(() => [AlumnusView]) items: AlumnusView[];
  @Field(() => Int) totalCount: number;
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ObjectType({ description: 'The numbers behind a prediction' })
class LinkFeaturesView {
  @Field(() => Float) commonNeighbours: number;
  @Field(() => Float) adamicAdar: number;
  @Field(() => Float) resourceAllocation: number;
  @Field(() => Float) preferentialAttachment: number;
  @Field(() => Float) jaccard: number;
  @Field(() => Float) recencyWeightedFlow: number;
  @Field(() => Float, {
    description: "The target's popularity: moves received by a company, distinct applicants of a job (0 for CANDIDATE_CANDIDATE)",
  })
  targetInDegree: number;
  @Field(() => Float, { nullable: true }) embeddingSimilarity: number | null;
  @Field(() => Float, { description: 'Moves the target company received in the last 3 years before asOf (or now); 0 for other targets' })
  targetRecentInDegree: number;
  @Field(() => Float, {
    description: "1 when the target company's industry is the source's (a candidate's: one of its employers'), else 0",
  })
  sameIndustry: number;
}

export const LinkModeEnum = Object.fromEntries(LINK_MODES.map((m) => [m, m])) as Record<LinkMode, LinkMode>;
registerEnumType(LinkModeEnum, {
  name: 'LinkMode',
  description: 'NEW: links the source does not have yet; REPEAT: only the links it already has; ANY: both',
});

export const CandidateSourceEnum = Object.fromEntries(CANDIDATE_SOURCES.map((s) => [s, s])) as Record<CandidateSource, CandidateSource>;
registerEnumType(CandidateSourceEnum, {
  name: 'LinkCandidateSource',
  description:
    "Where a predicted target came from: NEIGHBOURHOOD (two hops away, the best 1,000 by resource allocation), POPULARITY (the 500 highest in-degree among the others), SECTOR_POPULARITY (the 300 companies of the source's industry with the most moves received in the last 3 years), REVERSE_FLOW (the 200 companies that send the source the most people), SIMILAR (200 companies sharing two of industry, size band and location with the source), EXISTING (links the source already has; modes REPEAT and ANY)",
});

@ObjectType({ description: 'The model or heuristic that scored a prediction' })
class LinkScorerView {
  @Field({ description: '`linkpred-v<version>` for a trained model, else the heuristic, e.g. `heuristic:popularity-affinity`' })
  name: string;
  @Field(() => Int, { nullable: true, description: 'The trained model version; null for the heuristic' }) modelVersion: number | null;
  @Field(() => Date, { nullable: true, description: 'When the model was trained; null for the heuristic' }) trainedAt: Date | null;
}

@ObjectType()
class LinkPredictionView {
  @Field(() => ID) targetId: string;
  @Field() targetLabel: string;
  @Field(() => Float) score: number;
  @Field(() => LinkFeaturesView) features: LinkFeaturesView;
  @Field(() => [[ID]], { description: 'Up to 5 supporting paths from the source to the target' }) evidence: string[][];
  @Field(() => [CandidateSourceEnum], { description: 'The candidate sources that offered the target' }) sources: CandidateSource[];
  @Field(() => LinkScorerView) scoredBy: LinkScorerView;
}

@Resolver()
export class GraphResolver {
  @Query(() => Neighborhood)
  async neighborhood(
    @Arg('id', () => ID) id: string,
    @Arg('depth', () => Int, { defaultValue: 1, description: '1 to 3' }) depth: number,
    @Arg('types', () => [RelTypeEnum], { nullable: true }) types: RelType[] | undefined,
    @Arg('limit', () => Int, { defaultValue: 100, description: 'Most nodes, at most 500' }) limit: number,
    @Ctx() ctx: Context,
  ) {
    const g = await ctx.services.network.neighborhood({ id: uuidOf(id), depth, types, limit });
    const labels = new Map(g.nodes.map((n) => [n.id, n.label]));
    const role = ctx.viewer?.role;
    // Props are free-form: whatever the projection puts there, personal fields reach only roles that may read them.
    return {
      nodes: g.nodes.map((n) => ({ id: globalOf(n.id, n.label), uuid: n.id, label: n.label, props: redactPersonal(n.props, role) })),
      edges: g.edges.map((e) => ({
        ...e,
        props: redactPersonal(e.props, role),
        from: globalOf(e.from, labels.get(e.from) ?? 'School'),
        to: globalOf(e.to, labels.get(e.to) ?? 'School'),
      })),
      truncated: g.truncated,
    };
  }

  @Query(() => [IntroductionPathView], {
    description:
      'Warm paths from a person to another person, or to a company: then to the people who work there now, the strongest path to each (none runs through another of them); strongest first',
  })
  async introductionPaths(
    @Arg('from', () => ID, { description: 'A candidate or consultant' }) from: string,
    @Arg('to', () => ID, { description: 'A candidate, consultant or company' }) to: string,
    @Arg('maxHops', () => Int, { defaultValue: 3, description: '1 to 4' }) maxHops: number,
    @Arg('first', () => Int, { defaultValue: 10 }) first: number,
    @Ctx() ctx: Context,
  ) {
    const paths = await ctx.services.network.introductionPaths({ from: uuidOf(from), to: uuidOf(to), maxHops, first });
    return Promise.all(
      paths.map(async (p) => {
        // A path runs through candidates and consultants: each id is the global id of its own type.
        const label = new Map(p.nodeIds.map((u, i) => [u, p.nodeLabels[i]]));
        const gid = (u: string) => globalOf(u, label.get(u)!);
        const e = p.employee;
        return {
          strength: p.strength,
          nodeIds: p.nodeIds.map(gid),
          hops: p.hops.map((h) => ({ ...h, from: gid(h.from), to: gid(h.to) })),
          employee: e
            ? { ...e, candidateId: toGlobalId('Candidate', e.candidateId), candidate: await ctx.loaders.candidate.load(e.candidateId) }
            : null,
        };
      }),
    );
  }

  @Query(() => [FlowPartnerView], {
    description: 'Companies that send talent to (IN) or take talent from (OUT) this one, with counts by year',
  })
  async talentFlow(
    @Arg('companyId', () => ID) companyId: string,
    @Arg('direction', () => FlowDirection) direction: FlowDirection,
    @Arg('since', () => Int, { nullable: true, description: 'First year counted' }) since: number | undefined,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ) {
    const partners = await ctx.services.network.talentFlow({ companyId: uuidOf(companyId), direction, since, first });
    return Promise.all(
      partners.map(async (p) => ({
        ...p,
        companyId: toGlobalId('Company', p.companyId),
        company: await ctx.loaders.company.load(p.companyId),
      })),
    );
  }

  @Query(() => ColleaguePage, { description: 'People who worked at the same company at the same time, longest overlap first' })
  async colleagues(
    @Arg('candidateId', () => ID) candidateId: string,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    const page = await ctx.services.network.colleagues(uuidOf(candidateId), { first, after });
    return {
      ...page,
      items: await Promise.all(
        page.items.map(async (c) => ({
          months: c.months,
          companyIds: c.companyIds.map((id) => toGlobalId('Company', id)),
          candidate: await ctx.loaders.candidate.load(c.candidateId),
        })),
      ),
    };
  }

  @Query(() => AlumniPage, { description: 'Everyone who worked at a company, paginated' })
  async alumni(
    @Arg('companyId', () => ID) companyId: string,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    const page = await ctx.services.network.alumni(uuidOf(companyId), { first, after });
    return {
      ...page,
      items: await Promise.all(
        page.items.map(async (a) => ({
          title: a.title,
          from: a.from,
          to: a.to,
          candidate: await ctx.loaders.candidate.load(a.candidateId),
        })),
      ),
    };
  }

  @Query(() => [LinkPredictionView], {
    description: 'Likely links from a node, with the features and paths behind each score and what scored them',
  })
  async predictLinks(
    @Arg('nodeId', () => ID) nodeId: string,
    @Arg('kind', () => LinkKindEnum) kind: LinkKind,
    @Arg('first', () => Int, { defaultValue: 10, description: '1 to 1,000' }) first: number,
    @Arg('mode', () => LinkModeEnum, {
      nullable: true,
      description:
        'NEW (the default): targets the source has no link to yet; REPEAT: only its existing links, ranked (COMPANY_COMPANY: companies it already sends people to, "who will hire from us again"; CANDIDATE_COMPANY: former employers); ANY: both. REPEAT and ANY are for COMPANY_COMPANY and CANDIDATE_COMPANY only',
    })
    mode: LinkMode | undefined,
    @Arg('asOf', () => String, {
      nullable: true,
      description:
        "YYYY-MM-DD: predict from the facts known at the start of that day only (stints started later are invisible, stints ended later still current, moves of asOf's own year and later left out); recency counts back from its year. Default: every fact",
    })
    asOf: string | undefined,
    @Arg('excludeExisting', () => Boolean, {
      nullable: true,
      deprecationReason: 'Use mode: true is mode NEW, false is mode ANY. Passing both is BAD_USER_INPUT when they disagree.',
    })
    excludeExisting: boolean | undefined,
    @Ctx() ctx: Context,
  ) {
    const predictions = await ctx.services.network.predictLinks({
      nodeId: uuidOf(nodeId),
      kind,
      first,
      mode: mode ?? undefined,
      asOf: asOf ?? undefined,
      excludeExisting: excludeExisting ?? undefined,
    });
    return predictions.map((p) => ({
      ...p,
      targetId: globalOf(p.targetId, p.targetLabel),
      evidence: p.evidence.map((path) => path.map((id) => id)),
      scoredBy: { ...p.scoredBy, trainedAt: p.scoredBy.trainedAt === null ? null : new Date(p.scoredBy.trainedAt) },
    }));
  }
}

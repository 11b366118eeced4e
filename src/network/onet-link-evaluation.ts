/**
 * Link prediction on real public structure: O*NET occupation -> technology-skill links. 20% of
 * the links are held out and predicted back from the rest.
 *
 * The graph is bipartite, so the two-hop definitions of the career kinds give nothing (an
 * occupation and a skill never share a neighbour). The same features are taken over the
 * skill co-occurrence projection instead: Γ(o) = skills of o, Γ'(s) = skills that share an
 * occupation with s; CN = |Γ(o) ∩ Γ'(s)|, AA and RA weigh each shared skill z by 1/ln|N(z)| and
 * 1/|N(z)| (N(z) = occupations using z), PA = |N(o)|·|N(s)|, Jaccard = CN / |Γ(o) ∪ Γ'(s)|.
 * There is no time in O*NET, so the flow feature is 0 and the split is random (seeded).
 *
 * Protocol: test = 20% of links, features on the other 80%. Training repeats the split inside
 * the 80% (20% of it as labels, features on the remaining 64%), so no test link is ever seen.
 */
import { combineFeatures, adamicAdarTerm } from '../adapters/graph/link-features';
import { compareStrings } from '../adapters/graph/graph-traversals';
import { SeededRandom } from '../shared/random';
import type { LinkFeatureValues, LinkPair } from '../adapters/graph/relation-graph';
import {
  featurizeGroups,
  fitKindModel,
  formatScoreTable,
  scoreTable,
  type FeatureGroup,
  type PairGroup,
  type ScorerRow,
} from './link-evaluation';

export interface BipartiteLink {
  occupation: string;
  skill: string;
}

export interface OnetEvaluationOptions {
  links: readonly BipartiteLink[];
  holdout?: number;
  seed?: number;
  negativesPerPositive?: number;
  trainNegativesPerPositive?: number;
  maxPositives?: number;
}

class BipartiteGraph {
  readonly skillsOf = new Map<string, Set<string>>();
  readonly occupationsOf = new Map<string, Set<string>>();
  private readonly coSkills = new Map<string, Set<string>>();

  constructor(links: readonly BipartiteLink[]) {
    for (const l of links) {
      if (!this.skillsOf.has(l.occupation)) this.skillsOf.set(l.occupation, new Set());
      this.skillsOf.get(l.occupation)!.add(l.skill);
      if (!this.occupationsOf.has(l.skill)) this.occupationsOf.set(l.skill, new Set());
      this.occupationsOf.get(l.skill)!.add(l.occupation);
    }
  }

  private coSkillsOf(s: string): Set<string> {
    let co = this.coSkills.get(s);
    if (!co) {
      co = new Set<string>();
      for (const o of this.occupationsOf.get(s) ?? []) for (const z of this.skillsOf.get(o) ?? []) if (z !== s) co.add(z);
      this.coSkills.set(s, co);
    }
    return co;
  }

  features(o: string, s: string): LinkFeatureValues {
    const mine = this.skillsOf.get(o) ?? new Set<string>();
    const co = this.coSkillsOf(s);
    let cn = 0;
    let aa = 0;
    let ra = 0;
    for (const z of mine) {
      if (!co.has(z)) continue;
      const dz = this.occupationsOf.get(z)!.size;
      cn += 1;
      aa += adamicAdarTerm(dz);
      ra += 1 / dz;
    }
    // The skill's popularity: how many occupations use it.
    const users = this.occupationsOf.get(s)?.size ?? 0;
    const f = combineFeatures(cn, aa, ra, mine.size, co.size, 0, users, null);
    // PA is defined on the bipartite degrees, not on the projection.
    return { ...f, preferentialAttachment: mine.size * users };
  }
}

function shuffled<T>(xs: readonly T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function split(links: readonly BipartiteLink[], share: number, rand: () => number): [BipartiteLink[], BipartiteLink[]] {
  const s = shuffled(links, rand);
  const n = Math.round(s.length * share);
  return [s.slice(n), s.slice(0, n)];
}

function groupsFor(
  known: readonly BipartiteLink[],
  labels: readonly BipartiteLink[],
  all: ReadonlyMap<string, ReadonlySet<string>>,
  skills: readonly string[],
  k: number,
  max: number,
  rand: () => number,
): PairGroup[] {
  const seen = new Set(known.map((l) => l.occupation));
  // An occupation with no known skill is a cold start: no topological method can rank for it.
  return shuffled(labels, rand)
    .filter((l) => seen.has(l.occupation))
    .slice(0, max)
    .map((l) => {
      const negatives = new Set<string>();
      const linked = all.get(l.occupation)!;
      for (let t = 0; negatives.size < k && t < k * 20; t += 1) {
        const s = skills[Math.floor(rand() * skills.length)];
        if (!linked.has(s)) negatives.add(s);
      }
      return { sourceId: l.occupation, positive: l.skill, negatives: [...negatives] };
    });
}

export interface OnetEvaluation {
  rows: ScorerRow[];
  table: string;
  links: number;
  heldOut: number;
  seconds: number;
}

export async function evaluateOnetHoldout(o: OnetEvaluationOptions): Promise<OnetEvaluation> {
  const started = Date.now();
  const rng = new SeededRandom(o.seed ?? 29);
  const rand = () => rng.float();
  const holdout = o.holdout ?? 0.2;
  const all = new Map<string, Set<string>>();
  for (const l of o.links) {
    if (!all.has(l.occupation)) all.set(l.occupation, new Set());
    all.get(l.occupation)!.add(l.skill);
  }
  const skills = [...new Set(o.links.map((l) => l.skill))].sort(compareStrings);
  const [known, test] = split(o.links, holdout, rand);
  const [trainKnown, trainLabels] = split(known, holdout, rand);
  const max = o.maxPositives ?? 3000;

  const featuresFrom = (g: BipartiteGraph) => async (pairs: readonly LinkPair[]) => pairs.map((p) => g.features(p.sourceId, p.targetId));
  const trainGroups: FeatureGroup[] = await featurizeGroups(
    groupsFor(trainKnown, trainLabels, all, skills, o.trainNegativesPerPositive ?? 20, max, rand),
    featuresFrom(new BipartiteGraph(trainKnown)),
  );
  const model = fitKindModel(trainGroups);
  const testGroups = await featurizeGroups(
    groupsFor(known, test, all, skills, o.negativesPerPositive ?? 100, max, rand),
    featuresFrom(new BipartiteGraph(known)),
  );
  const rows = scoreTable('OCCUPATION_SKILL', testGroups, model);
  return { rows, table: formatScoreTable(rows), links: o.links.length, heldOut: test.length, seconds: (Date.now() - started) / 1000 };
}

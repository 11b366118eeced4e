/**
 * A deterministic, generated career graph (no real people) for tests, the link-prediction
 * evaluation and benchmarks. It has the structure the features are meant to find: companies
 * belong to industries, each company sends most leavers to a few habitual destinations (so flows
 * persist over time), company sizes are Zipf-like (hubs exist), people share schools, skills
 * follow industries, and jobs require their industry's skills.
 */
import type { CandidateFacts, GraphProjection, JobFacts, StintFacts } from '../adapters/graph/relation-graph';
import { SeededRandom, weightTable } from '../shared/random';

export interface CareerGraphOptions {
  candidates: number;
  companies: number;
  seed?: number;
  startYear?: number;
  endYear?: number;
  industries?: number;
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}

export const syntheticId = {
  candidate: (i: number) => `cand-${pad(i)}`,
  company: (i: number) => `co-${pad(i)}`,
  school: (i: number) => `school-${pad(i)}`,
  skill: (i: number) => `skill-${pad(i)}`,
  job: (i: number) => `job-${pad(i)}`,
  consultant: (i: number) => `consultant-${pad(i)}`,
};

class WeightedPicker {
  private readonly cumulative: number[];
  constructor(
    readonly items: number[],
    weights: number[],
  ) {
    let s = 0;
    this.cumulative = weights.map((w) => (s += w));
  }
  pick(r: number): number {
    const x = r * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo];
  }
}

function iso(year: number, month: number): string {
  return `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

function endOfMonth(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${String(month + 1).padStart(2, '0')}-${last}`;
}

export function generateCareerGraph(o: CareerGraphOptions): GraphProjection {
  const rng = new SeededRandom(o.seed ?? 1);
  const rand = () => rng.float();
  const startYear = o.startYear ?? 2000;
  const endYear = o.endYear ?? 2025;
  const nInd = o.industries ?? Math.max(2, Math.min(12, Math.round(o.companies / 10)));
  const nSkills = 12 * nInd;
  const nSchools = Math.max(10, Math.round(o.candidates / 150));
  const nConsultants = Math.max(2, Math.round(o.candidates / 800));
  const pickInt = (n: number) => Math.floor(rand() * n);

  const industryOf = Array.from({ length: o.companies }, (_, i) => i % nInd);
  // Zipf-like attractiveness: a few hubs, a long tail.
  const weight = Array.from({ length: o.companies }, (_, i) => 1 / Math.pow(1 + ((i * 7919) % o.companies), 0.9));
  const all = new WeightedPicker(
    Array.from({ length: o.companies }, (_, i) => i),
    weight,
  );
  const byIndustry = Array.from({ length: nInd }, (_, k) => {
    const ids = industryOf.map((ind, i) => (ind === k ? i : -1)).filter((i) => i >= 0);
    return new WeightedPicker(
      ids,
      ids.map((i) => weight[i]),
    );
  });
  // Each company's habitual destinations: mostly its own industry.
  const destinations = Array.from({ length: o.companies }, (_, c) => {
    const picks = new Set<number>();
    for (let t = 0; picks.size < Math.min(4, o.companies - 1) && t < 50; t += 1) {
      const d = rand() < 0.8 ? byIndustry[industryOf[c]].pick(rand()) : all.pick(rand());
      if (d !== c) picks.add(d);
    }
    return [...picks];
  });
  const industrySkills = (k: number) => Array.from({ length: 12 }, (_, j) => k * 12 + j);
  const schoolPicker = new WeightedPicker(
    Array.from({ length: nSchools }, (_, i) => i),
    Array.from({ length: nSchools }, (_, i) => 1 / (1 + i)),
  );

  const companies = Array.from({ length: o.companies }, (_, i) => ({
    id: syntheticId.company(i),
    name: `Company ${i}`,
    industry: `industry-${industryOf[i]}`,
  }));
  const candidates: CandidateFacts[] = [];
  for (let i = 0; i < o.candidates; i += 1) {
    const careerStart = startYear + pickInt(Math.max(1, endYear - startYear - 2));
    let year = careerStart;
    let month = pickInt(12);
    let company = all.pick(rand());
    const stints: StintFacts[] = [];
    while (year * 12 + month <= endYear * 12 + 5) {
      const months = 12 + pickInt(60);
      const endAbs = year * 12 + month + months - 1;
      const endY = Math.floor(endAbs / 12);
      const endM = endAbs % 12;
      const open = endY > endYear || (endY === endYear && endM > 5);
      stints.push({
        companyId: syntheticId.company(company),
        title: `Engineer L${stints.length + 1}`,
        from: iso(year, month),
        to: open ? undefined : endOfMonth(endY, endM),
      });
      if (open) break;
      const next = endAbs + 1 + pickInt(3);
      year = Math.floor(next / 12);
      month = next % 12;
      const r = rand();
      const dest = destinations[company];
      let nextCompany =
        r < 0.6 && dest.length > 0
          ? dest[pickInt(dest.length)]
          : r < 0.85
            ? byIndustry[industryOf[company]].pick(rand())
            : all.pick(rand());
      if (nextCompany === company) nextCompany = (company + 1) % o.companies;
      company = nextCompany;
    }
    const skillPool = industrySkills(industryOf[company]);
    const skills = [...new Set(Array.from({ length: 3 + pickInt(4) }, () => skillPool[pickInt(skillPool.length)]))].map((s) => ({
      skillId: syntheticId.skill(s),
      level: 1 + pickInt(5),
      years: 1 + pickInt(10),
    }));
    candidates.push({
      id: syntheticId.candidate(i),
      name: `Person ${i}`,
      headline: `Engineer, industry ${industryOf[company]}`,
      ownerId: rand() < 0.3 ? syntheticId.consultant(pickInt(nConsultants)) : undefined,
      experiences: stints,
      education: [
        { schoolId: syntheticId.school(schoolPicker.pick(rand())), degree: 'BSc', fromYear: careerStart - 4, toYear: careerStart },
      ],
      skills,
    });
  }

  const nJobs = o.companies * 2;
  const jobs: JobFacts[] = Array.from({ length: nJobs }, (_, j) => {
    const company = j % o.companies;
    const pool = industrySkills(industryOf[company]);
    const req = [...new Set([pool[pickInt(12)], pool[pickInt(12)], pool[pickInt(12)]])];
    return {
      id: syntheticId.job(j),
      title: `Role ${j}`,
      companyId: syntheticId.company(company),
      status: rand() < 0.7 ? ('OPEN' as const) : ('CLOSED' as const),
      openedAt: iso(endYear - pickInt(3), pickInt(12)),
      ownerId: syntheticId.consultant(pickInt(nConsultants)),
      skills: req.map((s, k) => ({ skillId: syntheticId.skill(s), requirement: k === 0 ? ('REQUIRED' as const) : ('PREFERRED' as const) })),
    };
  });
  // Applications follow the same pull as moves: jobs at the habitual destinations of one's employer.
  for (const c of candidates) {
    if (rand() >= 0.15) continue;
    const last = c.experiences![c.experiences!.length - 1];
    const from = Number(last.companyId.slice(3));
    const dest = destinations[from];
    const target = dest.length > 0 && rand() < 0.7 ? dest[pickInt(dest.length)] : all.pick(rand());
    const job = target + o.companies * pickInt(2);
    const at = `${endYear - pickInt(10)}-${String(1 + pickInt(12)).padStart(2, '0')}-15T10:00:00Z`;
    c.applications = [{ jobId: syntheticId.job(job), stage: rand() < 0.2 ? 'PLACED' : 'INTERVIEW', at }];
    if (c.applications[0].stage === 'PLACED') c.placements = [{ jobId: syntheticId.job(job), startDate: at.slice(0, 10) }];
  }

  return {
    consultants: Array.from({ length: nConsultants }, (_, i) => ({ id: syntheticId.consultant(i), name: `Consultant ${i}` })),
    companies,
    schools: Array.from({ length: nSchools }, (_, i) => ({ id: syntheticId.school(i), name: `School ${i}` })),
    skills: Array.from({ length: nSkills }, (_, i) => ({ id: syntheticId.skill(i), name: `Skill ${i}` })),
    candidates,
    jobs,
  };
}

export interface RealisticCareerOptions {
  companies: number;
  /** Moves between companies over the whole period (the total, growing a few per cent a year). */
  moves: number;
  seed?: number;
  startYear?: number;
  endYear?: number;
  sectors?: number;
}

/** How a mover picks the next employer (shares of moves); the rest is noise, a uniform pick. */
const REALISTIC_CHOICE = { repeat: 0.25, popular: 0.5, triadic: 0.1 } as const;

/**
 * A career network with the shape of real ones, for the link-prediction evaluation (issue 15), where
 * our first generator's talent flows are cleaner than real data. Simulated year by year:
 * - company sizes are heavy-tailed (Pareto, alpha 1.1), sectors have Zipf-like sizes, and a fifth of
 *   the companies are founded during the period (they neither hire nor lose anyone before);
 * - each year a growing number of employees with a year or more of tenure move; a mover goes back to
 *   a destination the employer already sends people to (a repeat flow, in proportion to it), to a
 *   popular company (size^0.8 times the square root of the moves it has received: preferential
 *   attachment, 60% within the sector), to a company two hops away (a partner's partner), or anywhere
 *   (noise). So most new links go to popular targets and only a minority close a triangle;
 * - people enter the workforce at companies in proportion to size, as the movers need them.
 * No people data: ids and names are generated.
 */
export function generateRealisticCareerGraph(o: RealisticCareerOptions): GraphProjection {
  const rng = new SeededRandom(o.seed ?? 1);
  const startYear = o.startYear ?? 1995;
  const endYear = o.endYear ?? 2015;
  const n = o.companies;
  const nSectors = o.sectors ?? Math.max(4, Math.min(30, Math.round(n / 250)));
  const sectorTable = weightTable(Array.from({ length: nSectors }, (_, k) => 1 / (1 + k) ** 0.8));
  const sectorOf = Array.from({ length: n }, () => rng.weighted(sectorTable));
  const size = Array.from({ length: n }, () => Math.min(20_000, (1 - rng.float()) ** (-1 / 1.1)));
  const founded = Array.from({ length: n }, () => (rng.chance(0.8) ? startYear : startYear + 1 + rng.int(0, endYear - startYear - 1)));
  const inflow = new Float64Array(n);
  const flows = Array.from({ length: n }, () => new Map<number, number>());
  const partners = Array.from({ length: n }, () => new Set<number>());
  const bySector = Array.from({ length: nSectors }, (_, k) => sectorOf.map((s, i) => (s === k ? i : -1)).filter((i) => i >= 0));

  interface Person {
    stints: { company: number; from: string }[];
    since: number;
  }
  const people: Person[] = [];
  const employed: number[] = [];
  const month = () => String(1 + rng.int(0, 11)).padStart(2, '0');
  const years = endYear - startYear + 1;
  const growth = Array.from({ length: years }, (_, t) => 1.06 ** t);
  const total = growth.reduce((s, g) => s + g, 0);
  let movesLeft = o.moves;

  for (let year = startYear; year <= endYear; year += 1) {
    const alive = Array.from({ length: n }, (_, i) => founded[i] <= year);
    const sizeTable = weightTable(size.map((s, i) => (alive[i] ? s : 0)));
    const pull = size.map((s, i) => (alive[i] ? s ** 0.8 * Math.sqrt(1 + inflow[i]) : 0));
    const pullTable = weightTable(pull);
    const sectorPull = bySector.map((ids) => ({ ids, table: weightTable(ids.map((i) => pull[i])) }));
    const want = year === endYear ? movesLeft : Math.round((o.moves * growth[year - startYear]) / total);
    // Enough people with a year of tenure: about six employees per move.
    const pool = employed.filter((p) => people[p].since < year);
    while (pool.length < want * 6) {
      const company = rng.weighted(sizeTable);
      people.push({ stints: [{ company, from: `${year - 1 - rng.int(0, 3)}-${month()}-01` }], since: year - 1 });
      employed.push(people.length - 1);
      pool.push(people.length - 1);
    }
    for (let m = 0; m < want && pool.length > 0; m += 1) {
      const k = rng.int(0, pool.length - 1);
      const p = pool[k];
      pool[k] = pool[pool.length - 1];
      pool.pop();
      const person = people[p];
      const from = person.stints[person.stints.length - 1].company;
      const r = rng.float();
      let to = -1;
      if (r < REALISTIC_CHOICE.repeat && flows[from].size > 0) {
        const dest = [...flows[from].keys()];
        to = dest[rng.weighted(weightTable(dest.map((d) => flows[from].get(d)!)))];
      } else if (r < REALISTIC_CHOICE.repeat + REALISTIC_CHOICE.popular) {
        const s = sectorPull[sectorOf[from]];
        to = rng.chance(0.6) && s.ids.length > 1 ? s.ids[rng.weighted(s.table)] : rng.weighted(pullTable);
      } else if (r < REALISTIC_CHOICE.repeat + REALISTIC_CHOICE.popular + REALISTIC_CHOICE.triadic && partners[from].size > 0) {
        const via = rng.pick([...partners[from]]);
        const next = [...partners[via]].filter((c) => c !== from && alive[c]);
        if (next.length > 0) to = rng.pick(next);
      }
      if (to < 0 || to === from || !alive[to]) {
        do to = rng.int(0, n - 1);
        while (to === from || !alive[to]);
      }
      person.stints.push({ company: to, from: `${year}-${month()}-01` });
      person.since = year;
      inflow[to] += 1;
      flows[from].set(to, (flows[from].get(to) ?? 0) + 1);
      partners[from].add(to);
      partners[to].add(from);
      movesLeft -= 1;
    }
  }

  const industries = Array.from({ length: nSectors }, (_, k) => `sector-${k}`);
  const candidates: CandidateFacts[] = people.map((p, i) => {
    // Sorting stints by start month keeps movesOf's order when a move falls in the entry year.
    const stints = p.stints.map((s, k) => {
      const next = p.stints[k + 1];
      let to: string | undefined;
      if (next) {
        const [y, m] = next.from.split('-').map(Number);
        to = endOfMonth(m === 1 ? y - 1 : y, m === 1 ? 11 : m - 2);
        if (to < s.from) to = s.from;
      }
      return { companyId: syntheticId.company(s.company), title: 'Employee', from: s.from, to };
    });
    return { id: syntheticId.candidate(i), name: `Person ${i}`, experiences: stints };
  });
  return {
    companies: Array.from({ length: n }, (_, i) => ({
      id: syntheticId.company(i),
      name: `Company ${i}`,
      industry: industries[sectorOf[i]],
    })),
    candidates,
    jobs: [],
    skills: [],
    consultants: [],
  };
}

/**
 * A deterministic, generated career graph (no real people) for tests, the link-prediction
 * evaluation and benchmarks. It has the structure the features are meant to find: companies
 * belong to industries, each company sends most leavers to a few habitual destinations (so flows
 * persist over time), company sizes are Zipf-like (hubs exist), people share schools, skills
 * follow industries, and jobs require their industry's skills.
 */
import type { CandidateFacts, GraphProjection, JobFacts, StintFacts } from '../adapters/graph/relation-graph';
import { SeededRandom } from '../shared/random';

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

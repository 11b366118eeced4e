import type { SearchDocument } from '../../../src/adapters/search/search-index';

/**
 * Small candidate fixtures in English and Chinese. Vectors come from a deterministic function of
 * a few hand-assigned topic weights, so the vector ranking is known without a model and differs
 * on purpose from the keyword ranking (e.g. the search-ranking engineer shares meaning with the
 * recommender engineers but few words).
 */
export const TOPICS = ['recsys', 'web', 'data', 'care', 'finance', 'ops'] as const;
type Topic = (typeof TOPICS)[number];
export const DIMS = 16;

/** A fixed pseudo-random vector per seed (mulberry32), used as small, repeatable noise. */
function noise(seed: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < DIMS; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5);
  }
  return out;
}

export function topicVector(weights: Partial<Record<Topic, number>>, seed: number, noiseScale = 0.05): number[] {
  const v = noise(seed).map((x) => x * noiseScale);
  TOPICS.forEach((t, i) => (v[i] += weights[t] ?? 0));
  return v;
}

export const IDS = {
  recsysEn: '11111111-1111-4111-8111-000000000001',
  recsysZh: '11111111-1111-4111-8111-000000000002',
  frontendEn: '11111111-1111-4111-8111-000000000003',
  frontendZh: '11111111-1111-4111-8111-000000000004',
  analyst: '11111111-1111-4111-8111-000000000005',
  nanny: '11111111-1111-4111-8111-000000000006',
  searchRanking: '11111111-1111-4111-8111-000000000007',
  accountant: '11111111-1111-4111-8111-000000000008',
  sre: '11111111-1111-4111-8111-000000000009',
  pythonTeacher: '11111111-1111-4111-8111-00000000000a',
};

interface Spec {
  id: string;
  title: string;
  skills: string;
  experience: string;
  summary: string;
  topic: Partial<Record<Topic, number>>;
  props: SearchDocument['properties'];
}

const SPECS: Spec[] = [
  {
    id: IDS.recsysEn,
    title: 'Senior Recommendation Algorithm Engineer',
    skills: 'PyTorch, TensorFlow, Spark, recommender systems',
    experience: 'Built the ranking models for a video recommendation feed at a large internet company',
    summary: 'Eight years in recommendation and ads ranking',
    topic: { recsys: 1 },
    props: {
      location: 'Shanghai',
      yearsExperience: 8,
      seniority: 'SENIOR',
      skills: ['PyTorch', 'Spark'],
      languages: ['en', 'zh'],
      salaryMin: 600000,
    },
  },
  {
    id: IDS.recsysZh,
    title: '高级算法工程师',
    skills: '推荐系统 PyTorch 深度学习',
    experience: '负责电商推荐系统的召回与排序模型',
    summary: '六年推荐算法经验',
    topic: { recsys: 0.95, data: 0.1 },
    props: {
      location: 'Beijing',
      yearsExperience: 6,
      seniority: 'SENIOR',
      skills: ['pytorch', '推荐系统'],
      languages: ['zh'],
      salaryMin: 500000,
    },
  },
  {
    id: IDS.frontendEn,
    title: 'Frontend Engineer',
    skills: 'React, TypeScript, CSS',
    experience: 'Shipped the checkout web app',
    summary: 'Four years building web interfaces',
    topic: { web: 1 },
    props: {
      location: 'Shanghai',
      yearsExperience: 4,
      seniority: 'MID',
      skills: ['React', 'TypeScript'],
      languages: ['en'],
      salaryMin: 300000,
    },
  },
  {
    id: IDS.frontendZh,
    title: '前端开发工程师',
    skills: 'Vue JavaScript 小程序',
    experience: '负责移动端页面开发',
    summary: '三年前端经验',
    topic: { web: 0.95, ops: 0.1 },
    props: {
      location: 'Shenzhen',
      yearsExperience: 3,
      seniority: 'MID',
      skills: ['Vue', 'JavaScript'],
      languages: ['zh'],
      salaryMin: 250000,
    },
  },
  {
    id: IDS.analyst,
    title: 'Data Analyst',
    skills: 'SQL, Excel, Tableau, Python',
    experience: 'Reporting and dashboards for the sales team',
    summary: 'Turns data into decisions',
    topic: { data: 1, finance: 0.2 },
    props: {
      location: 'Beijing',
      yearsExperience: 2,
      seniority: 'JUNIOR',
      skills: ['SQL', 'Python'],
      languages: ['en'],
      salaryMin: 200000,
    },
  },
  {
    id: IDS.nanny,
    title: 'Nanny',
    skills: 'childcare, first aid, cooking',
    experience: 'Cared for two children for a family',
    summary: 'Patient and reliable',
    topic: { care: 1 },
    props: { location: 'Shanghai', yearsExperience: 10, languages: ['zh'] },
  },
  {
    id: IDS.searchRanking,
    title: 'Search Relevance Scientist',
    skills: 'learning to rank, Elasticsearch, click models',
    experience: 'Improved query understanding and relevance for web search',
    summary: 'Information retrieval specialist',
    topic: { recsys: 0.85, data: 0.3 },
    props: { location: 'Hangzhou', yearsExperience: 9, seniority: 'LEAD', skills: ['Elasticsearch'], languages: ['en'], salaryMin: 700000 },
  },
  {
    id: IDS.accountant,
    title: '税务会计',
    skills: '税务申报 财务报表 Excel',
    experience: '负责公司增值税与所得税申报',
    summary: '注册会计师',
    topic: { finance: 1 },
    props: { location: 'Shanghai', yearsExperience: 5, seniority: 'MID', skills: ['Excel'], languages: ['zh'], salaryMin: 200000 },
  },
  {
    id: IDS.sre,
    title: 'Site Reliability Engineer',
    skills: 'Kubernetes, Terraform, Go, Python',
    experience: 'On call for the payments platform',
    summary: 'Keeps systems running',
    topic: { ops: 1, web: 0.2 },
    props: {
      location: 'Shenzhen',
      yearsExperience: 7,
      seniority: 'SENIOR',
      skills: ['Kubernetes', 'Go', 'Python'],
      languages: ['en'],
      salaryMin: 450000,
    },
  },
  {
    id: IDS.pythonTeacher,
    title: 'Python Teacher',
    skills: 'Python Python Python, teaching, curriculum',
    experience: 'Taught Python to high school students',
    summary: 'Python educator',
    topic: { care: 0.6, data: 0.3 },
    props: { location: 'Beijing', yearsExperience: 12, languages: ['en'] },
  },
];

export const CANDIDATE_DOCS: SearchDocument[] = SPECS.map((s, i) => ({
  id: s.id,
  text: { title: s.title, skills: s.skills, experience: s.experience, summary: s.summary },
  vectors: {
    profile: topicVector(s.topic, 1000 + i),
    title: topicVector(s.topic, 2000 + i, 0.2),
  },
  properties: s.props,
}));

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

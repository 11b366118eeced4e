/**
 * A small career graph whose answers are worked out by hand in the contract suite. It has a
 * talent-flow cycle (A -> B -> C -> A), a boomerang with two stints at one company (frank at A),
 * shared schools with and without overlapping years, a placement and applications.
 */
import type { CandidateFacts, GraphProjection } from '../../../src/adapters/graph/relation-graph';

/** Open stints run to June 2025 in every adapter under test. */
export const FIXTURE_NOW = new Date(Date.UTC(2025, 5, 15));

export const ID = {
  A: 'co-acme',
  B: 'co-bravo',
  C: 'co-cobalt',
  D: 'co-delta',
  E: 'co-echo',
  S1: 'school-tsinghua',
  S2: 'school-mit',
  python: 'skill-python',
  pytorch: 'skill-pytorch',
  sql: 'skill-sql',
  go: 'skill-go',
  k1: 'consultant-kim',
  k2: 'consultant-lee',
  alice: 'cand-alice',
  bob: 'cand-bob',
  carol: 'cand-carol',
  dave: 'cand-dave',
  erin: 'cand-erin',
  frank: 'cand-frank',
  gina: 'cand-gina',
  j1: 'job-ml-lead',
  j2: 'job-go-backend',
  j3: 'job-data-analyst',
} as const;

export const ALICE: CandidateFacts = {
  id: ID.alice,
  name: 'Alice',
  headline: 'Recommender systems',
  ownerId: ID.k1,
  experiences: [
    { companyId: ID.A, title: 'ML Engineer', from: '2015-01-01', to: '2018-12-31' },
    { companyId: ID.B, title: 'Senior ML Engineer', from: '2019-01-01' },
  ],
  education: [{ schoolId: ID.S1, schoolName: 'Tsinghua University', degree: 'BSc', fromYear: 2008, toYear: 2012 }],
  skills: [
    { skillId: ID.python, level: 5, years: 10 },
    { skillId: ID.pytorch, level: 4, years: 6 },
  ],
};

export function careerFixture(): GraphProjection {
  return {
    consultants: [
      { id: ID.k1, name: 'Kim' },
      { id: ID.k2, name: 'Lee' },
    ],
    companies: [
      { id: ID.A, name: 'Acme', industry: 'Internet' },
      { id: ID.B, name: 'Bravo', industry: 'Internet' },
      { id: ID.C, name: 'Cobalt', industry: 'Fintech' },
      { id: ID.D, name: 'Delta', industry: 'Fintech' },
      { id: ID.E, name: 'Echo' },
    ],
    schools: [
      { id: ID.S1, name: 'Tsinghua University' },
      { id: ID.S2, name: 'MIT' },
    ],
    skills: [
      { id: ID.python, name: 'Python' },
      { id: ID.pytorch, name: 'PyTorch' },
      { id: ID.sql, name: 'SQL' },
      { id: ID.go, name: 'Go' },
    ],
    candidates: [
      ALICE,
      {
        id: ID.bob,
        name: 'Bob',
        ownerId: ID.k1,
        experiences: [
          { companyId: ID.A, title: 'Data Engineer', from: '2016-06-01', to: '2020-05-31' },
          { companyId: ID.B, title: 'Senior Data Engineer', from: '2020-06-01', to: '2022-12-31' },
          { companyId: ID.C, title: 'Data Lead', from: '2023-01-01' },
        ],
        education: [{ schoolId: ID.S1, fromYear: 2009, toYear: 2013 }],
        skills: [{ skillId: ID.python }, { skillId: ID.sql }],
        applications: [{ jobId: ID.j1, stage: 'SCREENING', at: '2025-03-01T09:00:00Z' }],
      },
      {
        id: ID.carol,
        name: 'Carol',
        ownerId: ID.k2,
        experiences: [
          { companyId: ID.B, title: 'Research Scientist', from: '2018-01-01', to: '2021-12-31' },
          { companyId: ID.C, title: 'ML Lead', from: '2022-01-01' },
        ],
        education: [{ schoolId: ID.S2, fromYear: 2010, toYear: 2014 }],
        skills: [{ skillId: ID.pytorch }, { skillId: ID.go }],
        placements: [{ jobId: ID.j1, startDate: '2022-01-01' }],
      },
      {
        id: ID.dave,
        name: 'Dave',
        experiences: [
          { companyId: ID.A, title: 'Engineer', from: '2010-01-01', to: '2014-12-31' },
          { companyId: ID.C, title: 'Engineer', from: '2015-01-01', to: '2019-12-31' },
          { companyId: ID.D, title: 'CTO', from: '2020-01-01' },
        ],
        education: [{ schoolId: ID.S1, fromYear: 2005, toYear: 2009 }],
      },
      {
        id: ID.erin,
        name: 'Erin',
        experiences: [{ companyId: ID.D, title: 'Backend Engineer', from: '2021-01-01' }],
        education: [{ schoolId: ID.S2, fromYear: 2011, toYear: 2015 }],
        skills: [{ skillId: ID.go }, { skillId: ID.sql }],
        applications: [{ jobId: ID.j2, stage: 'INTERVIEW' }],
      },
      {
        id: ID.frank,
        name: 'Frank',
        experiences: [
          { companyId: ID.A, title: 'Intern', from: '2010-01-01', to: '2011-12-31' },
          { companyId: ID.C, title: 'Engineer', from: '2012-01-01', to: '2016-12-31' },
          { companyId: ID.A, title: 'Staff Engineer', from: '2017-01-01', to: '2021-06-30' },
          { companyId: ID.B, title: 'Principal Engineer', from: '2021-07-01' },
        ],
      },
      {
        id: ID.gina,
        name: 'Gina',
        experiences: [{ companyId: ID.E, title: 'Analyst', from: '2019-03-01' }],
        skills: [{ skillId: ID.sql }],
      },
    ],
    jobs: [
      {
        id: ID.j1,
        title: 'ML Lead',
        companyId: ID.C,
        status: 'OPEN',
        ownerId: ID.k2,
        skills: [
          { skillId: ID.pytorch, requirement: 'REQUIRED' },
          { skillId: ID.python, requirement: 'PREFERRED' },
        ],
      },
      {
        id: ID.j2,
        title: 'Go Backend Engineer',
        companyId: ID.D,
        status: 'OPEN',
        skills: [
          { skillId: ID.go, requirement: 'REQUIRED' },
          { skillId: ID.sql, requirement: 'REQUIRED' },
        ],
      },
      { id: ID.j3, title: 'Data Analyst', companyId: ID.A, status: 'CLOSED', skills: [{ skillId: ID.python, requirement: 'REQUIRED' }] },
    ],
  };
}

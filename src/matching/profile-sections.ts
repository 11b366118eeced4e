/**
 * What a consultant skims in a profile, section by section: the text each search section holds
 * (BM25 fields and the named vectors share these sections), built from data-hub rows. Pure, so the
 * projection, "candidates for this job" and the tests build the same sections.
 */
import type { CandidateRow, ExperienceRow, JobRow, OccupationRow, SkillRow } from '../hub/repositories/profile-rows';

export type { CandidateRow, ExperienceRow, JobRow, OccupationRow, SkillRow };

export type Sections = Record<string, string>;

/** Experience lines, most recent first, capped so one long career does not drown the rest. */
const MAX_EXPERIENCE_LINES = 8;

export function candidateSections(c: CandidateRow, experiences: ExperienceRow[], skills: SkillRow[]): Sections {
  const titles = [c.current_title, c.headline, ...c.desired_roles].filter((t): t is string => Boolean(t?.trim()));
  return {
    title: unique(titles).join(' | '),
    skills: skills.map((s) => s.name).join(', '),
    experience: experiences
      .slice(0, MAX_EXPERIENCE_LINES)
      .map((e) => [`${e.title} @ ${e.company_name}`, e.description].filter(Boolean).join(': '))
      .join('\n'),
    summary: c.summary ?? '',
  };
}

export function jobSections(j: JobRow, skills: SkillRow[]): Sections {
  const required = skills.filter((s) => s.weight === 'REQUIRED').map((s) => s.name);
  const preferred = skills.filter((s) => s.weight !== 'REQUIRED').map((s) => s.name);
  return {
    title: j.title,
    skills: [...required, ...preferred].join(', '),
    description: j.description ?? '',
  };
}

export function occupationSections(o: OccupationRow): Sections {
  return { title: o.title, alternateTitles: o.alternate_titles.join(' | '), description: o.description ?? '' };
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.trim().toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

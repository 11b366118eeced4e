import type { EmbedPriority, Embedder } from '../adapters/embedding/embedder';
import { l2Normalize } from '../adapters/embedding/pooling';

/** What embedProfile reads from a candidate or a job; both map onto it. */
export interface ProfileText {
  title?: string | null;
  skills?: readonly string[] | null;
  experiences?: readonly { title: string; company?: string | null; description?: string | null }[] | null;
  summary?: string | null;
}

export type ProfileSection = 'title' | 'skills' | 'experience' | 'summary';

export interface ProfileVectors {
  /** One vector per section that has text; absent sections are omitted, never zero vectors. */
  sections: Partial<Record<ProfileSection, Float32Array>>;
  /** One vector per experience line, in input order (the `experience` section is their mean). */
  experiences: Float32Array[];
  /** Weighted fusion of the present sections, unit length; null when the profile has no text. */
  profile: Float32Array | null;
}

/**
 * Section weights of the fused profile vector. The title and the skills carry most of what a
 * consultant matches on ("senior recommender engineer" + "PyTorch"); experience lines add the
 * domain; a free-text summary is the least specific. Weights are renormalised over the sections
 * present, so a profile without a summary is not penalised.
 */
export const DEFAULT_SECTION_WEIGHTS: Readonly<Record<ProfileSection, number>> = {
  title: 0.35,
  skills: 0.3,
  experience: 0.25,
  summary: 0.1,
};

/**
 * Embeds a profile field by field, as consultants read it, so search can weight sections.
 *
 * Fusion: profile = normalize(sum_s w_s * v_s) over present sections s, with w_s from `weights`
 * divided by their sum over present sections. Each v_s is unit length, so w_s is the section's
 * share of the fused direction. The experience section is the normalised mean of its lines.
 */
export async function embedProfile(
  embedder: Embedder,
  profile: ProfileText,
  weights: Readonly<Record<ProfileSection, number>> = DEFAULT_SECTION_WEIGHTS,
): Promise<ProfileVectors> {
  const [out] = await embedProfiles(embedder, [profile], { weights });
  return out;
}

/**
 * embedProfile for many profiles with one embedder call (kind "passage"): every section text of every
 * profile goes in together, so the embedder fills its token-budget batches across profiles instead of
 * running one small batch per profile. A text that occurs in several profiles (a common title, a skill
 * list) is sent once. Each profile gets the vectors embedProfile gives it alone, up to the float noise
 * of different batch shapes. `priority` is the embedder's (default bulk): interactive when a request waits.
 */
export async function embedProfiles(
  embedder: Embedder,
  profiles: readonly ProfileText[],
  {
    weights = DEFAULT_SECTION_WEIGHTS,
    priority = 'bulk',
  }: { weights?: Readonly<Record<ProfileSection, number>>; priority?: EmbedPriority } = {},
): Promise<ProfileVectors[]> {
  const unique = new Map<string, number>();
  const slot = (text: string): number => {
    let i = unique.get(text);
    if (i === undefined) unique.set(text, (i = unique.size));
    return i;
  };
  const layouts = profiles.map((p) => sectionSlots(p, slot));
  const vectors = unique.size > 0 ? await embedder.embed([...unique.keys()], { kind: 'passage', priority }) : [];
  return layouts.map((at) => fuse(embedder.dimensions, at, vectors, weights));
}

/** Where each section's text sits in the shared text list. */
interface SectionSlots {
  title?: number;
  skills?: number;
  lines: number[];
  summary?: number;
}

function sectionSlots(profile: ProfileText, slot: (text: string) => number): SectionSlots {
  const clean = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  const title = clean(profile.title);
  const skills = (profile.skills ?? []).map(clean).filter(Boolean);
  const lines = (profile.experiences ?? [])
    .map((e) => [clean(e.title), clean(e.company), clean(e.description)].filter(Boolean).join(' — '))
    .filter(Boolean);
  const summary = clean(profile.summary);
  return {
    ...(title ? { title: slot(title) } : {}),
    // Skills as one comma list: the model sees them together, as a consultant does.
    ...(skills.length > 0 ? { skills: slot(skills.join(', ')) } : {}),
    lines: lines.map(slot),
    ...(summary ? { summary: slot(summary) } : {}),
  };
}

function fuse(
  dimensions: number,
  at: SectionSlots,
  vectors: Float32Array[],
  weights: Readonly<Record<ProfileSection, number>>,
): ProfileVectors {
  const sections: Partial<Record<ProfileSection, Float32Array>> = {};
  for (const s of ['title', 'skills', 'summary'] as const) {
    if (at[s] !== undefined) sections[s] = vectors[at[s]];
  }
  const experiences = at.lines.map((i) => vectors[i]);
  if (experiences.length > 0) {
    const mean = new Float32Array(dimensions);
    for (const v of experiences) for (let d = 0; d < mean.length; d++) mean[d] += v[d];
    sections.experience = l2Normalize(mean);
  }

  const present = (Object.keys(sections) as ProfileSection[]).filter((s) => weights[s] > 0);
  const total = present.reduce((acc, s) => acc + weights[s], 0);
  let fused: Float32Array | null = null;
  if (present.length > 0 && total > 0) {
    fused = new Float32Array(dimensions);
    for (const s of present) {
      const w = weights[s] / total;
      const v = sections[s]!;
      for (let d = 0; d < fused.length; d++) fused[d] += w * v[d];
    }
    l2Normalize(fused);
  }
  return { sections, experiences, profile: fused };
}

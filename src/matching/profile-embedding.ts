import type { Embedder } from '../adapters/embedding/embedder';
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
 * All texts go to the embedder in one call (kind "passage"), so a profile costs one batch.
 */
export async function embedProfile(
  embedder: Embedder,
  profile: ProfileText,
  weights: Readonly<Record<ProfileSection, number>> = DEFAULT_SECTION_WEIGHTS,
): Promise<ProfileVectors> {
  const clean = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  const texts: string[] = [];
  const slot = (text: string): number => texts.push(text) - 1;

  const title = clean(profile.title);
  const skills = (profile.skills ?? []).map(clean).filter(Boolean);
  const lines = (profile.experiences ?? [])
    .map((e) => [clean(e.title), clean(e.company), clean(e.description)].filter(Boolean).join(' — '))
    .filter(Boolean);
  const summary = clean(profile.summary);

  const at: Partial<Record<ProfileSection, number>> = {};
  if (title) at.title = slot(title);
  // Skills as one comma list: the model sees them together, as a consultant does.
  if (skills.length > 0) at.skills = slot(skills.join(', '));
  const lineSlots = lines.map(slot);
  if (summary) at.summary = slot(summary);

  const vectors = texts.length > 0 ? await embedder.embed(texts, { kind: 'passage' }) : [];
  const sections: Partial<Record<ProfileSection, Float32Array>> = {};
  for (const s of ['title', 'skills', 'summary'] as const) {
    if (at[s] !== undefined) sections[s] = vectors[at[s]];
  }
  const experiences = lineSlots.map((i) => vectors[i]);
  if (experiences.length > 0) {
    const mean = new Float32Array(embedder.dimensions);
    for (const v of experiences) for (let d = 0; d < mean.length; d++) mean[d] += v[d];
    sections.experience = l2Normalize(mean);
  }

  const present = (Object.keys(sections) as ProfileSection[]).filter((s) => weights[s] > 0);
  const total = present.reduce((acc, s) => acc + weights[s], 0);
  let fused: Float32Array | null = null;
  if (present.length > 0 && total > 0) {
    fused = new Float32Array(embedder.dimensions);
    for (const s of present) {
      const w = weights[s] / total;
      const v = sections[s]!;
      for (let d = 0; d < fused.length; d++) fused[d] += w * v[d];
    }
    l2Normalize(fused);
  }
  return { sections, experiences, profile: fused };
}

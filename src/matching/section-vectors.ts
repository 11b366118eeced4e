import type { EmbedKind, Embedder } from '../embedding/embedder';
import type { Sections } from './profile-sections';

/**
 * How much each section speaks for the whole profile. Titles and skills carry what separates two
 * senior roles (the stack, the domain); the summary is often boilerplate, so it weighs least.
 */
export const PROFILE_WEIGHTS: Readonly<Record<string, number>> = {
  title: 0.35,
  skills: 0.25,
  experience: 0.25,
  description: 0.3,
  summary: 0.1,
  alternateTitles: 0.2,
};

/**
 * Embeds every non-empty section of every profile in one call (the embedder batches by length) and
 * adds `profile`: the weighted mean of the section vectors, renormalised to unit length. Empty
 * sections get no vector, and their weight is spread over the others.
 */
export async function embedSections(
  embedder: Embedder,
  profiles: Sections[],
  kind: EmbedKind = 'passage',
): Promise<Record<string, Float32Array>[]> {
  const jobs: { profile: number; section: string; text: string }[] = [];
  profiles.forEach((sections, profile) => {
    for (const [section, text] of Object.entries(sections)) if (text.trim()) jobs.push({ profile, section, text });
  });
  const vectors = jobs.length
    ? await embedder.embed(
        jobs.map((j) => j.text),
        { kind },
      )
    : [];
  const out: Record<string, Float32Array>[] = profiles.map(() => ({}));
  jobs.forEach((j, i) => {
    out[j.profile][j.section] = vectors[i];
  });
  for (const named of out) {
    const parts = Object.entries(named);
    if (parts.length === 0) continue;
    const fused = new Float32Array(parts[0][1].length);
    for (const [section, v] of parts) {
      const w = PROFILE_WEIGHTS[section] ?? 0.1;
      for (let d = 0; d < fused.length; d++) fused[d] += w * v[d];
    }
    const norm = Math.hypot(...fused) || 1;
    for (let d = 0; d < fused.length; d++) fused[d] /= norm;
    named.profile = fused;
  }
  return out;
}

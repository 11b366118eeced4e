import { contributions, featureVector, FEATURE_LABELS, type MatchComponents, type MatchScoreModel } from './match-score-model';

/** A stored score with what the audit groups its candidate by (read for the audit only; none enters a score). */
export interface AuditRow {
  jobId: string;
  candidateId: string;
  components: MatchComponents;
  location: string | null;
  yearsExperience: number | null;
  languages: string[];
}

export interface GroupAudit {
  dimension: 'location' | 'years' | 'language';
  group: string;
  rows: number;
  candidates: number;
  score: { mean: number; p10: number; p50: number; p90: number };
  /** Share of the group's scored rows that rank within the top `top` of their job. */
  selectionRate: number;
  /** selectionRate over the overall rate: below 0.8 is flagged (the four-fifths rule of thumb). */
  ratio: number;
  /** The component whose removal moves this group's selection rate most, and by how much (percentage points). */
  mostMoving: { feature: string; change: number };
}

export interface AuditReport {
  model: string;
  top: number;
  rows: number;
  jobs: number;
  overallRate: number;
  groups: GroupAudit[];
}

export function yearsBand(years: number | null): string {
  if (years === null) return 'unknown';
  if (years < 3) return '0-2 years';
  if (years < 6) return '3-5 years';
  if (years < 11) return '6-10 years';
  if (years < 16) return '11-15 years';
  return '16+ years';
}

/**
 * Score distributions and selection rates (rank within `top` of the job's stored candidates) by location,
 * years-of-experience band and language, and for each group the component whose removal (its value set
 * to the training mean, so it adds nothing to the log-odds) changes the group's selection rate most. Only
 * the stored top K of each job is re-ranked: a candidate outside it cannot enter by a removal.
 */
export function auditScores(model: MatchScoreModel, rows: readonly AuditRow[], top = 10, locations = 8): AuditReport {
  const x = rows.map((r) => featureVector(r.components, model.features));
  const logit = (drop: number) => x.map((v) => contributions(model, v).reduce((s, c, j) => (j === drop ? s : s + c), model.fitted.bias));
  const selectedBy = (scores: number[]) => {
    const byJob = new Map<string, number[]>();
    rows.forEach((r, i) => {
      if (!byJob.has(r.jobId)) byJob.set(r.jobId, []);
      byJob.get(r.jobId)!.push(i);
    });
    const selected = new Uint8Array(rows.length);
    for (const idx of byJob.values()) {
      idx.sort((a, b) => scores[b] - scores[a] || (rows[a].candidateId < rows[b].candidateId ? 1 : -1));
      for (const i of idx.slice(0, top)) selected[i] = 1;
    }
    return selected;
  };
  const full = logit(-1);
  const prob = full.map((s) => 1 / (1 + Math.exp(-s)));
  const base = selectedBy(full);
  const without = model.features.map((_, j) => selectedBy(logit(j)));
  const overall = base.reduce((s, v) => s + v, 0) / Math.max(1, rows.length);

  const commonPlaces = new Map<string, number>();
  for (const r of rows) if (r.location) commonPlaces.set(r.location, (commonPlaces.get(r.location) ?? 0) + 1);
  const kept = new Set(
    [...commonPlaces.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, locations)
      .map(([l]) => l),
  );
  const memberships: [GroupAudit['dimension'], string, number][] = [];
  rows.forEach((r, i) => {
    memberships.push(['location', r.location === null ? 'unknown' : kept.has(r.location) ? r.location : 'other', i]);
    memberships.push(['years', yearsBand(r.yearsExperience), i]);
    for (const l of r.languages.length ? r.languages : ['unknown']) memberships.push(['language', l, i]);
  });
  const groups = new Map<string, { dimension: GroupAudit['dimension']; group: string; idx: number[] }>();
  for (const [dimension, group, i] of memberships) {
    const key = `${dimension}\u0000${group}`;
    if (!groups.has(key)) groups.set(key, { dimension, group, idx: [] });
    groups.get(key)!.idx.push(i);
  }
  const rate = (sel: Uint8Array, idx: number[]) => idx.reduce((s, i) => s + sel[i], 0) / idx.length;
  const out: GroupAudit[] = [...groups.values()].map(({ dimension, group, idx }) => {
    const sorted = idx.map((i) => prob[i]).sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const selectionRate = rate(base, idx);
    const moves = model.features.map((f, j) => ({ feature: FEATURE_LABELS[f], change: 100 * (rate(without[j], idx) - selectionRate) }));
    moves.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
    return {
      dimension,
      group,
      rows: idx.length,
      candidates: new Set(idx.map((i) => rows[i].candidateId)).size,
      score: { mean: sorted.reduce((s, v) => s + v, 0) / sorted.length, p10: q(0.1), p50: q(0.5), p90: q(0.9) },
      selectionRate,
      ratio: overall > 0 ? selectionRate / overall : NaN,
      mostMoving: moves[0],
    };
  });
  const order = { location: 0, years: 1, language: 2 };
  out.sort((a, b) => order[a.dimension] - order[b.dimension] || b.rows - a.rows || (a.group < b.group ? -1 : 1));
  return { model: model.version, top, rows: rows.length, jobs: new Set(rows.map((r) => r.jobId)).size, overallRate: overall, groups: out };
}

export function formatAudit(r: AuditReport): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `model ${r.model}: ${r.rows} stored scores in ${r.jobs} jobs; selected = rank <= ${r.top} in its job; overall selection rate ${pct(r.overallRate)}`,
    '',
    [
      'dimension',
      'group',
      'rows',
      'candidates',
      'score mean',
      'p10',
      'p50',
      'p90',
      'selected',
      'ratio',
      'flag',
      'removal that moves it most',
    ].join('\t'),
  ];
  for (const g of r.groups) {
    lines.push(
      [
        g.dimension,
        g.group,
        g.rows,
        g.candidates,
        g.score.mean.toFixed(3),
        g.score.p10.toFixed(3),
        g.score.p50.toFixed(3),
        g.score.p90.toFixed(3),
        pct(g.selectionRate),
        Number.isNaN(g.ratio) ? '-' : g.ratio.toFixed(2),
        g.ratio < 0.8 ? 'below 4/5' : '',
        `${g.mostMoving.feature} ${g.mostMoving.change >= 0 ? '+' : ''}${g.mostMoving.change.toFixed(1)} pp`,
      ].join('\t'),
    );
  }
  return lines.join('\n');
}

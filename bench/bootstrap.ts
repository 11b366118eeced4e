/**
 * Percentile bootstrap over queries: how far a mean metric moves when the queries are resampled, so
 * a difference between two rankings can be told from noise. Deterministic (seeded), so two runs of
 * the evaluation print the same intervals for the same rankings.
 */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/** 95% interval of the mean of `values` (one per query), from `reps` resamples. */
export function bootstrapMean(values: readonly number[], reps = 1000, seed = 1): Interval {
  return bootstrap(values.length, (i) => values[i], reps, seed);
}

/**
 * 95% interval of mean(b - a) over the same queries (a paired bootstrap): a change wins outside the
 * noise when the whole interval lies above 0.
 */
export function bootstrapDiff(a: readonly number[], b: readonly number[], reps = 1000, seed = 1): Interval {
  if (a.length !== b.length) throw new Error(`paired bootstrap needs equal lengths, got ${a.length} and ${b.length}`);
  return bootstrap(a.length, (i) => b[i] - a[i], reps, seed);
}

function bootstrap(n: number, value: (i: number) => number, reps: number, seed: number): Interval {
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN };
  let total = 0;
  for (let i = 0; i < n; i++) total += value(i);
  const random = mulberry32(seed);
  const means = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += value(Math.floor(random() * n));
    means[r] = s / n;
  }
  means.sort();
  return { mean: total / n, lo: means[Math.floor(0.025 * (reps - 1))], hi: means[Math.ceil(0.975 * (reps - 1))] };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function formatInterval(i: Interval, digits = 3): string {
  return `${i.mean.toFixed(digits)} [${i.lo.toFixed(digits)}, ${i.hi.toFixed(digits)}]`;
}

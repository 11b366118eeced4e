import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

// Module-level aliases: under jest's VM sandbox every `Math.x` is a slow global lookup, and
// these run millions of times per data set.
const { floor, max, sqrt, log, cos, PI } = Math;

/** A table for drawing indices in proportion to weights. */
export interface WeightTable {
  /** Running totals; the last is the sum of the weights. */
  cumulative: Float64Array;
}

export function weightTable(weights: ArrayLike<number>): WeightTable {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += max(0, weights[i]);
    cumulative[i] = total;
  }
  return { cumulative };
}

/**
 * Seeded random draws (pure-rand's xoroshiro128+ underneath): the same sequence for a seed on every
 * platform. The demo generator's records and the generated career graph are built from these, so a
 * change to the sequence changes every generated data set for its seed.
 *
 * {@link SeededRandom.forRecord} gives each record its own stream derived from (seed, stream, index),
 * so a record's content does not depend on how many draws earlier records made: changing how jobs are
 * described does not reshuffle every candidate.
 */
export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  static forRecord(seed: number, stream: number, index: number): SeededRandom {
    return new SeededRandom(mixSeed(seed, stream, index));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.float() * items.length)];
  }

  /** An index drawn in proportion to the table's weights; -1 when all weights are 0. */
  weighted(table: WeightTable): number {
    const c = table.cumulative;
    const n = c.length;
    if (n === 0 || c[n - 1] <= 0) return -1;
    const target = this.float() * c[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Approximately normal (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * sqrt(-2 * log(u)) * cos(2 * PI * v);
  }
}

/**
 * Hand-written on purpose: pure-rand seeds from one 32-bit number, so the three inputs are
 * folded into one with the MurmurHash3 finaliser (a few lines; no package offers just this).
 */
export function mixSeed(seed: number, stream: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(stream + 1, 0xc2b2ae35), 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ Math.imul(index + 1, 0x165667b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

import { bootstrapDiff, bootstrapMean } from '../../../bench/bootstrap';

describe('bootstrap intervals', () => {
  it('bracket the mean, narrow with more queries, and repeat for the same seed', () => {
    const few = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const many = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const a = bootstrapMean(few);
    expect(a.lo).toBeLessThanOrEqual(a.mean);
    expect(a.hi).toBeGreaterThanOrEqual(a.mean);
    const b = bootstrapMean(many);
    expect(b.hi - b.lo).toBeLessThan(a.hi - a.lo);
    expect(bootstrapMean(few)).toEqual(a);
  });

  it('a paired difference of identical rankings is exactly 0; a consistent gain lies above 0', () => {
    const base = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    expect(bootstrapDiff(base, base)).toEqual({ mean: 0, lo: 0, hi: 0 });
    const better = base.map((v, i) => (i % 4 === 1 ? 1 : v));
    expect(bootstrapDiff(base, better).lo).toBeGreaterThan(0);
  });
});

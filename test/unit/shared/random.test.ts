import { SeededRandom, mixSeed, weightTable } from '../../../src/shared/random';

describe('SeededRandom', () => {
  it('draws the same numbers for a seed as it always has (the demo data and the generated graph depend on them)', () => {
    const rng = new SeededRandom(1);
    expect([rng.float(), rng.float(), rng.float()]).toEqual([0.9999999832216382, 0.8125200422980502, 0.644731441288903]);
    expect(mixSeed(42, 3, 7)).toBe(1994748029);
    const record = SeededRandom.forRecord(42, 3, 7);
    expect([record.int(0, 1e6), record.int(0, 1e6), record.int(0, 1e6)]).toEqual([275938, 751076, 834752]);
  });

  it('repeats a stream for the same seed and record, and not for neighbours', () => {
    const draw = (seed: number, stream: number, index: number) => {
      const rng = SeededRandom.forRecord(seed, stream, index);
      return Array.from({ length: 5 }, () => rng.int(0, 1_000_000));
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 2, 4));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 3, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(2, 2, 3));
    expect(new Set(Array.from({ length: 10_000 }, (_, i) => mixSeed(7, 1, i))).size).toBe(10_000);
  });

  it('draws indices in proportion to their weights and never a zero weight', () => {
    const rng = new SeededRandom(11);
    const table = weightTable([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[rng.weighted(table)]++;
    expect(counts[1]).toBe(0);
    // Expected 2,000 / 6,000 / 12,000; 5 % tolerance is over 5 standard deviations.
    expect(Math.abs(counts[0] - 2000)).toBeLessThan(200);
    expect(Math.abs(counts[2] - 6000)).toBeLessThan(300);
    expect(Math.abs(counts[3] - 12000)).toBeLessThan(600);
    expect(rng.weighted(weightTable([0, 0]))).toBe(-1);
  });

  it('keeps int() within its inclusive bounds', () => {
    const rng = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(-2, 2));
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
  });
});

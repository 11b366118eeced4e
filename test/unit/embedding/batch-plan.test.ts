import { planBatches } from '../../../src/adapters/embedding/batch-plan';

describe('planBatches', () => {
  it('groups texts of similar length and covers every index exactly once', () => {
    const counts = [300, 5, 7, 290, 6, 310, 8, 5];
    const batches = planBatches(counts, 4, 10_000);
    const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
    expect(seen).toEqual(counts.map((_, i) => i));
    // Short titles are not padded to the paragraphs' length.
    expect(batches[0]).toEqual({ indices: [1, 7, 4, 2], length: 7 });
    expect(batches[1]).toEqual({ indices: [6, 3, 0, 5], length: 310 });
  });

  it('respects the padded-token budget and still admits a single over-long text', () => {
    const batches = planBatches([512, 512, 512], 32, 1024);
    expect(batches.map((b) => b.indices.length)).toEqual([2, 1]);
    expect(planBatches([4000], 32, 1024)).toEqual([{ indices: [0], length: 4000 }]);
  });

  it('plans nothing for no texts and rejects a batch size below 1', () => {
    expect(planBatches([], 8, 100)).toEqual([]);
    expect(() => planBatches([1], 0, 100)).toThrow(RangeError);
  });
});

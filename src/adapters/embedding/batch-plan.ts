/**
 * Length bucketing: texts are sorted by token count and cut into batches, so each batch is padded
 * only to the longest text in it instead of the longest text overall. With mixed lengths (titles
 * next to resume paragraphs) this removes most of the padding the model would otherwise compute.
 * Pure; unit-tested.
 */
export interface Batch {
  /** Positions in the caller's input array, in the order they appear in the batch. */
  indices: number[];
  /** Padded sequence length of this batch (its longest member). */
  length: number;
}

export function planBatches(tokenCounts: readonly number[], maxBatchSize: number, maxBatchTokens: number): Batch[] {
  if (maxBatchSize < 1) throw new RangeError(`maxBatchSize must be >= 1, got ${maxBatchSize}`);
  const order = tokenCounts.map((_, i) => i).sort((a, b) => tokenCounts[a] - tokenCounts[b] || a - b);
  const batches: Batch[] = [];
  let current: Batch | null = null;
  for (const i of order) {
    const len = tokenCounts[i];
    // Longest-so-far is `len` because the order is ascending, so the padded size is len * (n + 1).
    if (current && current.indices.length < maxBatchSize && len * (current.indices.length + 1) <= Math.max(maxBatchTokens, len)) {
      current.indices.push(i);
      current.length = len;
    } else {
      current = { indices: [i], length: len };
      batches.push(current);
    }
  }
  return batches;
}

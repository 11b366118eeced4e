/**
 * Keeps the k best scored ids with a bounded min-heap: O(n log k) instead of sorting every scored
 * document. Hand-written because it is 40 lines and the maintained heap packages on npm either
 * lack a bounded mode or pull in a generic comparator per push, which the vector scan does once
 * per document per query. Ties rank lower ids first, so results are deterministic.
 */
export interface Scored {
  id: string;
  score: number;
}

export function topK(k: number): { push(id: string, score: number): void; result(): Scored[] } {
  const heap: Scored[] = [];
  // "worse" = lower score, or equal score and larger id.
  const worse = (a: Scored, b: Scored) => a.score < b.score || (a.score === b.score && a.id > b.id);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  return {
    push(id, score) {
      if (k <= 0) return;
      const item = { id, score };
      if (heap.length < k) {
        heap.push(item);
        up(heap.length - 1);
      } else if (worse(heap[0], item)) {
        heap[0] = item;
        down(0);
      }
    },
    result() {
      return [...heap].sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
    },
  };
}

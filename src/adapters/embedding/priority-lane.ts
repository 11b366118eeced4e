import type { EmbedKind } from './embedder';

/**
 * One forward pass at a time, queries first. The model's session already uses every core for one
 * pass, so running passes side by side only makes each slower; what matters is which pass goes next.
 * A search query (kind "query") is queued ahead of every waiting passage batch, so a user's query
 * waits for at most the one batch already running, however much bulk work the projector has queued.
 * Within a kind, tasks run in the order they were submitted.
 */
export class PriorityLane {
  private busy = false;
  private readonly waiting: Record<EmbedKind, (() => void)[]> = { query: [], passage: [] };

  /** Tasks waiting to start (not counting the one running). */
  get queued(): number {
    return this.waiting.query.length + this.waiting.passage.length;
  }

  async run<T>(kind: EmbedKind, task: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((start) => this.waiting[kind].push(start));
    else this.busy = true;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task, so a task arriving meanwhile cannot overtake it.
      const next = this.waiting.query.shift() ?? this.waiting.passage.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}

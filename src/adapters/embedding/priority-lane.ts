import type { EmbedPriority } from './embedder';

/**
 * One forward pass at a time, interactive work first. The model's session already uses every core for
 * one pass, so running passes side by side only makes each slower; what matters is which pass goes
 * next. A pass someone is waiting for (priority "interactive": a search query, a reranker's passages)
 * is queued ahead of every waiting bulk pass, so a request waits for at most the one pass already
 * running, however much the projector has queued. Within a priority, tasks run in the order they
 * were submitted.
 */
export class PriorityLane {
  private busy = false;
  private readonly waiting: Record<EmbedPriority, (() => void)[]> = { interactive: [], bulk: [] };

  /** Tasks waiting to start (not counting the one running). */
  get queued(): number {
    return this.waiting.interactive.length + this.waiting.bulk.length;
  }

  async run<T>(priority: EmbedPriority, task: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((start) => this.waiting[priority].push(start));
    else this.busy = true;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task, so a task arriving meanwhile cannot overtake it.
      const next = this.waiting.interactive.shift() ?? this.waiting.bulk.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}

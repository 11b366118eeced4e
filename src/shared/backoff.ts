/** How long to wait between attempts: the first step, the cap, and the spread of the jitter. */
export interface BackoffPolicy {
  baseMs: number;
  /** Cap on the step before jitter: a delay is at most `maxMs * jitter[1]`. */
  maxMs: number;
  /** The delay is `step * f`, `f` uniform in [low, high): retries of many callers spread out instead of arriving together. */
  jitter: readonly [low: number, high: number];
}

/**
 * Delay in whole milliseconds before attempt `attempt + 1` (`attempt` counts from 1): the step doubles
 * per attempt from `baseMs` up to `maxMs`, then jitter scales it. `random` is for tests.
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const [low, high] = policy.jitter;
  return Math.round(step * (low + (high - low) * random()));
}

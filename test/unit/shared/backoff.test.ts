import { backoffMs } from '../../../src/shared/backoff';

describe('backoffMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, jitter: [0.8, 1.2] as const };

  it('doubles the step per attempt from the base, capped', () => {
    expect(backoffMs(1, policy, () => 0.5)).toBe(1000);
    expect(backoffMs(4, policy, () => 0.5)).toBe(8000);
    expect(backoffMs(30, policy, () => 0.5)).toBe(60_000);
  });

  it('spreads the step over the jitter range', () => {
    expect(backoffMs(4, policy, () => 0)).toBe(6400);
    expect(backoffMs(4, policy, () => 1)).toBe(9600);
    const half = { ...policy, jitter: [0.5, 1] as const };
    expect(backoffMs(2, half, () => 0)).toBe(1000);
    expect(backoffMs(2, half, () => 0.999)).toBe(1999);
  });

  it('jitters at the cap too, so capped retries still spread out', () => {
    const half = { ...policy, jitter: [0.5, 1] as const };
    expect(backoffMs(40, half, () => 0)).toBe(30_000);
  });
});

import { schoolId } from '../../src/network/graph-facts';
import { backoffMs, coalesce } from '../../src/sync/projector';

describe('projector helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    const o = { baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect(backoffMs(1, o, () => 0.5)).toBe(1000);
    expect(backoffMs(4, o, () => 0.5)).toBe(8000);
    expect(backoffMs(30, o, () => 0.5)).toBe(60_000);
    expect(backoffMs(4, o, () => 0)).toBe(6400);
    expect(backoffMs(4, o, () => 1)).toBe(9600);
  });

  it('keeps the newest event per record, in outbox order', () => {
    const e = (seq: string, id: string, kind: 'UPSERT' | 'DELETE' = 'UPSERT') => ({ seq, id, kind, type: 'candidate' as const });
    expect(coalesce([e('1', 'a'), e('2', 'b'), e('3', 'a', 'DELETE')])).toEqual([e('2', 'b'), e('3', 'a', 'DELETE')]);
  });

  it('derives one stable school id per normalised name', () => {
    expect(schoolId('Tsinghua  University')).toBe(schoolId(' tsinghua university'));
    expect(schoolId('Tsinghua University')).not.toBe(schoolId('Peking University'));
    expect(schoolId('MIT')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

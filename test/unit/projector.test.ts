import { schoolId } from '../../src/network/graph-facts';
import { coalesce } from '../../src/sync/projector';

describe('projector helpers', () => {
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

import { createHash } from 'node:crypto';
import { schoolId } from '../../src/network/graph-facts';

/** RFC 4122 section 4.3, written out: SHA-1 over the namespace's 16 bytes and the name, version 5, variant 10. */
function rfc4122v5(name: string, namespace: string): string {
  const h = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

describe('school node ids', () => {
  it('are RFC 4122 version 5 UUIDs of the normalised name in MatchHub namespace', () => {
    expect(rfc4122v5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2'); // RFC's DNS example
    expect(schoolId('Tsinghua University')).toBe(rfc4122v5('tsinghua university', 'accd1dca-05fa-45f3-b873-9e0172439607'));
    expect(schoolId('清华大学')).toBe(rfc4122v5('清华大学', 'accd1dca-05fa-45f3-b873-9e0172439607'));
  });

  it('give the same school written differently one id, and different schools different ids', () => {
    expect(schoolId('  Tsinghua   University ')).toBe(schoolId('tsinghua university'));
    expect(schoolId('Peking University')).not.toBe(schoolId('Tsinghua University'));
  });
});

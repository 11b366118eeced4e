import { checkCitations, CitationFilter } from '../../../src/rag/citations';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const X = '99999999-9999-4999-8999-999999999999';
const allowed = new Set([A, B]);

function streamed(chunks: string[]): { text: string; kept: string[]; rejected: string[] } {
  const f = new CitationFilter(allowed);
  const text = chunks.map((c) => f.push(c)).join('') + f.end();
  return { text, ...f.result() };
}

describe('citation checks', () => {
  it('keeps retrieved ids, removes invented ones and reports them', () => {
    const r = checkCitations(`Ana fits [${A}]. Bo too [${X}]. Both [${A}, ${X}].`, allowed);
    expect(r.text).toBe(`Ana fits [${A}]. Bo too . Both [${A}].`);
    expect(r.kept).toEqual([A]);
    expect(r.rejected).toEqual([X]);
  });

  it('gives the same text however the stream is cut, a bracket split across chunks included', () => {
    const whole = `See [${A}] and [${X}] and [${B}; ${A}].`;
    const once = checkCitations(whole, allowed);
    for (const size of [1, 2, 3, 7, 13, 40]) {
      const chunks = whole.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect(streamed(chunks)).toEqual({ text: once.text, kept: once.kept, rejected: once.rejected });
    }
    expect(once.text).toBe(`See [${A}] and  and [${B}, ${A}].`);
  });

  it('leaves brackets that are not citations alone, also when they never close', () => {
    expect(checkCitations('Levels [senior] and [a, b] stay; arrays [1][2] too.', allowed).text).toBe(
      'Levels [senior] and [a, b] stay; arrays [1][2] too.',
    );
    expect(streamed(['An open [bracket', ' at the end']).text).toBe('An open [bracket at the end');
    expect(streamed(['line [one\n', 'two]']).text).toBe('line [one\ntwo]');
  });

  it('matches ids case-insensitively and cites them in lower case', () => {
    const r = checkCitations(`[${A.toUpperCase()}]`, allowed);
    expect(r.text).toBe(`[${A}]`);
    expect(r.kept).toEqual([A]);
  });
});

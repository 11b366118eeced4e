import { prepareText } from '../../../src/adapters/embedding/text-preparation';

describe('prepareText', () => {
  it('drops NUL and other control characters but keeps tabs and newlines', () => {
    expect(prepareText('a\u0000b\u0007c\td\ne\u009f', 100)).toBe('abc\td\ne');
  });

  it('keeps emoji, CJK and mixed scripts intact', () => {
    const text = 'Data scientist 👩‍💻 高级算法工程师 Ingénieur données';
    expect(prepareText(text, 100)).toBe(text);
  });

  it('replaces lone surrogates with U+FFFD', () => {
    expect(prepareText('x\uD83Dy', 100)).toBe('x\uFFFDy');
    expect(prepareText('x\uDC69y', 100)).toBe('x\uFFFDy');
  });

  it('caps length without splitting a surrogate pair', () => {
    const out = prepareText('ab😀cd', 3); // 😀 is two UTF-16 units at positions 2-3
    expect(out).toBe('ab');
    expect(prepareText('x'.repeat(1_000_000), 8192)).toHaveLength(8192);
  });

  it('returns empty text unchanged', () => {
    expect(prepareText('', 10)).toBe('');
  });
});

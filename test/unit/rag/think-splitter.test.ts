import { type InlineThinkMode, ThinkSplitter, splitThink } from '../../../src/adapters/llm/think-splitter';
import type { LlmDelta } from '../../../src/adapters/llm/llm';

/** Feeds the chunks one by one and returns every delta, in order. */
function feed(chunks: string[], mode?: InlineThinkMode): LlmDelta[] {
  const splitter = new ThinkSplitter(mode);
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

/** Joins consecutive deltas of a kind, so assertions do not depend on chunking. */
function joined(deltas: LlmDelta[]): LlmDelta[] {
  const out: LlmDelta[] = [];
  for (const d of deltas) {
    const last = out[out.length - 1];
    if (last?.kind === d.kind) last.text += d.text;
    else out.push({ ...d });
  }
  return out;
}

/** Every way of cutting `text` into two chunks, plus one chunk per character. */
function cuts(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('ThinkSplitter', () => {
  it('splits <think>reasoning</think>answer into reasoning then content', () => {
    expect(feed(['<think>\nweigh the skills\n</think>\n\nHire Ada.'])).toEqual([
      { kind: 'reasoning', text: 'weigh the skills\n' },
      { kind: 'content', text: 'Hire Ada.' },
    ]);
  });

  it('gives the same split however the text is cut, tags split across chunks included', () => {
    const text = '<think>a < b, so </thin is not a tag</think>answer <b>';
    for (const mode of ['hold', 'reasoning', 'content'] as const) {
      for (const chunks of cuts(text)) {
        expect(joined(feed(chunks, mode))).toEqual([
          { kind: 'reasoning', text: 'a < b, so </thin is not a tag' },
          { kind: 'content', text: 'answer <b>' },
        ]);
      }
    }
  });

  it('streams reasoning before the closing tag arrives, holding back only a possible partial tag', () => {
    const splitter = new ThinkSplitter('hold');
    expect(splitter.push('<th')).toEqual([]);
    expect(splitter.push('ink>step one')).toEqual([{ kind: 'reasoning', text: 'step one' }]);
    expect(splitter.push(' and two</th')).toEqual([{ kind: 'reasoning', text: ' and two' }]);
    expect(splitter.push('ink>Done')).toEqual([{ kind: 'content', text: 'Done' }]);
    expect(splitter.end()).toEqual([]);
  });

  it('treats text before a lone </think> as reasoning (template pre-filled <think>)', () => {
    for (const mode of ['hold', 'reasoning'] as const) {
      for (const chunks of cuts('plan first</think>\n\nThe answer')) {
        expect(joined(feed(chunks, mode))).toEqual([
          { kind: 'reasoning', text: 'plan first' },
          { kind: 'content', text: 'The answer' },
        ]);
      }
    }
  });

  it('hold mode shows nothing until decidable, then releases the held text', () => {
    const splitter = new ThinkSplitter('hold');
    expect(splitter.push('thinking quietly')).toEqual([]);
    expect(splitter.push('</think>Answer')).toEqual([
      { kind: 'reasoning', text: 'thinking quietly' },
      { kind: 'content', text: 'Answer' },
    ]);
  });

  it('hold mode turns text that never meets </think> into content at the end', () => {
    const splitter = new ThinkSplitter('hold');
    expect(splitter.push('Just an ')).toEqual([]);
    expect(splitter.push('answer.')).toEqual([]);
    expect(splitter.end()).toEqual([{ kind: 'content', text: 'Just an answer.' }]);
  });

  it('content mode streams text without <think> as content at once and keeps a later </think>', () => {
    const splitter = new ThinkSplitter('content');
    expect(splitter.push('Plain ')).toEqual([{ kind: 'content', text: 'Plain ' }]);
    expect(splitter.push('text</think>more')).toEqual([{ kind: 'content', text: 'text</think>more' }]);
  });

  it('reasoning mode streams text before </think> as reasoning at once', () => {
    const splitter = new ThinkSplitter('reasoning');
    expect(splitter.push('\nconsider')).toEqual([{ kind: 'reasoning', text: 'consider' }]);
    expect(splitter.push(' it</think>Yes')).toEqual([
      { kind: 'reasoning', text: ' it' },
      { kind: 'content', text: 'Yes' },
    ]);
  });

  it('an unclosed think at the end is reasoning, partial closing tag included', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push('<think>cut off by max_tok')).toEqual([{ kind: 'reasoning', text: 'cut off by max_tok' }]);
    expect(splitter.push('ens </thi')).toEqual([{ kind: 'reasoning', text: 'ens ' }]);
    expect(splitter.end()).toEqual([{ kind: 'reasoning', text: '</thi' }]);
    expect(splitThink('<think>never closed')).toEqual({ reasoning: 'never closed', content: '' });
  });

  it('only the first block is reasoning; a later <think> is content', () => {
    expect(splitThink('<think>a</think>b<think>c</think>')).toEqual({ reasoning: 'a', content: 'b<think>c</think>' });
  });

  it('handles empty input, blanks only, and text that merely starts like the tag', () => {
    expect(feed([])).toEqual([]);
    expect(feed(['  \n', ' '])).toEqual([]);
    expect(splitThink('<thinking>not a tag')).toEqual({ reasoning: '', content: '<thinking>not a tag' });
    expect(splitThink('<th', 'content')).toEqual({ reasoning: '', content: '<th' });
    expect(splitThink('<think></think>Only content')).toEqual({ reasoning: '', content: 'Only content' });
  });
});

/**
 * Splits inline `<think>…</think>` reasoning out of streamed content.
 *
 * Hosted DeepSeek returns reasoning in its own `reasoning_content` field, but local R1 distills
 * served by vLLM (without a reasoning parser), Ollama or llama.cpp often put it inside `content`.
 * Two shapes occur:
 *
 * 1. `<think>reasoning</think>answer` — the model writes both tags.
 * 2. `reasoning</think>answer` — the chat template pre-fills `<think>\n` (DeepSeek-R1 distills do
 *    since their 2025 template update), so only the closing tag ever reaches the client.
 *
 * Shape 1 is recognised in every mode: `<think>` as the first non-blank text opens reasoning.
 * Shape 2 cannot be told from an ordinary answer until a `</think>` arrives (or never does), and a
 * streamed delta cannot be taken back once shown, so the caller picks how to treat text that does
 * not start with `<think>` (see {@link InlineThinkMode}). The rule in every mode: only the first
 * reasoning block counts; once it has closed, everything after it is content, tags included.
 */
import type { LlmDelta } from './llm';

/**
 * What to do with text that does not start with `<think>`:
 * - `hold`: hold it back until it is decidable. A `</think>` turns everything before it into
 *   reasoning; the end of the stream without one turns it into content. Always correct, but the
 *   reader sees that text only at the decision point. The default, for unknown servers.
 * - `reasoning`: stream it as reasoning right away; for servers known to pre-fill `<think>`.
 *   Without a `</think>`, everything is reasoning (an unclosed think at the end is reasoning).
 * - `content`: stream it as content right away and keep a later `</think>` verbatim; for models
 *   that do not reason inline, or servers that already separate reasoning into its own field.
 */
export type InlineThinkMode = 'hold' | 'reasoning' | 'content';

const OPEN = '<think>';
const CLOSE = '</think>';

type State =
  /** Nothing but blanks seen yet: waiting to learn whether the text opens with `<think>`. */
  | 'opening'
  /** Inside a think block, streaming reasoning. */
  | 'reasoning'
  /** `hold` mode: text without an opening tag, held until `</think>` or the end decides. */
  | 'undecided'
  /** Just after `</think>`: blanks between the block and the answer are dropped. */
  | 'closed'
  | 'content';

export class ThinkSplitter {
  private state: State = 'opening';
  private buffer = '';

  constructor(private readonly mode: InlineThinkMode = 'hold') {}

  /** Feeds the next piece of content; returns the deltas it made decidable, in order. */
  push(chunk: string): LlmDelta[] {
    this.buffer += chunk;
    const out: LlmDelta[] = [];
    // Each step either emits, changes state or needs more input; the loop ends on "needs more".
    while (this.step(out)) {
      /* keep stepping */
    }
    return out;
  }

  /** Ends the stream: whatever is still held back is emitted under the rules above. */
  end(): LlmDelta[] {
    const out: LlmDelta[] = [];
    const rest = this.buffer;
    this.buffer = '';
    switch (this.state) {
      case 'opening':
        emit(out, this.mode === 'reasoning' ? 'reasoning' : 'content', rest.trimStart());
        break;
      case 'reasoning':
        // An unclosed block (or a half-received `</thi`) is reasoning cut short, e.g. by max_tokens.
        emit(out, 'reasoning', rest);
        break;
      case 'undecided':
      case 'content':
        emit(out, 'content', rest);
        break;
      case 'closed':
        break; // only blanks after `</think>`
    }
    this.state = 'content';
    return out;
  }

  /** One transition; returns true when it made progress and should be called again. */
  private step(out: LlmDelta[]): boolean {
    switch (this.state) {
      case 'opening':
        return this.stepOpening();
      case 'reasoning':
        return this.stepReasoning(out);
      case 'undecided':
        return this.stepUndecided(out);
      case 'closed':
        return this.stepClosed();
      case 'content':
        emit(out, 'content', this.buffer);
        this.buffer = '';
        return false;
    }
  }

  private stepOpening(): boolean {
    const text = this.buffer.trimStart();
    if (text === '' || (text.length < OPEN.length && OPEN.startsWith(text))) return false;
    if (text.startsWith(OPEN)) {
      // R1 writes "<think>\n"; the newline carries nothing.
      this.buffer = text.slice(OPEN.length).trimStart();
      this.state = 'reasoning';
      return true;
    }
    this.buffer = text;
    this.state = this.mode === 'reasoning' ? 'reasoning' : this.mode === 'hold' ? 'undecided' : 'content';
    return true;
  }

  private stepReasoning(out: LlmDelta[]): boolean {
    const close = this.buffer.indexOf(CLOSE);
    if (close >= 0) {
      emit(out, 'reasoning', this.buffer.slice(0, close));
      this.buffer = this.buffer.slice(close + CLOSE.length);
      this.state = 'closed';
      return true;
    }
    // Keep back a tail that could be the start of a `</think>` split across chunks.
    const keep = partialTagSuffix(this.buffer, CLOSE);
    emit(out, 'reasoning', this.buffer.slice(0, this.buffer.length - keep));
    this.buffer = this.buffer.slice(this.buffer.length - keep);
    return false;
  }

  private stepUndecided(out: LlmDelta[]): boolean {
    const close = this.buffer.indexOf(CLOSE);
    if (close < 0) return false;
    emit(out, 'reasoning', this.buffer.slice(0, close));
    this.buffer = this.buffer.slice(close + CLOSE.length);
    this.state = 'closed';
    return true;
  }

  private stepClosed(): boolean {
    // R1 separates the answer from `</think>` with blank lines.
    this.buffer = this.buffer.trimStart();
    if (this.buffer === '') return false;
    this.state = 'content';
    return true;
  }
}

/** Splits a whole (non-streamed) text with the same rules as the streaming splitter. */
export function splitThink(text: string, mode: InlineThinkMode = 'hold'): { reasoning: string; content: string } {
  const splitter = new ThinkSplitter(mode);
  const result = { reasoning: '', content: '' };
  for (const delta of [...splitter.push(text), ...splitter.end()]) result[delta.kind] += delta.text;
  return result;
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

/** Appends a delta, merging it into the previous one of the same kind; drops empty text. */
function emit(out: LlmDelta[], kind: LlmDelta['kind'], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

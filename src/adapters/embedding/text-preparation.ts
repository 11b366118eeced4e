/**
 * Makes arbitrary user text safe to tokenize. Pure; unit-tested.
 *
 * - NUL and other C0/C1 control characters (except tab and newline, which tokenizers treat as
 *   spaces) are removed: they carry no meaning and some tokenizers map them to nothing, which
 *   would make the text's length and its token count disagree.
 * - Lone UTF-16 surrogates (from JS strings cut in the middle of an emoji) become U+FFFD so the
 *   tokenizer never sees malformed Unicode.
 * - Text is cut to `maxChars` *before* tokenization. The model only reads `maxTokens` tokens, and
 *   a token covers at least one character, so any cap >= maxTokens keeps every token the model
 *   would read; we use a generous multiple so that the tokenizer's own truncation, not ours,
 *   decides where the window ends. This bounds the cost of a 1 MB input to a few kilobytes of work.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function prepareText(text: string, maxChars: number): string {
  let out = text.length > maxChars * 2 ? text.slice(0, maxChars * 2) : text;
  out = out.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
  if (out.length > maxChars) {
    out = out.slice(0, maxChars);
    // Do not leave half a surrogate pair at the cut.
    if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  }
  return out;
}

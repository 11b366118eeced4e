import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/**
 * Mixed Chinese/English tokenization for the embedded BM25 index.
 *
 * Han runs go to jieba (the @node-rs binding, dictionary loaded once per process); everything else
 * is lower-cased and split into letter/digit words, which is Weaviate's `word` tokenization except
 * that a trailing `+` or `#` stays on the word, so "C++" and "C#" remain searchable skills instead
 * of collapsing into "c". No stop words are removed: Weaviate's `gse` and `trigram` tokenizations
 * do not remove any either, and BM25's idf already makes frequent words cheap.
 *
 * `search` mode (jieba's cut_for_search) adds the shorter words inside long compounds, so
 * "机器学习工程师" also yields "机器", "学习", "工程", "工程师" and a query for "工程师" finds it.
 */
export type ChineseMode = 'search' | 'precise';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const RUN = /(\p{Script=Han}+)|([^\p{Script=Han}]+)/gu;
const WORD = /[\p{L}\p{N}]+[+#]*/gu;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

export function tokenize(text: string, mode: ChineseMode = 'search'): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(RUN)) {
    if (m[1]) {
      const words = mode === 'search' ? segmenter().cutForSearch(m[1], true) : segmenter().cut(m[1], true);
      for (const w of words) if (HAS_WORD_CHAR.test(w)) out.push(w);
    } else {
      for (const w of m[2].toLowerCase().matchAll(WORD)) out.push(w[0]);
    }
  }
  return out;
}

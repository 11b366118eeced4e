import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQrels } from '../src/shared/ranking-metrics';

/**
 * Loaders for the public evaluation sets used by `npm run eval:search`. Ids become deterministic
 * UUIDs because the search port keys documents by record UUID.
 */
export interface EvalSet {
  name: string;
  /** Documents to index: id and title text (plus optional extra text fields). */
  docs: Array<{ id: string; title: string; alternateTitles?: string; description?: string; code?: string; labels?: string[] }>;
  queries: Array<{ id: string; text: string }>;
  /** query id -> (doc id -> relevance). */
  qrels: Map<string, Map<string, number>>;
}

export function uuidFor(kind: number, n: number): string {
  return `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
}

function readTsv(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
}

export function loadTalentClef(dataDir: string, lang: 'en' | 'zh'): EvalSet {
  const dir = path.join(dataDir, 'talentclef', lang);
  const docs = readTsv(path.join(dir, 'corpus_elements')).map(([cid, title]) => ({ id: uuidFor(1, Number(cid)), title }));
  const queries = readTsv(path.join(dir, 'queries')).map(([qid, text]) => ({ id: qid, text }));
  const raw = parseQrels(fs.readFileSync(path.join(dir, 'qrels.tsv'), 'utf8'));
  const qrels = new Map([...raw].map(([q, rels]) => [q, new Map([...rels].map(([c, r]) => [uuidFor(1, Number(c)), r]))]));
  return { name: `TalentCLEF ${lang}`, docs, queries, qrels };
}

/**
 * O*NET alternate title -> occupation. Every `holdOutEvery`-th alternate title (in file order) is a
 * query and is left out of the index; the other alternate titles are indexed with their
 * occupation, as title normalisation would index them in production. So no query's exact text
 * is in the index.
 */
export function loadOnetTitles(dataDir: string, holdOutEvery = 20): EvalSet {
  const occ = readTsv(path.join(dataDir, 'onet', 'Occupation Data.txt'));
  const codes = new Map(occ.map(([code], i) => [code, uuidFor(2, i + 1)]));
  const alt = readTsv(path.join(dataDir, 'onet', 'Alternate Titles.tsv'));
  const kept = new Map<string, string[]>();
  const queries: EvalSet['queries'] = [];
  const qrels = new Map<string, Map<string, number>>();
  alt.forEach(([code, , title], i) => {
    if (!codes.has(code)) return;
    if (i % holdOutEvery === 0) {
      const qid = `alt${i}`;
      queries.push({ id: qid, text: title });
      qrels.set(qid, new Map([[codes.get(code)!, 1]]));
    } else {
      if (!kept.has(code)) kept.set(code, []);
      kept.get(code)!.push(title);
    }
  });
  const docs = occ.map(([code, title, description]) => ({
    id: codes.get(code)!,
    title,
    alternateTitles: (kept.get(code) ?? []).join('; '),
    description,
    code,
    labels: kept.get(code) ?? [],
  }));
  return { name: 'O*NET alternate title -> occupation', docs, queries, qrels };
}

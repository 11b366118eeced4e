import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEscoOccupations } from '../src/hub/taxonomy/esco-csv-parser';
import { readModelManifest } from '../src/adapters/embedding/model-manifest';
import { ONET_SOURCE_FILES } from '../src/hub/taxonomy/onet-tsv-parser';
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

/** Whether data row `i` (0-based, header and blank lines not counted) of `Alternate Titles.tsv` is a query. */
const isHeldOut = (i: number, holdOutEvery: number) => i % holdOutEvery === 0;

/**
 * The O*NET text release of `dataDir/onet` written to `outDir` without the alternate titles
 * loadOnetTitles holds out (same rows), so a server loaded from it (`matchhub taxonomy load --dir`)
 * has never seen the queries. Returns the number of alternate-title rows kept and left out.
 */
export function writeOnetReleaseWithoutHeldOut(dataDir: string, outDir: string, holdOutEvery = 20): { kept: number; heldOut: number } {
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of Object.values(ONET_SOURCE_FILES)) {
    if (file !== ONET_SOURCE_FILES.alternateTitles) fs.copyFileSync(path.join(dataDir, 'onet', file), path.join(outDir, file));
  }
  const [header, ...rest] = fs.readFileSync(path.join(dataDir, 'onet', ONET_SOURCE_FILES.alternateTitles), 'utf8').split('\n');
  const rows = rest.filter((l) => l.trim() !== '');
  const kept = rows.filter((_, i) => !isHeldOut(i, holdOutEvery));
  fs.writeFileSync(path.join(outDir, ONET_SOURCE_FILES.alternateTitles), [header, ...kept, ''].join('\n'));
  return { kept: kept.length, heldOut: rows.length - kept.length };
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
    if (isHeldOut(i, holdOutEvery)) {
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

/**
 * ESCO alternative label -> occupation. Documents: the ESCO occupations (`esco/occupations_en.csv`),
 * id and externalId the concept URI, title the preferred label, the ESCO description. Queries: the
 * alternative labels (which the documents do not carry), in file order, each once; relevant: every
 * occupation it is an alternative label of. A label equal (case-insensitively) to some occupation's
 * preferred label is skipped: its answer would be an exact title match.
 */
export function loadEscoAlternativeLabels(dataDir: string): EvalSet {
  const occupations = parseEscoOccupations(fs.readFileSync(path.join(dataDir, 'esco', 'occupations_en.csv'), 'utf8'));
  const titles = new Set(occupations.map((o) => o.title.toLowerCase()));
  const queries: EvalSet['queries'] = [];
  const qrels = new Map<string, Map<string, number>>();
  const idOf = new Map<string, string>();
  for (const o of occupations) {
    for (const label of o.alternateTitles) {
      const key = label.toLowerCase();
      if (titles.has(key)) continue;
      let qid = idOf.get(key);
      if (!qid) {
        qid = `escoalt${queries.length}`;
        idOf.set(key, qid);
        queries.push({ id: qid, text: label });
        qrels.set(qid, new Map());
      }
      qrels.get(qid)!.set(o.uri, 1);
    }
  }
  const docs = occupations.map((o) => ({ id: o.uri, title: o.title, description: o.description, code: o.code }));
  return { name: 'ESCO alternative label -> occupation', docs, queries, qrels };
}

/**
 * The ESCO occupations (concept URIs) a CRE-mini model never trained on. Its training drops every ESCO
 * occupation whose preferred or alternative label equals (case and spacing aside) a TalentCLEF en query
 * or corpus title, or the title or an alternate title of an O*NET occupation it held out (the manifest's
 * `training.onetOccupations`); the manifest keeps only how many (`escoOccupationsDropped`), so the set is
 * rebuilt by that rule here and its size checked against the count. Null for a model with no such record.
 */
export function escoOccupationsUnseenBy(modelDir: string, dataDir: string): Set<string> | null {
  const training = readModelManifest(modelDir).training as { onetOccupations?: string[]; escoOccupationsDropped?: number } | undefined;
  if (!training?.onetOccupations || training.escoOccupationsDropped === undefined) return null;
  const norm = (t: string) => t.toLowerCase().split(/\s+/).filter(Boolean).join(' ');
  const heldOut = new Set(training.onetOccupations);
  const texts = new Set<string>();
  for (const file of ['queries', 'corpus_elements']) {
    for (const [, title] of readTsv(path.join(dataDir, 'talentclef', 'en', file))) texts.add(norm(title));
  }
  for (const [code, title] of readTsv(path.join(dataDir, 'onet', 'Occupation Data.txt'))) if (heldOut.has(code)) texts.add(norm(title));
  for (const [code, , title] of readTsv(path.join(dataDir, 'onet', 'Alternate Titles.tsv'))) if (heldOut.has(code)) texts.add(norm(title));
  const occupations = parseEscoOccupations(fs.readFileSync(path.join(dataDir, 'esco', 'occupations_en.csv'), 'utf8'));
  const unseen = occupations.filter((o) => [o.title, ...o.alternateTitles].some((label) => texts.has(norm(label))));
  if (unseen.length !== training.escoOccupationsDropped) {
    throw new Error(
      `rebuilt ${unseen.length} ESCO occupations left out of ${modelDir}'s training, its manifest says ${training.escoOccupationsDropped}: the rule here no longer matches the training script's`,
    );
  }
  return new Set(unseen.map((o) => o.uri));
}

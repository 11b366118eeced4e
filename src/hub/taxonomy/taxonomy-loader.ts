import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { indexTaxonomy, ONET_RELEASE, Occupation, Taxonomy, TechnologySkill } from './onet-taxonomy';
import { ONET_SOURCE_FILES, OnetSourceTexts, parseOnet } from './onet-tsv-parser';
import { TaxonomyError } from './taxonomy-error';

/**
 * Reads the taxonomy from the compact copy the repository ships (`data/onet/`), or from an
 * O*NET text release directory. Synchronous on purpose: it runs once at start-up and the
 * demo generator, a plain generator function, needs it before yielding anything.
 */

export const COMPACT_FILES = {
  manifest: 'manifest.json',
  occupations: 'occupations.jsonl.gz',
  skills: 'technology-skills.jsonl.gz',
} as const;

export interface TaxonomyManifest {
  release: string;
  occupations: number;
  skills: number;
  source: string;
  license: string;
}

export interface LoadTaxonomyOptions {
  /**
   * A directory holding either the compact files (`manifest.json`, `occupations.jsonl.gz`,
   * `technology-skills.jsonl.gz`) or the O*NET text files (`Occupation Data.txt`, ...).
   * Defaults to the repository's `data/onet`.
   */
  dir?: string;
}

const cache = new Map<string, Taxonomy>();

/**
 * Loads (once per directory per process) and returns the taxonomy.
 * Throws TaxonomyError TAXONOMY_NOT_FOUND when the directory holds neither format, and
 * TAXONOMY_MALFORMED when a file does not parse.
 */
export function loadTaxonomy(options: LoadTaxonomyOptions = {}): Taxonomy {
  const dir = resolve(options.dir ?? defaultTaxonomyDir());
  let taxonomy = cache.get(dir);
  if (!taxonomy) {
    taxonomy = existsSync(join(dir, COMPACT_FILES.manifest)) ? readCompact(dir) : readOnetRelease(dir);
    cache.set(dir, taxonomy);
  }
  return taxonomy;
}

/** The shipped `data/onet`, found by walking up from this file (works from `src/` and `dist/src/`). */
export function defaultTaxonomyDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'data', 'onet');
    if (existsSync(join(candidate, COMPACT_FILES.manifest))) return candidate;
    if (dirname(dir) === dir) {
      throw new TaxonomyError(
        'TAXONOMY_NOT_FOUND',
        `no data/onet/${COMPACT_FILES.manifest} above ${__dirname}; restore data/onet from the repository or pass a directory`,
      );
    }
  }
}

/** Parses an O*NET text release directory (e.g. ../shared/data/onet). */
export function readOnetRelease(dir: string): Taxonomy {
  const texts = {} as OnetSourceTexts;
  const missing: string[] = [];
  for (const [key, file] of Object.entries(ONET_SOURCE_FILES) as [keyof OnetSourceTexts, string][]) {
    const path = join(dir, file);
    if (existsSync(path)) texts[key] = readFileSync(path, 'utf8');
    else missing.push(file);
  }
  if (missing.length > 0) {
    throw new TaxonomyError(
      'TAXONOMY_NOT_FOUND',
      `${dir} holds neither ${COMPACT_FILES.manifest} nor the O*NET files; missing: ${missing.join(', ')}`,
    );
  }
  const { occupations, skills } = parseOnet(texts);
  return indexTaxonomy(ONET_RELEASE, occupations, skills);
}

/** Writes the compact copy; the output is byte-identical for the same input. */
export function writeCompactTaxonomy(taxonomy: Taxonomy, dir: string): TaxonomyManifest {
  mkdirSync(dir, { recursive: true });
  const manifest: TaxonomyManifest = {
    release: taxonomy.release,
    occupations: taxonomy.occupations.length,
    skills: taxonomy.skills.length,
    source: `O*NET ${taxonomy.release} Database, U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)`,
    license: 'CC BY 4.0',
  };
  writeFileSync(join(dir, COMPACT_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, COMPACT_FILES.occupations), gzipLines(taxonomy.occupations));
  writeFileSync(join(dir, COMPACT_FILES.skills), gzipLines(taxonomy.skills));
  return manifest;
}

function gzipLines(items: readonly object[]): Buffer {
  return gzipSync(items.map((item) => `${JSON.stringify(item)}\n`).join(''), { level: 9 });
}

function readCompact(dir: string): Taxonomy {
  const manifest = readJson<TaxonomyManifest>(join(dir, COMPACT_FILES.manifest));
  const occupations = readLines<Occupation>(dir, COMPACT_FILES.occupations);
  const skills = readLines<TechnologySkill>(dir, COMPACT_FILES.skills);
  if (occupations.length !== manifest.occupations || skills.length !== manifest.skills) {
    throw new TaxonomyError(
      'TAXONOMY_MALFORMED',
      `${dir}: manifest promises ${manifest.occupations} occupations and ${manifest.skills} skills, files hold ` +
        `${occupations.length} and ${skills.length}; rebuild with scripts/build-taxonomy.ts`,
    );
  }
  return indexTaxonomy(manifest.release, occupations, skills);
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new TaxonomyError('TAXONOMY_MALFORMED', `${path}: ${(error as Error).message}`);
  }
}

function readLines<T>(dir: string, file: string): T[] {
  const path = join(dir, file);
  if (!existsSync(path)) throw new TaxonomyError('TAXONOMY_NOT_FOUND', `${path} is missing`);
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8');
  } catch (error) {
    throw new TaxonomyError('TAXONOMY_MALFORMED', `${path}: not gzip (${(error as Error).message})`);
  }
  const lines = text.split('\n');
  const out: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    try {
      out.push(JSON.parse(lines[i]) as T);
    } catch (error) {
      throw new TaxonomyError('TAXONOMY_MALFORMED', `${path}:${i + 1}: ${(error as Error).message}`);
    }
  }
  return out;
}

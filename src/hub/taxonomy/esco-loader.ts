import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ESCO_RELEASE, type EscoOccupation } from './esco-csv-parser';
import { TaxonomyError } from './taxonomy-error';

/**
 * The ESCO occupations the repository ships (`data/esco/`, built by scripts/build-esco.ts from
 * ESCO 1.2.0's occupations_en.csv), each with the O*NET-SOC codes it links to. Source: ESCO, European
 * Commission, CC BY 4.0.
 */
export interface LinkedEscoOccupation extends EscoOccupation {
  /** The closest O*NET occupation(s) by label within the ISCO/SOC major-group crosswalk. */
  onetCodes: string[];
}

export interface EscoManifest {
  release: string;
  occupations: number;
  linkedBy: string;
  source: string;
  license: string;
}

const FILES = { manifest: 'manifest.json', occupations: 'occupations.jsonl.gz' } as const;
const cache = new Map<string, LinkedEscoOccupation[]>();

/** The shipped `data/esco` above this file, or undefined when the checkout has none (ESCO is then not loaded). */
export function defaultEscoDir(): string | undefined {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'data', 'esco');
    if (existsSync(join(candidate, FILES.manifest))) return candidate;
  }
  return undefined;
}

/** Loads (once per directory) the compact ESCO occupations; throws TaxonomyError when the files are damaged. */
export function loadEsco(dir: string): LinkedEscoOccupation[] {
  const at = resolve(dir);
  let occupations = cache.get(at);
  if (!occupations) {
    let manifest: EscoManifest;
    let lines: string[];
    try {
      manifest = JSON.parse(readFileSync(join(at, FILES.manifest), 'utf8')) as EscoManifest;
      lines = gunzipSync(readFileSync(join(at, FILES.occupations)))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
    } catch (error) {
      throw new TaxonomyError('TAXONOMY_MALFORMED', `${at}: ${(error as Error).message}; rebuild with scripts/build-esco.ts`);
    }
    occupations = lines.map((l) => JSON.parse(l) as LinkedEscoOccupation);
    if (occupations.length !== manifest.occupations) {
      throw new TaxonomyError(
        'TAXONOMY_MALFORMED',
        `${at}: manifest promises ${manifest.occupations} occupations, the file holds ${occupations.length}`,
      );
    }
    cache.set(at, occupations);
  }
  return occupations;
}

/** Writes the compact copy; byte-identical for the same input. */
export function writeCompactEsco(occupations: LinkedEscoOccupation[], dir: string, linkedBy: string): EscoManifest {
  mkdirSync(dir, { recursive: true });
  const manifest: EscoManifest = {
    release: ESCO_RELEASE,
    occupations: occupations.length,
    linkedBy,
    source: `ESCO ${ESCO_RELEASE} occupations (English), European Commission`,
    license: 'CC BY 4.0',
  };
  writeFileSync(join(dir, FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, FILES.occupations), gzipSync(occupations.map((o) => `${JSON.stringify(o)}\n`).join(''), { level: 9 }));
  return manifest;
}

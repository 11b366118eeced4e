import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads a tab-separated file with a header row into objects keyed by the header names. */
export function readTsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const cols = header.split('\t');
  return rows.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

export const defaultDataDir = (repoRoot: string): string => path.resolve(repoRoot, '..', 'shared', 'data');

/** Short inputs: O*NET alternate job titles, every k-th row so that all occupations appear. */
export function benchTitles(dataDir: string, count: number): string[] {
  const rows = readTsv(path.join(dataDir, 'onet', 'Alternate Titles.tsv'));
  const step = Math.max(1, Math.floor(rows.length / count));
  return rows
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((r) => r['Alternate Title']);
}

/**
 * Long inputs: resume-like paragraphs, one per occupation, made of that occupation's O*NET task
 * statements written as experience lines (about 150-300 tokens each).
 */
export function benchParagraphs(dataDir: string, count: number): string[] {
  const rows = readTsv(path.join(dataDir, 'onet', 'Task Statements.txt'));
  const byOccupation = new Map<string, string[]>();
  for (const r of rows) {
    const list = byOccupation.get(r['O*NET-SOC Code']) ?? [];
    list.push(r.Task);
    byOccupation.set(r['O*NET-SOC Code'], list);
  }
  const occupations = [...byOccupation.keys()].sort();
  const step = Math.max(1, Math.floor(occupations.length / count));
  return occupations
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((code) => `Experience: ${byOccupation.get(code)!.slice(0, 8).join(' ')}`);
}

/** The folder holding package.json above `from` (works from bench/ and from dist/bench/). */
export function findRepoRoot(from: string): string {
  let dir = path.resolve(from);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

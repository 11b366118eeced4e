import fs from 'node:fs';
import path from 'node:path';

/**
 * SQL lives in its repository (issue 13): a statement for a table is in src/hub/repositories/, so
 * a reader finds every statement of a table in one file. This check reads src/ and fails listing
 * file:line for each statement it finds elsewhere.
 */

const ROOT = path.join(__dirname, '..', '..');

/** Where statements may be written: the repositories, the database's own upkeep (VACUUM, counters), migrations. */
const HOMES = [/^src\/hub\/repositories\//, /^src\/app\/database\.ts$/, /(^|\/)migrations\//];

/**
 * Files whose statements are still being moved into repositories: none left. Should a move be done
 * in steps, list its files here and remove each once it is clean (a test below fails while a listed
 * file has no statement left), so the list only shrinks.
 */
const PENDING: readonly string[] = [];

/**
 * Statements in one file's text, as `line: code`: `.query(` calls (the SQL API of DataSource,
 * EntityManager and pg; src/ has no other `query` method), TypeORM query builders, and TypeORM
 * entity repositories (`getRepository(...)`, whose finds and saves are statements). Comments are
 * skipped; line numbers are kept.
 */
function statementsIn(text: string): string[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => (/^\s*\/\//.test(line) ? '' : line));
  const found: string[] = [];
  code.forEach((line, i) => {
    if (/\.query\s*(<[^>]*>)?\s*\(|\bcreateQueryBuilder\s*\(|\bgetRepository\s*\(/.test(line)) found.push(`${i + 1}: ${line.trim()}`);
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

const statementsByFile = new Map(
  sourceFiles('src')
    .filter((file) => !HOMES.some((home) => home.test(file)))
    .map((file) => [file, statementsIn(fs.readFileSync(path.join(ROOT, file), 'utf8'))] as const)
    .filter(([, found]) => found.length > 0),
);

describe('SQL lives in src/hub/repositories', () => {
  it('no statement outside the repositories, app/database.ts and migrations (but the files pending)', () => {
    const misplaced = [...statementsByFile]
      .filter(([file]) => !PENDING.includes(file))
      .flatMap(([file, found]) => found.map((f) => `${file}:${f}`));
    expect(misplaced).toEqual([]);
  });

  it('every file still listed as pending has statements left (remove it from PENDING once it is clean)', () => {
    expect(PENDING.filter((file) => !statementsByFile.has(file))).toEqual([]);
  });

  it('finds statements however they are written, and not in comments', () => {
    const text = [
      '/** Reads with ds.query(`SELECT 1`). */',
      'const a = await em.query(`SELECT "id" FROM "job"`);',
      "const b = await this.db.query<Row[]>('DELETE FROM x');",
      'const c = await this.ds',
      '  .query(',
      '    sql,',
      '  );',
      '// ds.getRepository(Job).find()',
      "const d = ds.getRepository(Job).createQueryBuilder('j');",
      'const e = quickQuery(1);',
    ].join('\n');
    expect(statementsIn(text).map((s) => Number(s.split(':')[0]))).toEqual([2, 3, 5, 9]);
  });
});

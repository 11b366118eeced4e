/**
 * Usage: npm run migration:generate -- <Name>
 * Runs the existing migrations on a throwaway embedded database, diffs it against the entities, and
 * writes the difference as a new timestamped migration (registered in src/app/migrations.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { openDatabase } from '../src/app/database';
import { schemaDrift } from '../src/app/schema-drift';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    console.error('Usage: npm run migration:generate -- <PascalCaseName>');
    process.exit(2);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-migrate-'));
  const db = await openDatabase({ url: null, dataDir, poolSize: 2, logSql: false });
  try {
    await db.dataSource.runMigrations();
    const { up, down } = await schemaDrift(db.dataSource);
    if (up.length === 0) {
      console.log('Entities and migrations agree; nothing to generate.');
      return;
    }
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const q = (s: string) => `    await queryRunner.query(${JSON.stringify(s)});`;
    const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${cls} implements MigrationInterface {
  name = '${cls}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up.map(q).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down.reverse().map(q).join('\n')}
  }
}
`;
    const file = path.join('migrations', `${ts}-${name}.ts`);
    fs.writeFileSync(file, body);
    const registry = 'src/app/migrations.ts';
    let src = fs.readFileSync(registry, 'utf8');
    src = src.replace(
      "import type { MigrationInterface } from 'typeorm';",
      `import type { MigrationInterface } from 'typeorm';\nimport { ${cls} } from '../../migrations/${ts}-${name}';`,
    );
    src = src.replace(
      /\] = \[([^\]]*)\];/,
      (_m, list: string) => `] = [${list.trim() ? `${list.trim().replace(/,$/, '')}, ` : ''}${cls}];`,
    );
    fs.writeFileSync(registry, src);
    console.log(`Wrote ${file} (${up.length} statements) and registered ${cls}.`);
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * Usage: npm run schema:emit  — writes schema/schema.graphql (sorted SDL).
 *        npm run schema:check — fails when the committed file differs from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { createSchema } from '../src/app/schema';

export async function emittedSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
}

if (require.main === module) {
  const file = path.resolve(process.cwd(), 'schema', 'schema.graphql');
  emittedSdl().then((sdl) => {
    if (process.argv.includes('--check')) {
      const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      if (committed !== sdl) {
        console.error('schema/schema.graphql is stale: run `npm run schema:emit` and commit it.');
        process.exit(1);
      }
      console.log('schema/schema.graphql is up to date.');
    } else {
      fs.writeFileSync(file, sdl);
      console.log(`wrote ${file}`);
    }
  });
}

/**
 * Connection settings for the Neo4j started by `bash services/up.sh neo4j`, read from the
 * `.services/env` it writes (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD). Integration tests fail with
 * this message, never skip, when the file or the server is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Neo4jTestEnv {
  uri: string;
  user: string;
  password: string;
}

export function neo4jTestEnv(): Neo4jTestEnv {
  const file = join(__dirname, '../../../.services/env');
  const vars: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) vars[m[1]] = m[2].replace(/^['"]|['"]$/g, '');
    }
  }
  const uri = vars.NEO4J_URI;
  if (!uri || !vars.NEO4J_USER || vars.NEO4J_PASSWORD === undefined) {
    throw new Error(`Neo4j settings not found in ${file}: start Neo4j with \`bash services/up.sh neo4j\` before the integration tests.`);
  }
  return { uri, user: vars.NEO4J_USER, password: vars.NEO4J_PASSWORD };
}

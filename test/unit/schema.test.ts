import fs from 'node:fs';
import path from 'node:path';
import { emittedSdl } from '../../scripts/schema-emit';

describe('committed GraphQL schema', () => {
  it('matches what the resolvers emit (run `npm run schema:emit` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(await emittedSdl()).toBe(committed);
  });
});

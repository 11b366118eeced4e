/**
 * Rebuilds the compact taxonomy the repository ships (data/onet/) from an O*NET text release.
 *   npm run build && node dist/scripts/build-taxonomy.js [ONET_DIR] [OUT_DIR]
 * ONET_DIR defaults to ../shared/data/onet next to the checkout, OUT_DIR to data/onet.
 */
import { join, resolve } from 'node:path';
import { readOnetRelease, writeCompactTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';

function main(): void {
  const repo = resolve(__dirname, __dirname.includes(`${join('dist', 'scripts')}`) ? '../..' : '..');
  const source = resolve(process.argv[2] ?? join(repo, '..', 'shared', 'data', 'onet'));
  const out = resolve(process.argv[3] ?? join(repo, 'data', 'onet'));
  const manifest = writeCompactTaxonomy(readOnetRelease(source), out);
  console.log(`wrote ${out}: O*NET ${manifest.release}, ${manifest.occupations} occupations, ${manifest.skills} technology skills`);
}

main();

/**
 * Holds out 20% of O*NET occupation -> technology-skill links and predicts them back: every
 * single heuristic against the learned model. Reads the shipped compact O*NET copy (data/onet)
 * or, with --onet-dir, an O*NET text release such as ../shared/data/onet.
 *   npm run bench:linkpred-onet [-- --onet-dir DIR --seed N]
 */
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';
import { evaluateOnetHoldout } from '../src/network/onet-link-evaluation';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const taxonomy = loadTaxonomy({ dir: arg('--onet-dir') });
  const links = taxonomy.skills.flatMap((s) => s.occupationCodes.map((occupation) => ({ occupation, skill: s.name })));
  const seed = Number(arg('--seed') ?? 29);
  const result = await evaluateOnetHoldout({ links, seed });
  console.log(`O*NET ${taxonomy.release}: ${result.links} occupation-skill links, ${result.heldOut} held out (20%), seed ${seed}`);
  console.log('each held-out link ranked against 100 random skills the occupation does not use');
  console.log(result.table);
  console.log(`${result.seconds.toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

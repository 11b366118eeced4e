/**
 * Temporal cross-validation of link prediction on generated career networks (issue 15): at three
 * cut-offs a window apart, new links of the window after each cut-off ranked against the source's
 * served candidate pool and 100 uniform targets, by in-degree, Adamic-Adar, the default heuristic,
 * the current trainer and the trainer before issue 15 (repeat flows as positives, uniform negatives,
 * single features). Means over the cut-offs with 95% bootstrap intervals.
 *   npm run bench:linkpred-realistic [-- --data realistic|generated|both --companies 6000 --moves 12000
 *     --candidates 6000 --folds 3 --seed 1 --cutoff YEAR --mode NEW|REPEAT]
 * --mode REPEAT: repeat links, each against the source's other existing links, learned REPEAT model only.
 */
import { loadavg } from 'node:os';
import { crossValidateLinkPredictor, PREVIOUS_RECIPE, TRAINING_RECIPE } from '../src/network/link-predictor';
import { generateCareerGraph, generateRealisticCareerGraph } from '../src/network/synthetic-career-graph';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const data = arg('--data', 'both');
  const seed = Number(arg('--seed', '1'));
  const folds = Number(arg('--folds', '3'));
  const cutoff = process.argv.includes('--cutoff') ? Number(arg('--cutoff', '')) : undefined;
  const mode = arg('--mode', 'NEW');
  if (mode !== 'NEW' && mode !== 'REPEAT') throw new Error('--mode must be NEW or REPEAT');
  const sets = data === 'both' ? ['realistic', 'generated'] : data === 'realistic' || data === 'generated' ? [data] : [];
  if (sets.length === 0) throw new Error('--data must be realistic, generated or both');
  for (const set of sets) {
    const projection =
      set === 'realistic'
        ? generateRealisticCareerGraph({ companies: Number(arg('--companies', '6000')), moves: Number(arg('--moves', '12000')), seed })
        : generateCareerGraph({ candidates: Number(arg('--candidates', '6000')), companies: Number(arg('--companies', '1500')), seed });
    const r = await crossValidateLinkPredictor({
      projection,
      cutoffYear: cutoff,
      folds,
      seed,
      mode,
      recipes: mode === 'NEW' ? { learned: TRAINING_RECIPE, 'previous trainer': PREVIOUS_RECIPE } : { learned: TRAINING_RECIPE },
    });
    console.log(
      `${set} network, cut-offs ${r.cutoffs.join(', ')}, window ${r.windowYears}; ${r.seconds.toFixed(1)} s; load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(r.table);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

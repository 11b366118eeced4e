/**
 * Demo data generation speed and memory.
 *   npm run build && node dist/bench/demo-generation.bench.js [candidates=100000] [seed=1]
 * Prints the taxonomy load time, the model set-up time, records per type, candidates per
 * second for the whole stream (wall clock and per CPU-second, which a busy machine skews
 * less), and peak RSS. Numbers are printed, never asserted.
 */
import { generateDemo } from '../src/datahub/demo/demo-generator';
import { loadTaxonomy } from '../src/datahub/taxonomy/taxonomy-loader';

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function main(): void {
  const candidates = Number(process.argv[2] ?? 100_000);
  const seed = Number(process.argv[3] ?? 1);
  let t = process.hrtime.bigint();
  const taxonomy = loadTaxonomy();
  const loadMs = ms(t);
  t = process.hrtime.bigint();
  for (const _ of generateDemo({ seed, candidates: 0, taxonomy, jobs: 0 })) void _;
  const setupMs = ms(t);

  const counts: Record<string, number> = {};
  let bytes = 0;
  let peakRss = 0;
  t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let n = 0;
  for (const record of generateDemo({ seed, candidates, taxonomy })) {
    counts[record.type] = (counts[record.type] ?? 0) + 1;
    // Serialising is what `seed`/`import` will do with each record; counted in the time.
    bytes += JSON.stringify(record).length;
    if (++n % 20_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const genMs = ms(t);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`taxonomy load: ${loadMs.toFixed(0)} ms; generator set-up: ${setupMs.toFixed(0)} ms`);
  console.log(`records: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(
    `generated + serialised ${candidates} candidates in ${(genMs / 1000).toFixed(2)} s: ` +
      `${Math.round(candidates / (genMs / 1000))} candidates/s wall, ${Math.round(candidates / cpuSeconds)} per CPU-second ` +
      `(CPU ${cpuSeconds.toFixed(2)} s; compare the two on a busy machine), ${(bytes / 1e6).toFixed(0)} MB JSON, peak RSS ${(peakRss / 1e6).toFixed(0)} MB`,
  );
}

main();

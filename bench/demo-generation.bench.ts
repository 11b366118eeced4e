/**
 * Demo data generation speed and memory.
 *   npm run build && node dist/bench/demo-generation.bench.js [candidates=100000] [seed=1]
 * Prints the taxonomy load time, the generator set-up time, records per type, and for two
 * passes over the same data set (generation alone, then generation + JSON.stringify as
 * `seed`/`import` would do) candidates per second by wall clock and per CPU-second (which a
 * busy machine skews less), and peak RSS. Numbers are printed, never asserted.
 */
import { generateDemo } from '../src/demo/demo-generator';
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function pass(label: string, candidates: number, seed: number, serialise: boolean): Record<string, number> {
  const counts: Record<string, number> = {};
  const taxonomy = loadTaxonomy();
  let bytes = 0;
  let peakRss = 0;
  let n = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const record of generateDemo({ seed, candidates, taxonomy })) {
    counts[record.type] = (counts[record.type] ?? 0) + 1;
    if (serialise) bytes += JSON.stringify(record).length;
    if (++n % 20_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const wall = ms(started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(
    `${label.padEnd(24)} ${wall.toFixed(2).padStart(6)} s wall ${String(Math.round(candidates / wall)).padStart(7)} candidates/s | ` +
      `${cpuSeconds.toFixed(2).padStart(6)} s CPU ${String(Math.round(candidates / cpuSeconds)).padStart(7)} candidates/CPU-s | ` +
      `peak RSS ${(peakRss / 1e6).toFixed(0)} MB${serialise ? ` | ${(bytes / 1e6).toFixed(0)} MB JSON` : ''}`,
  );
  return counts;
}

function main(): void {
  const candidates = Number(process.argv[2] ?? 100_000);
  const seed = Number(process.argv[3] ?? 1);
  let t = process.hrtime.bigint();
  const taxonomy = loadTaxonomy();
  const loadMs = ms(t);
  t = process.hrtime.bigint();
  for (const _ of generateDemo({ seed, candidates: 0, taxonomy, jobs: 0 })) void _;
  console.log(`taxonomy load ${loadMs.toFixed(0)} ms; generator set-up ${ms(t).toFixed(0)} ms (once per process)`);
  const counts = pass('generate', candidates, seed, false);
  pass('generate + JSON', candidates, seed, true);
  console.log(
    `records: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}

main();

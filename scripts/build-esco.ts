/**
 * Builds the compact ESCO occupations the repository ships (data/esco/) from ESCO 1.2.0's
 * occupations_en.csv, each linked to the closest O*NET occupation:
 *   npm run build && node dist/scripts/build-esco.js [ESCO_DIR] [OUT_DIR] [--cache DIR]
 * ESCO_DIR defaults to ../shared/data/esco next to the checkout, OUT_DIR to data/esco; --cache keeps
 * the label vectors between runs (EMBEDDING_CACHE_DIR's format).
 *
 * The link: an ESCO occupation's preferred label, normalised to O*NET (TitleNormalizer, default alpha
 * and fusion, with the bundled model, over every O*NET title and alternate title) among the SOC major
 * groups its ISCO major group corresponds to (hub/taxonomy/isco-soc-crosswalk.ts); the best one is
 * kept. Deterministic for a model and the same files.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Embedder } from '../src/adapters/embedding/embedder';
import { CachingEmbedder, EmbeddingCacheStore } from '../src/adapters/embedding/embedding-cache';
import { resolveModelDir } from '../src/adapters/embedding/model-manifest';
import { OnnxEmbedder } from '../src/adapters/embedding/onnx-embedder';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded-search-index';
import type { SearchFilter } from '../src/adapters/search/search-filter';
import { ESCO_OCCUPATIONS_FILE, parseEscoOccupations } from '../src/hub/taxonomy/esco-csv-parser';
import { writeCompactEsco, type LinkedEscoOccupation } from '../src/hub/taxonomy/esco-loader';
import { socMajorGroupsForIsco } from '../src/hub/taxonomy/isco-soc-crosswalk';
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';
import { TitleNormalizer } from '../src/matching/title-normalizer';
import { indexOccupationLabels, occupationLabels } from '../src/sync/title-label-projection';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cacheAt = args.indexOf('--cache');
  const cacheDir = cacheAt >= 0 ? args.splice(cacheAt, 2)[1] : undefined;
  const repo = resolve(__dirname, __dirname.includes(`${join('dist', 'scripts')}`) ? '../..' : '..');
  const source = resolve(args[0] ?? join(repo, '..', 'shared', 'data', 'esco'));
  const out = resolve(args[1] ?? join(repo, 'data', 'esco'));

  const esco = parseEscoOccupations(readFileSync(join(source, ESCO_OCCUPATIONS_FILE), 'utf8'));
  const onet = loadTaxonomy();
  const model = await OnnxEmbedder.create({ modelDir: resolveModelDir() });
  const embedder: Embedder = cacheDir
    ? new CachingEmbedder(model, new EmbeddingCacheStore(cacheDir, model.modelId, model.dimensions))
    : model;

  const index = new EmbeddedSearchIndex();
  await index.ensureSchema();
  const ids = new Map(onet.occupations.map((o, i) => [o.code, `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`]));
  const titles = await embedder.embed(
    onet.occupations.map((o) => o.title),
    { kind: 'passage' },
  );
  await index.upsert(
    'occupation',
    onet.occupations.map((o, i) => ({
      id: ids.get(o.code)!,
      text: { title: o.title, alternateTitles: o.alternateTitles.join(' | '), description: o.description },
      vectors: { title: titles[i], profile: titles[i] },
      properties: { source: 'onet', externalId: o.code, occupationCodes: [o.code] },
    })),
  );
  const labels = onet.occupations.flatMap((o) =>
    occupationLabels({ id: ids.get(o.code)!, code: o.code, source: 'onet', title: o.title, alternate_titles: o.alternateTitles }),
  );
  await indexOccupationLabels(index, embedder, labels, {
    chunk: 1024,
    onChunk: (done) => process.stderr.write(`\rO*NET labels: ${done} / ${labels.length}`),
  });

  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const normalizer = new TitleNormalizer(index, embedder);
  const linked: LinkedEscoOccupation[] = [];
  for (const [n, e] of esco.entries()) {
    const groups = socMajorGroupsForIsco(e.iscoGroup);
    const filter: SearchFilter = { op: 'or', filters: groups.map((g) => ({ op: 'prefix', field: 'externalId', value: `${g}-` })) };
    const [best] = groups.length > 0 ? await normalizer.normalize({ title: e.title, taxonomy: 'onet', first: 1, filter }) : [];
    linked.push({ ...e, onetCodes: best ? [codeOf.get(best.id)!] : [] });
    if (n % 100 === 0) process.stderr.write(`\rESCO occupations linked: ${n} / ${esco.length}`);
  }
  const manifest = writeCompactEsco(linked, out, `TitleNormalizer top 1 within the ISCO/SOC major-group crosswalk, ${model.modelId}`);
  console.log(
    `\nwrote ${out}: ESCO ${manifest.release}, ${manifest.occupations} occupations, ${linked.filter((l) => l.onetCodes.length).length} linked`,
  );
  await index.close();
  await model.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

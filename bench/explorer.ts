/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser.)
/**
 * The explorer's relation-network view on a 2,000-node neighbourhood, in Debian's Chromium (WebGL on
 * SwiftShader, i.e. the CPU: a GPU only does better). Front end only: the page is the built bundle
 * served by mountExplorer, and /graphql answers with a generated neighbourhood of --nodes nodes (the
 * API caps one neighborhood query at 500; an analyst reaches 2,000 by expanding).
 *   npm run bench:explorer [-- --nodes 2000 --rounds 3 --frames 180]
 * Time to first render: navigation start to sigma's first frame with nodes (fetch, ForceAtlas2
 * layout, WebGL upload). Frame time: rAF intervals while the camera zooms and pans every frame.
 * Figures are printed, never asserted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { findExplorerBundle, mountExplorer } from '../src/app/explorer-routes';
import { launchChromium } from '../test/support/browser';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const toId = (type: string, n: number) =>
  Buffer.from(`${type}:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`).toString('base64url');

/** A career neighbourhood: one candidate, companies, colleagues who worked there, their skills. */
function neighbourhood(size: number) {
  const centre = toId('Candidate', 0);
  const nodes = [{ id: centre, label: 'Candidate', props: { name: 'Centre' } }];
  const edges: { from: string; to: string; type: string; props: Record<string, unknown> }[] = [];
  const companies = Math.max(5, Math.round(size * 0.08));
  const skills = Math.max(5, Math.round(size * 0.05));
  for (let c = 1; c <= companies; c++) {
    nodes.push({ id: toId('Company', c), label: 'Company', props: { name: `Company ${c}` } });
    if (c <= 6)
      edges.push({
        from: centre,
        to: toId('Company', c),
        type: 'WORKED_AT',
        props: { from: `${2010 + c}-01-01`, to: `${2012 + c}-01-01` },
      });
  }
  for (let s = 1; s <= skills; s++) nodes.push({ id: toId('Skill', s), label: 'Skill', props: { name: `Skill ${s}` } });
  for (let p = 1; nodes.length < size; p++) {
    const id = toId('Candidate', p);
    nodes.push({ id, label: 'Candidate', props: { name: `Person ${p}` } });
    edges.push({
      from: id,
      to: toId('Company', 1 + (p % companies)),
      type: 'WORKED_AT',
      props: { from: `${2005 + (p % 15)}-01-01`, to: null },
    });
    edges.push({
      from: id,
      to: toId('Company', 1 + ((p * 7) % companies)),
      type: 'WORKED_AT',
      props: { from: `${2000 + (p % 10)}-01-01`, to: `${2005 + (p % 15)}-01-01` },
    });
    edges.push({ from: id, to: toId('Skill', 1 + (p % skills)), type: 'HAS_SKILL', props: {} });
  }
  for (let c = 1; c < companies; c++)
    edges.push({ from: toId('Company', c), to: toId('Company', c + 1), type: 'MOVED_TO', props: { year: 2020, count: 1 } });
  return { centre, answer: { data: { neighborhood: { truncated: false, nodes, edges } } } };
}

async function main() {
  const size = arg('--nodes', 2000);
  const rounds = arg('--rounds', 3);
  const frames = arg('--frames', 180);
  const bundle = findExplorerBundle();
  if (!bundle) throw new Error('dist/explorer is missing: npm run build');
  const app = express();
  mountExplorer(app, bundle);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { centre, answer } = neighbourhood(size);
  const body = JSON.stringify(answer);
  const browser = await launchChromium();
  try {
    console.log(
      `${answer.data.neighborhood.nodes.length} nodes, ${answer.data.neighborhood.edges.length} edges; ${frames} animated frames per round`,
    );
    for (let round = 1; round <= rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript(() => {
        sessionStorage.setItem('matchhub.apiKey', 'bench');
        sessionStorage.setItem('matchhub.role', 'analyst');
      });
      await context.route('**/graphql', (route) => route.fulfill({ contentType: 'application/json', body }));
      const page = await context.newPage();
      await page.goto(`${base}/explorer#/graph/${centre}?limit=${size}`);
      await page.waitForFunction(() => performance.getEntriesByName('explorer:graph-drawn').length > 0, undefined, { timeout: 120_000 });
      const ttfr = await page.evaluate(() => performance.getEntriesByName('explorer:graph-drawn')[0]!.startTime);
      const intervals = await page.evaluate(
        (n) =>
          new Promise<number[]>((resolve) => {
            const s = (window as any).__explorerSigma;
            const camera = s.getCamera();
            const out: number[] = [];
            let last = performance.now();
            let i = 0;
            const step = () => {
              const now = performance.now();
              if (i > 0) out.push(now - last);
              last = now;
              if (i++ >= n) return resolve(out);
              camera.setState({ ratio: 0.4 + 0.6 * Math.abs(Math.sin(i / 30)), x: 0.5 + 0.2 * Math.sin(i / 45), y: 0.5 });
              requestAnimationFrame(step);
            };
            requestAnimationFrame(step);
          }),
        frames,
      );
      intervals.sort((a, b) => a - b);
      const q = (p: number) => intervals[Math.min(intervals.length - 1, Math.floor(p * intervals.length))]!;
      console.log(
        `round ${round}: time to first render ${ttfr.toFixed(0)} ms; frame time p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${intervals[intervals.length - 1]!.toFixed(1)} ms (${(1000 / q(0.5)).toFixed(0)} fps at p50)`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

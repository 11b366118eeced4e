/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser.)
/**
 * The explorer's relation-network view on a 2,000-node neighbourhood, in Debian's Chromium (WebGL on
 * SwiftShader, i.e. the CPU: a GPU only does better). Front end only: the page is the built bundle
 * served by mountExplorer, and /graphql answers with a generated neighbourhood of --nodes nodes (the
 * API caps one neighborhood query at 500; an analyst reaches 2,000 by expanding).
 *   npm run bench:explorer [-- --nodes 2000 --baseline 200 --rounds 2 --steps 40 --before dist/explorer-before]
 * Time to first render: navigation start to sigma's first frame with nodes (fetch, WebGL upload, and
 * the layout when it runs before drawing), and from the neighbourhood's answer to that frame. Layout:
 * its start to its last pass (in the worker, the page drawn meanwhile). Frame time: rAF intervals
 * while the mouse drags the graph across the canvas (2 x --steps moves), from the first frame drawn,
 * so while a background layout still runs: those frames are also reported on their own. A small neighbourhood (--baseline) runs
 * interleaved with the large one, for a ratio that the machine's load cancels out of; --before names
 * another build of the explorer (e.g. a copy of dist/explorer from an earlier commit), served
 * beside this one and interleaved with it in every round. Where the first render goes, from the
 * view's own measures when the build has them: the merge into the model, the filtered copy, and
 * sigma's setGraph (indexing, processing and drawing the first frame, synchronously). Figures are
 * printed, never asserted.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { findExplorerBundle, mountExplorer } from '../src/app/explorer-routes';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/browser';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function argText(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The bundle's pages on a port of their own. */
async function serve(bundle: string): Promise<{ base: string; server: http.Server }> {
  const app = express();
  mountExplorer(app, bundle);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
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

interface Round {
  ttfr: number;
  /** From the neighbourhood's answer (its last byte) to the first frame. */
  afterData: number;
  layout: number;
  frames: number[];
  /** The drag's frames that ended while the layout still ran (all of them for a layout done before drawing: none). */
  framesDuringLayout: number[];
  /** The first render's steps after the answer (ms), by the view's measures; empty for a build without them. */
  parts: Record<string, number>;
}

async function round(browser: Browser, base: string, size: number, steps: number): Promise<Round> {
  const { centre, answer } = neighbourhood(size);
  const body = JSON.stringify(answer);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.addInitScript(() => {
      sessionStorage.setItem('matchhub.apiKey', 'bench');
      sessionStorage.setItem('matchhub.role', 'analyst');
    });
    await context.route('**/graphql', (route) => route.fulfill({ contentType: 'application/json', body }));
    const page = await context.newPage();
    await page.goto(`${base}/explorer#/graph/${centre}?limit=${size}`);
    await page.waitForFunction(() => performance.getEntriesByName('explorer:graph-drawn').length > 0, undefined, { timeout: 300_000 });
    // A drag across the canvas, as an analyst pans: the rAF intervals while it runs are the frame times.
    await page.evaluate(() => {
      const w = window as any;
      w.__frames = [];
      w.__recording = true;
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        w.__frames.push([now, now - last]);
        last = now;
        if (w.__recording) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const box = (await page.getByTestId('sigma').boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 300, y + 150, { steps });
    await page.mouse.move(x - 200, y - 100, { steps });
    await page.mouse.up();
    const frames = await page.evaluate(() => {
      const w = window as any;
      w.__recording = false;
      return (w.__frames as [number, number][]).slice(1);
    });
    await page.waitForFunction(() => performance.getEntriesByName('explorer:layout').length > 0, undefined, { timeout: 300_000 });
    const { ttfr, afterData, layout, layoutEnd, parts } = await page.evaluate(() => {
      const l = performance.getEntriesByName('explorer:layout')[0]!;
      const drawn = performance.getEntriesByName('explorer:graph-drawn')[0]!.startTime;
      // The neighbourhood's merge, then the first filter and setGraph after it (those before it drew the empty graph).
      const merge = performance.getEntriesByName('explorer:merge')[0];
      const after = (name: string) => performance.getEntriesByName(name).find((e) => merge && e.startTime >= merge.startTime);
      const parts: Record<string, number> = {};
      for (const [label, e] of [
        ['merge', merge],
        ['filter', after('explorer:filter')],
        ['setGraph', after('explorer:set-graph')],
      ] as const)
        if (e) parts[label] = e.duration;
      return {
        parts,
        ttfr: drawn,
        // The neighbourhood's answer, from Resource Timing (so a build without marks of its own is measured the same).
        afterData:
          drawn -
          Math.max(
            ...performance
              .getEntriesByType('resource')
              .filter((e) => e.name.endsWith('/graphql'))
              .map((e) => (e as PerformanceResourceTiming).responseEnd),
          ),
        layout: l.duration,
        layoutEnd: l.startTime + l.duration,
      };
    });
    return {
      parts,
      ttfr,
      afterData,
      layout,
      frames: frames.map(([, d]) => d),
      framesDuringLayout: frames.filter(([t]) => t <= layoutEnd).map(([, d]) => d),
    };
  } finally {
    await context.close();
  }
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function main() {
  const sizes = [arg('--baseline', 200), arg('--nodes', 2000)];
  const rounds = arg('--rounds', 2);
  const steps = arg('--steps', 40);
  const bundle = findExplorerBundle();
  if (!bundle) throw new Error('dist/explorer is missing: npm run build');
  const before = argText('--before');
  if (before && !fs.existsSync(path.join(before, 'index.html'))) throw new Error(`--before ${before}: no index.html there`);
  const builds = [
    ...(before ? [{ name: 'before', ...(await serve(path.resolve(before))) }] : []),
    { name: 'now', ...(await serve(bundle)) },
  ];
  const browser = await launchChromium();
  try {
    for (const size of sizes) {
      const n = neighbourhood(size).answer.data.neighborhood;
      console.log(`${size}: ${n.nodes.length} nodes, ${n.edges.length} edges`);
    }
    // Sizes interleaved within each round, so both see the same load on a shared machine.
    for (let r = 1; r <= rounds; r++) {
      for (const size of sizes) {
        for (const build of builds) {
          const { ttfr, afterData, layout, frames, framesDuringLayout: during, parts } = await round(browser, build.base, size, steps);
          const partsText = Object.entries(parts)
            .map(([k, v]) => `${k} ${v.toFixed(0)}`)
            .join(', ');
          console.log(
            `round ${r}, ${build.name}, ${size} nodes: first render ${ttfr.toFixed(0)} ms (${afterData.toFixed(0)} ms after the answer` +
              (partsText ? `: ${partsText} ms` : '') +
              ')' +
              `, layout ${layout.toFixed(0)} ms; ` +
              `drag: ${frames.length} frames, frame time p50 ${quantile(frames, 0.5).toFixed(0)} ms, p95 ${quantile(frames, 0.95).toFixed(0)} ms` +
              (during.length > 0
                ? `; ${during.length} of them while the layout ran: p50 ${quantile(during, 0.5).toFixed(0)} ms, p95 ${quantile(during, 0.95).toFixed(0)} ms`
                : ''),
          );
        }
      }
    }
  } finally {
    await browser.close();
    for (const b of builds) b.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser.)
/**
 * Usage: npm run screenshots — writes a PNG of every explorer view to docs/explorer/ (the README shows
 * them): a server with demo data and a scripted LLM, Debian's Chromium, an analyst's key (a
 * consultant's for the paths and Ask, which the README describes from a consultant's side).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startExplorerFixture } from '../test/support/explorer-fixture';
import { launchChromium, offlineContext, signIn } from '../test/support/browser';

const OUT = path.resolve(process.cwd(), 'docs', 'explorer');

/** Two animation frames: what the last state change drew (sigma draws on the frame after its data). */
const painted = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const [fixture, browser] = await Promise.all([startExplorerFixture(), launchChromium()]);
  try {
    const { base, keys } = fixture.server;
    const s = fixture.samples;
    const { context } = await offlineContext(browser, base);
    const page = await context.newPage();
    const shot = async (name: string) => {
      await painted(page);
      await page.screenshot({ path: path.join(OUT, `${name}.png`) });
      console.log(`docs/explorer/${name}.png`);
    };
    await page.goto(`${base}/explorer`);
    await page.getByLabel('API key').waitFor();
    await shot('sign-in');

    await signIn(page, base, keys.analyst);
    await page.goto(`${base}/explorer#/search?q=${encodeURIComponent(s.zhCandidate.query)}`);
    await page.getByTestId('candidate-hits').getByRole('listitem').first().waitFor();
    await shot('search');

    await page.goto(`${base}/explorer#/record/${s.zhCandidate.id}`);
    await page.getByRole('heading', { level: 2, name: /^Colleagues \(/ }).waitFor();
    await shot('record');

    await page.goto(`${base}/explorer#/graph/${s.pathFrom.id}`);
    const status = page.getByTestId('graph-status');
    await status
      .filter({ hasNotText: 'Loading' })
      .filter({ hasText: /[1-9]\d* nodes/ })
      .waitFor();
    await page.locator('.node-list button:not([disabled])').first().click();
    await status.filter({ hasNotText: /Loading|arranging/ }).waitFor();
    await shot('graph');

    await page.goto(`${base}/explorer#/flow/${s.flowCompany.id}`);
    await page.getByTestId('sankey').waitFor();
    await page.getByTestId('predictions').or(page.getByText('No prediction for this company.')).first().waitFor();
    await shot('talent-flow');
    await page.getByTestId('chord').scrollIntoViewIfNeeded();
    await shot('talent-flow-chord');

    await page.goto(`${base}/explorer#/job/${s.job.id}`);
    await page.getByTestId('matches').getByRole('listitem').first().waitFor();
    await page.getByTestId('match-scores').getByRole('listitem').first().waitFor();
    await shot('matches');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, base, keys.consultant);
    await page.goto(`${base}/explorer#/paths?from=${s.pathFrom.id}&to=${s.pathTo.id}`);
    await page.getByRole('button', { name: 'Next hop' }).click();
    await page
      .getByTestId('hop-status')
      .filter({ hasText: /^Hop 1 of/ })
      .waitFor();
    await shot('introduction-paths');

    await page.goto(`${base}/explorer#/ask`);
    await page.getByLabel('Question').fill(s.zhCandidate.query);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.getByTestId('citations').getByRole('link').first().waitFor();
    await shot('ask');

    await page.goto(`${base}/graphiql`);
    await page.getByRole('button', { name: /Execute query/ }).click();
    await page.locator('.graphiql-response').getByText('consultant').waitFor();
    await shot('graphiql');
  } finally {
    await browser.close();
    await fixture.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

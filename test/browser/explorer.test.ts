/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser.)
// The explorer as an analyst uses it, in Debian's Chromium: each flow signs in with a key, clicks
// through the views and checks what a person would see. A failing flow leaves a screenshot in
// test-results/explorer/. Every page must load from this server only (offlineContext).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import axe from 'axe-core';
import { startExplorerFixture, type ExplorerFixture } from '../support/explorer-fixture';
import { launchChromium, offlineContext, signIn } from '../support/browser';

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'explorer');

let fixture: ExplorerFixture;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'explorer', 'index.html'))) {
    throw new Error('dist/explorer is missing: run `npm run build:explorer` first (npm run test:browser does)');
  }
  [fixture, browser] = await Promise.all([startExplorerFixture(), launchChromium()]);
  base = fixture.server.base;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
}, 120_000);

/** A flow in a fresh, offline browser context; on failure a screenshot of the page, then the error. */
function flow(name: string, run: (page: Page, context: BrowserContext) => Promise<void>, timeout = 120_000) {
  test(
    name,
    async () => {
      const { context, foreign, pageErrors } = await offlineContext(browser, base);
      const page = await context.newPage();
      try {
        await run(page, context);
        expect(foreign).toEqual([]);
        expect(pageErrors).toEqual([]);
      } catch (err) {
        fs.mkdirSync(SHOTS, { recursive: true });
        await page
          .screenshot({ path: path.join(SHOTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true })
          .catch(() => undefined);
        throw err;
      } finally {
        await context.close();
      }
    },
    timeout,
  );
}

/** axe-core's WCAG 2 A/AA rules (labels, contrast, names, landmarks) on the page as it is now. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's CSP (script-src 'self') refuses inline scripts.
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

flow('sign in with the keyboard; the key stays in this tab only', async (page) => {
  await page.goto(`${base}/explorer`);
  await page.getByLabel('API key').focus();
  await page.keyboard.type('not-a-key');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').textContent()).resolves.toMatch(/key/i);
  await page.getByLabel('API key').fill('');
  await page.keyboard.type(fixture.server.keys.analyst);
  await page.keyboard.press('Enter');
  await page.getByTestId('role').filter({ hasText: 'analyst' }).waitFor();
  expect(await page.evaluate(() => ({ session: Object.keys(sessionStorage).length, local: localStorage.length }))).toEqual({
    session: 2,
    local: 0,
  });
  // Keyboard only: Tab reaches the search box, Enter searches.
  for (let i = 0; i < 15 && !(await page.evaluate(() => document.activeElement?.id === 'q')); i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('search in Chinese and open a candidate; personal fields follow the role', async (page) => {
  const zh = fixture.samples.zhCandidate;
  for (const role of ['analyst', 'admin'] as const) {
    await signIn(page, base, fixture.server.keys[role]);
    await page.getByLabel('Candidates, companies and jobs').fill(zh.query);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hit = page.getByTestId('candidate-hits').getByRole('link', { name: zh.name, exact: true });
    await hit.click();
    await page.getByRole('heading', { level: 1, name: zh.name }).waitFor();
    const email = page.getByTestId('field-email');
    if (role === 'analyst') await expect(email.textContent()).resolves.toBe('not shown to this role');
    else await expect(email.textContent()).resolves.toMatch(/@/);
    if (role === 'analyst') expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
});

flow('open a candidate’s network and expand it by clicking a node', async (page) => {
  await signIn(page, base, fixture.server.keys.analyst);
  await page.goto(`${base}/explorer#/graph/${fixture.samples.pathFrom.id}`);
  const status = page.getByTestId('graph-status');
  await status
    .filter({ hasNotText: 'Loading' })
    .filter({ hasText: /[1-9]\d* nodes/ })
    .waitFor();
  const loaded = async () => Number(/\((\d+) loaded\)/.exec((await status.textContent()) ?? '')![1]);
  const before = await loaded();
  // Click a company on the WebGL canvas, where sigma drew it.
  const target = await page.evaluate(() => {
    const s = (window as any).__explorerSigma;
    const g = s.getGraph();
    const id = g.nodes().find((n: string) => g.getNodeAttribute(n, 'kind') === 'Company');
    const p = s.graphToViewport({ x: g.getNodeAttribute(id, 'x'), y: g.getNodeAttribute(id, 'y') });
    return { id, label: g.getNodeAttribute(id, 'label') as string, x: p.x, y: p.y };
  });
  const box = (await page.getByTestId('sigma').boundingBox())!;
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.getByTestId('selected-node').getByRole('heading', { name: target.label }).waitFor();
  await page.waitForFunction(
    (n) => Number(/\((\d+) loaded\)/.exec(document.querySelector('[data-testid=graph-status]')!.textContent!)![1]) > n,
    before,
  );
  // The relation-type filter hides what it unticks.
  const shown = async () => Number(/(\d+) edges shown/.exec((await status.textContent()) ?? '')![1]);
  const all = await shown();
  await page.getByLabel('WORKED_AT').uncheck();
  await page.waitForFunction(
    (n) => Number(/(\d+) edges shown/.exec(document.querySelector('[data-testid=graph-status]')!.textContent!)![1]) < n,
    all,
  );
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('show an introduction path and step through it hop by hop', async (page) => {
  const { pathFrom, pathTo } = fixture.samples;
  await signIn(page, base, fixture.server.keys.consultant);
  await page.goto(`${base}/explorer#/record/${pathFrom.id}`);
  await page.getByRole('link', { name: 'Introduction paths from here' }).click();
  await page.getByLabel('To: find by name').fill(pathTo.name);
  await page
    .getByRole('list', { name: 'To choices' })
    .getByRole('button', { name: new RegExp(`^${pathTo.name}`) })
    .first()
    .click();
  await page.getByRole('button', { name: 'Find paths' }).click();
  const first = page.getByRole('list', { name: 'Paths, strongest first' }).getByRole('button').first();
  await expect(first.textContent()).resolves.toMatch(new RegExp(`^${pathFrom.name} → .+ → ${pathTo.name}$`));
  await page.getByRole('button', { name: 'Next hop' }).click();
  await page
    .getByTestId('hop-status')
    .filter({ hasText: /^Hop 1 of \d$/ })
    .waitFor();
  await expect(page.locator('.hops li[aria-current=step]').textContent()).resolves.toContain(pathFrom.name);
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('open a company’s talent flow from search', async (page) => {
  const company = fixture.samples.flowCompany;
  await signIn(page, base, fixture.server.keys.analyst);
  await page.getByLabel('Candidates, companies and jobs').fill(company.name);
  await page.keyboard.press('Enter');
  await page
    .getByTestId('company-hits')
    .getByRole('listitem')
    .filter({ hasText: company.name })
    .first()
    .getByRole('link', { name: 'talent flow' })
    .click();
  await page.getByRole('heading', { level: 1, name: `Talent flow: ${company.name}` }).waitFor();
  const sankey = page.getByTestId('sankey');
  await sankey.waitFor();
  expect(await sankey.locator('path').count()).toBeGreaterThan(0);
  // By year: picking a year redraws with that year's moves only.
  const years = await page.getByLabel('Year').locator('option').allTextContents();
  expect(years.length).toBeGreaterThan(1);
  await page.getByLabel('Year').selectOption(years[years.length - 1]!);
  await page.locator('[data-testid=sankey], [role=status]').first().waitFor();
  await page.getByTestId('predictions').or(page.getByText('No prediction for this company.')).first().waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('open a job’s matches with a bar per score component', async (page) => {
  await signIn(page, base, fixture.server.keys.analyst);
  await page.goto(`${base}/explorer#/job/${fixture.samples.job.id}`);
  await page.getByRole('heading', { level: 1, name: `Matches: ${fixture.samples.job.title}` }).waitFor();
  const first = page.getByTestId('matches').getByRole('listitem').first();
  const meters = first.getByRole('meter');
  expect(await meters.count()).toBeGreaterThanOrEqual(3);
  const score = Number(await first.getByRole('meter', { name: 'score' }).getAttribute('aria-valuenow'));
  expect(score).toBeGreaterThan(0);
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('ask a question, watch the plan and the answer stream, open a citation', async (page) => {
  await signIn(page, base, fixture.server.keys.consultant);
  await page.getByRole('link', { name: 'Ask' }).click();
  await page.getByLabel('Question').fill(fixture.samples.zhCandidate.query);
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  const citation = page.getByTestId('citations').getByRole('link').first();
  await citation.waitFor();
  await page
    .getByTestId('plan')
    .getByRole('listitem')
    .filter({ hasText: 'searchCandidates' })
    .filter({ hasText: /ok, \d+ records/ })
    .waitFor();
  await expect(page.getByTestId('reasoning').textContent()).resolves.toContain('The question asks');
  await expect(page.getByTestId('answer').textContent()).resolves.toContain('Here is what I found');
  const label = (await citation.textContent())!;
  expect(await accessibilityViolations(page)).toEqual([]);
  await citation.click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
});

flow('GraphiQL is served locally with the session’s key in the headers', async (page) => {
  await signIn(page, base, fixture.server.keys.frontend);
  await page.getByRole('link', { name: 'GraphiQL' }).click();
  await page.locator('.graphiql-container').waitFor();
  // The default query asks who the key belongs to; the answer comes from the key in the headers.
  await page.getByRole('button', { name: /Execute query/ }).click();
  await page.locator('.graphiql-response').getByText('"frontend"').waitFor();
});

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

/** Types a name into the paths form's target box and picks the first person of that name. */
async function chooseTarget(page: Page, name: string): Promise<void> {
  await page.getByLabel('To: find by name').fill(name);
  await page
    .getByRole('list', { name: 'To choices' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .first()
    .click();
}

/** Picks "someone at a company" as the paths' target and the first company of that name. */
async function chooseTargetCompany(page: Page, name: string): Promise<void> {
  await page.getByLabel('someone at a company').check();
  await page.getByLabel('To company: find by name').fill(name);
  await page
    .getByRole('list', { name: 'To company choices' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .first()
    .click();
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
  // Drawn at once, then laid out in a worker ("arranging…"); nodes hold still once it is done.
  await status
    .filter({ hasNotText: 'Loading' })
    .filter({ hasText: /[1-9]\d* nodes/ })
    .waitFor();
  await status.filter({ hasNotText: 'arranging' }).waitFor();
  const loaded = async () => Number(/\((\d+) loaded\)/.exec((await status.textContent()) ?? '')![1]);
  const before = await loaded();
  // Click a company on the WebGL canvas, where sigma drew it: one inside the canvas, the farthest from
  // any other node (a layout may draw a company under another node or out of frame), with the canvas
  // scrolled into the window.
  await page.getByTestId('sigma').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const target = await page.evaluate(() => {
    const s = (window as any).__explorerSigma;
    const g = s.getGraph();
    const { width, height } = s.getDimensions();
    const at = (n: string) => s.graphToViewport({ x: g.getNodeAttribute(n, 'x'), y: g.getNodeAttribute(n, 'y') });
    const all = g.nodes().map((n: string) => ({ n, ...at(n) }));
    const room = (c: { n: string; x: number; y: number }) =>
      Math.min(...all.filter((o: any) => o.n !== c.n).map((o: any) => Math.hypot(o.x - c.x, o.y - c.y)));
    const [best] = all
      .filter((c: any) => g.getNodeAttribute(c.n, 'kind') === 'Company' && c.x > 20 && c.y > 20 && c.x < width - 20 && c.y < height - 20)
      .sort((a: any, b: any) => room(b) - room(a));
    return { id: best.n as string, label: g.getNodeAttribute(best.n, 'label') as string, x: best.x as number, y: best.y as number };
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
  await chooseTarget(page, pathTo.name);
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

  // The same person to someone who works at a company now: the hops the API gives, drawn in order.
  const { pathCompany } = fixture.samples;
  const api = await fixture.server.gql(
    `query($from: ID!, $to: ID!) { introductionPaths(from: $from, to: $to, maxHops: 3) {
      strength nodeIds hops { kind strength } employee { title since candidate { name } } } }`,
    { from: pathFrom.id, to: pathCompany.id },
    'consultant',
  );
  expect(api.body.errors).toBeUndefined();
  const [best] = api.body.data.introductionPaths;
  await chooseTargetCompany(page, pathCompany.name);
  await page.getByRole('button', { name: 'Find paths' }).click();
  const paths = page.getByRole('list', { name: 'Paths, strongest first' });
  const employee = best.employee.candidate.name;
  await paths
    .getByRole('button')
    .first()
    .filter({ hasText: new RegExp(`^${pathFrom.name} → .+ → ${employee} \\(at ${pathCompany.name}\\)$`) })
    .waitFor();
  const strengths = (await paths.getByRole('meter').evaluateAll((ms) => ms.map((m) => m.getAttribute('aria-valuenow')))).map(Number);
  expect(strengths).toEqual(api.body.data.introductionPaths.map((p: { strength: number }) => p.strength));
  const hops = page.locator('.hops li');
  expect(await hops.count()).toBe(best.hops.length);
  for (const [i, h] of (best.hops as { kind: string; strength: number }[]).entries()) {
    await expect(hops.nth(i).textContent()).resolves.toContain(h.kind);
    await expect(hops.nth(i).getByRole('meter').getAttribute('aria-valuenow')).resolves.toBe(String(h.strength));
  }
  await expect(page.getByTestId('path-employee').textContent()).resolves.toBe(
    `Reaches ${employee}, ${best.employee.title} at ${pathCompany.name} since ${best.employee.since}.`,
  );
  await page.getByRole('button', { name: 'Next hop' }).click();
  await expect(page.locator('.hops li[aria-current=step]').textContent()).resolves.toContain(pathFrom.name);
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('introduction paths from a consultant’s contacts, strongest first', async (page) => {
  const { consultant, pathTo } = fixture.samples;
  // What the API gives, contact by contact: the view must lead with the strongest of them all.
  const contacts: { id: string; name: string }[] = (
    await fixture.server.gql(
      'query($id: ID!) { candidates(first: 20, filter: { ownerId: $id }) { edges { node { id name } } } }',
      { id: consultant.id },
      'consultant',
    )
  ).body.data.candidates.edges.map((e: any) => e.node);
  let best = 0;
  for (const c of contacts.filter((x) => x.id !== pathTo.id)) {
    const r = await fixture.server.gql(
      'query($from: ID!, $to: ID!) { introductionPaths(from: $from, to: $to, maxHops: 3) { strength } }',
      { from: c.id, to: pathTo.id },
      'consultant',
    );
    for (const p of r.body.data?.introductionPaths ?? []) best = Math.max(best, p.strength);
  }
  expect(best).toBeGreaterThan(0);

  await signIn(page, base, fixture.server.keys.consultant);
  await page.getByRole('link', { name: 'Introduction paths', exact: true }).click();
  await page.getByLabel('a consultant’s contacts').check();
  await page.getByLabel('Consultant', { exact: true }).selectOption({ label: consultant.name });
  await chooseTarget(page, pathTo.name);
  await page.getByRole('button', { name: 'Find paths' }).click();
  const list = page.getByRole('list', { name: 'Paths, strongest first' });
  await list.waitFor();
  await expect(page.getByTestId('contacts-asked').textContent()).resolves.toMatch(/contacts of the consultant/);
  const paths = await list.getByRole('button').allTextContents();
  const strengths = (await list.getByRole('meter').evaluateAll((ms) => ms.map((m) => m.getAttribute('aria-valuenow')))).map(Number);
  expect(paths.length).toBeGreaterThan(0);
  const names = new Set(contacts.map((c) => c.name));
  for (const p of paths) {
    expect(names.has(p.split(' → ')[0]!)).toBe(true);
    expect(p.endsWith(` → ${pathTo.name}`)).toBe(true);
  }
  expect(strengths[0]).toBe(best);
  expect([...strengths].sort((a, b) => b - a)).toEqual(strengths);
  expect(await accessibilityViolations(page)).toEqual([]);
});

flow('a key that speaks for a consultant starts introduction paths from their network', async (page) => {
  const { consultant, pathTo } = fixture.samples;
  // What the API gives from the consultant's own node: the view must show the same paths.
  const api = await fixture.server.gql(
    'query($from: ID!, $to: ID!) { introductionPaths(from: $from, to: $to, maxHops: 3) { strength hops { kind } } }',
    { from: consultant.id, to: pathTo.id },
    'consultant',
  );
  expect(api.body.errors).toBeUndefined();
  const expected: { strength: number; hops: { kind: string }[] }[] = api.body.data.introductionPaths;
  expect(expected.length).toBeGreaterThan(0);

  await signIn(page, base, fixture.consultantKey);
  await expect(page.getByTestId('viewer-consultant').textContent()).resolves.toBe(consultant.name);
  await page.getByRole('link', { name: 'Introduction paths', exact: true }).click();
  expect(await page.getByRole('group', { name: 'Paths start from' }).getByLabel(`my network (${consultant.name})`).isChecked()).toBe(true);
  await chooseTarget(page, pathTo.name);
  await page.getByRole('button', { name: 'Find paths' }).click();
  const list = page.getByRole('list', { name: 'Paths, strongest first' });
  await list.waitFor();
  const paths = await list.getByRole('button').allTextContents();
  const strengths = (await list.getByRole('meter').evaluateAll((ms) => ms.map((m) => m.getAttribute('aria-valuenow')))).map(Number);
  for (const p of paths) {
    expect(p.startsWith(`${consultant.name} → `)).toBe(true);
    expect(p.endsWith(` → ${pathTo.name}`)).toBe(true);
  }
  expect(strengths).toEqual(expected.map((p) => p.strength));
  // The first hop is the consultant's own tie to a contact.
  await expect(page.locator('.hops li').first().textContent()).resolves.toMatch(
    new RegExp(`^${consultant.name} → .+: ${expected[0]!.hops[0]!.kind}`),
  );
  expect(['OWNER', 'PLACEMENT']).toContain(expected[0]!.hops[0]!.kind);
  expect(await accessibilityViolations(page)).toEqual([]);

  // A consultant-role key that speaks for no one starts from a person, as before.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, base, fixture.server.keys.consultant);
  await page.getByRole('link', { name: 'Introduction paths', exact: true }).click();
  const start = page.getByRole('group', { name: 'Paths start from' });
  expect(await start.getByLabel('a person').isChecked()).toBe(true);
  expect(await start.getByLabel(/^my network/).count()).toBe(0);
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

flow('the talent-flow chord shows the moves GraphQL has among a company and its partners, all years and one', async (page) => {
  const company = fixture.samples.flowCompany;
  await signIn(page, base, fixture.server.keys.analyst);
  await page.goto(`${base}/explorer#/flow/${company.id}`);
  const chord = page.getByTestId('chord');
  await chord.waitFor();
  // The companies on the circle: an arc each, a link to its own talent flow.
  const members: { id: string; name: string }[] = await chord
    .locator('a')
    .evaluateAll((as) => as.map((a) => ({ id: decodeURIComponent(a.getAttribute('href')!.replace('#/flow/', '')), name: a.textContent! })));
  expect(members[0]).toEqual(company);
  expect(members.length).toBeGreaterThan(2);
  const names = new Map(members.map((m) => [m.id, m.name]));
  // What the API says each of them sent to each other, by year.
  const sent = new Map<string, { year: number; count: number }[]>();
  for (const m of members) {
    const r = await fixture.server.gql(
      'query($id: ID!) { talentFlow(companyId: $id, direction: OUT, first: 200) { companyId byYear { year count } } }',
      { id: m.id },
      'analyst',
    );
    expect(r.body.errors).toBeUndefined();
    for (const p of r.body.data.talentFlow)
      if (names.has(p.companyId) && p.companyId !== m.id) sent.set(`${m.id}>${p.companyId}`, p.byYear);
  }
  const expected = (year?: number) =>
    Object.fromEntries(
      [...sent]
        .map(
          ([pair, byYear]) => [pair, byYear.filter((y) => year === undefined || y.year === year).reduce((s, y) => s + y.count, 0)] as const,
        )
        .filter(([, n]) => n > 0)
        .map(([pair, n]) => {
          const [from, to] = pair.split('>') as [string, string];
          return [pair, `${names.get(from)} → ${names.get(to)}: ${n}`];
        }),
    );
  const ribbons = async () =>
    Object.fromEntries(
      await chord
        .locator('path.ribbon')
        .evaluateAll((ps) => ps.map((p) => [`${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`, p.textContent])),
    );
  const all = expected();
  expect(await ribbons()).toEqual(all);
  // What the chord adds to the Sankey: moves between two partners, neither of them the company.
  expect(Object.keys(all).some((pair) => !pair.split('>').includes(company.id))).toBe(true);
  // The table beside it has the same numbers, row to column.
  const table = await page
    .getByTestId('chord-table')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
  for (const [i, from] of members.entries())
    for (const [j, to] of members.entries()) {
      if (i === j) continue;
      const title = all[`${from.id}>${to.id}`];
      expect({ from: from.name, to: to.name, n: table[i]![j] }).toEqual({
        from: from.name,
        to: to.name,
        n: title ? /\d+$/.exec(title)![0] : '',
      });
    }

  // Keyboard: Tab from the company’s arc to the next one lights that company's ribbons only.
  await chord.locator('a').first().focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => decodeURIComponent(document.activeElement!.getAttribute('href')!.replace('#/flow/', '')));
  expect(focused).toBe(members[1]!.id);
  await chord.locator('path.ribbon[data-lit=false]').first().waitFor();
  const lit = await chord
    .locator('path.ribbon[data-lit=true]')
    .evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-from'), p.getAttribute('data-to')]));
  expect(lit.length).toBeGreaterThan(0);
  for (const pair of lit) expect(pair).toContain(focused);
  expect(await chord.locator('path.ribbon').count()).toBeGreaterThan(lit.length);

  // One year: the year with the most moves among them.
  const perYear = new Map<number, number>();
  for (const byYear of sent.values()) for (const y of byYear) perYear.set(y.year, (perYear.get(y.year) ?? 0) + y.count);
  const [year] = [...perYear].sort((a, b) => b[1] - a[1])[0]!;
  await page.getByLabel('Year').selectOption(String(year));
  await page.locator(`[data-testid=chord][aria-label*="in ${year}:"]`).waitFor();
  expect(await ribbons()).toEqual(expected(year));

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

flow('a job’s stored match scores show what GraphQL (and so BI) has for it, a bar per component', async (page) => {
  // The labels an analyst reads beside each bar, and the component of Job.topMatches each one shows.
  const components: Record<string, string> = {
    'keyword (BM25F)': 'keyword',
    meaning: 'vector',
    'title section': 'vectorTitle',
    'skills section': 'vectorSkills',
    'profile section': 'vectorProfile',
    'required skills held': 'skillsRequired',
    'preferred skills held': 'skillsPreferred',
    'seniority fit': 'seniorityFit',
    'location fit': 'locationFit',
    'talent flow (moves)': 'talentFlow',
    'former colleagues there': 'warmPath',
  };
  const api = await fixture.server.gql(
    `query($id: ID!) { job(id: $id) { topMatches(first: 20) { rank score modelVersion explanation candidate { name }
      components { ${Object.values(components).join(' ')} } } } }`,
    { id: fixture.samples.job.id },
    'analyst',
  );
  expect(api.body.errors).toBeUndefined();
  const expected: any[] = api.body.data.job.topMatches;
  expect(expected.length).toBeGreaterThan(0);

  await signIn(page, base, fixture.server.keys.analyst);
  await page.goto(`${base}/explorer#/job/${fixture.samples.job.id}`);
  const rows = page.getByTestId('match-scores').getByRole('listitem');
  await rows.first().waitFor();
  const shown = await rows.evaluateAll((items) =>
    items.map((li) => ({
      rank: li.querySelector('.rank')!.textContent,
      name: li.querySelector('a')!.textContent,
      model: li.querySelector('.sub')!.textContent,
      why: li.querySelector('.why')!.textContent,
      bars: Array.from(li.querySelectorAll('.bar')).map((b) => ({
        label: b.querySelector('.bar-label')!.textContent!,
        text: b.querySelector('.bar-value')!.textContent,
        value: b.querySelector('[role=meter]')!.getAttribute('aria-valuenow'),
      })),
    })),
  );
  expect(shown.length).toBe(expected.length);
  for (const [i, m] of expected.entries()) {
    const row = shown[i]!;
    expect({ rank: row.rank, name: row.name, model: row.model, why: row.why }).toEqual({
      rank: `#${m.rank}`,
      name: m.candidate.name,
      model: `model ${m.modelVersion}`,
      why: m.explanation,
    });
    const score = row.bars.find((b) => b.label === 'score')!;
    expect({ text: score.text, value: Number(score.value) }).toEqual({ text: m.score.toFixed(3), value: m.score });
    expect(row.bars.map((b) => b.label).filter((l) => l !== 'score')).toEqual(Object.keys(components));
    for (const b of row.bars.filter((x) => x.label !== 'score')) {
      const v: number | null = m.components[components[b.label]!];
      const digits = b.label === 'talent flow (moves)' || b.label === 'former colleagues there' ? 0 : 3;
      expect({ label: b.label, text: b.text }).toEqual({ label: b.label, text: v === null ? '–' : v.toFixed(digits) });
      if (v !== null) expect(Number(b.value)).toBe(v);
    }
  }
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

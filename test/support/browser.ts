/**
 * Debian's Chromium driven by playwright-core (no browser download): the explorer's browser tests,
 * `npm run screenshots` and `bench:explorer` launch it here. CHROMIUM_PATH overrides where it is.
 */
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!path || !fs.existsSync(path)) {
    throw new Error(
      `no Chromium found (looked at ${process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.join(', ')}): apt-get install -y chromium, or set CHROMIUM_PATH`,
    );
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Root in a container has no user namespace for the sandbox; WebGL (sigma) runs on SwiftShader.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
}

/**
 * A fresh context (empty sessionStorage) that refuses any request to another origin and remembers it,
 * so a page that reaches for a CDN fails its test instead of passing on a machine with network.
 */
export async function offlineContext(
  browser: Browser,
  base: string,
): Promise<{ context: BrowserContext; foreign: string[]; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  const origin = new URL(base).origin;
  const wsOrigin = origin.replace(/^http/, 'ws');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith(wsOrigin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  context.on('page', (p: Page) => p.on('pageerror', (e) => pageErrors.push(String(e))));
  return { context, foreign, pageErrors };
}

export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/explorer`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

// /explorer and /graphiql as a browser fetches them: the pages and hashed assets from the bundle, a
// policy that lets them load nothing from elsewhere, and a message that says what to do when the
// bundle was never built.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { findExplorerBundle, mountExplorer } from '../../src/app/explorer-routes';

async function serve(bundle: string | null): Promise<{ base: string; close: () => Promise<void> }> {
  const app = express();
  mountExplorer(app, bundle);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('explorer routes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-bundle-'));
  beforeAll(() => {
    fs.mkdirSync(path.join(dir, 'dist', 'explorer', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'explorer', 'index.html'), '<title>MatchHub explorer</title>');
    fs.writeFileSync(path.join(dir, 'dist', 'explorer', 'graphiql.html'), '<title>MatchHub GraphiQL</title>');
    fs.writeFileSync(path.join(dir, 'dist', 'explorer', 'assets', 'explorer-abc123.js'), 'console.log(1)');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds dist/explorer above the calling file', () => {
    expect(findExplorerBundle(path.join(dir, 'dist', 'src', 'app'))).toBe(path.join(dir, 'dist', 'explorer'));
    expect(findExplorerBundle(path.join(dir, 'src', 'app'))).toBe(path.join(dir, 'dist', 'explorer'));
  });

  it('serves both pages with a same-origin-only policy, and the hashed assets for good', async () => {
    const s = await serve(path.join(dir, 'dist', 'explorer'));
    try {
      for (const [url, title] of [
        ['/explorer', 'MatchHub explorer'],
        ['/explorer/', 'MatchHub explorer'],
        ['/graphiql', 'MatchHub GraphiQL'],
      ]) {
        const res = await fetch(s.base + url);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain(title);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/https?:/);
      }
      const asset = await fetch(`${s.base}/explorer/assets/explorer-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${s.base}/explorer/assets/missing.js`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('answers 503 with what to run when the bundle was not built', async () => {
    const s = await serve(null);
    try {
      const res = await fetch(`${s.base}/explorer`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    } finally {
      await s.close();
    }
  });
});

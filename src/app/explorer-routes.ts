/**
 * The analyst's explorer (/explorer) and GraphiQL (/graphiql): static pages that `npm run build`
 * bundles from explorer/ into dist/explorer (vite). Everything they load comes from this server, and
 * the Content-Security-Policy says so, so they work offline and can pull nothing from a CDN. They
 * talk to /graphql with the API key the analyst typed in, like any other client: the key's role
 * decides what they see.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes (bar widths, colours) and GraphiQL's editor injects style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // GraphiQL's editor runs its language services in workers loaded from the bundle.
  "worker-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** dist/explorer above this file: found from src/app (tests) and from dist/src/app (`npm start`) alike. */
export function findExplorerBundle(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dist', 'explorer');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function mountExplorer(app: Express, bundle: string | null = findExplorerBundle() ?? null): void {
  const page = (file: string) => (_req: unknown, res: Response) => {
    if (!bundle) {
      res
        .status(503)
        .type('text/plain')
        .send('The explorer is not built: run `npm run build` (it bundles explorer/ into dist/explorer), then restart the server.\n');
      return;
    }
    res.set({ 'content-security-policy': CSP, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.sendFile(path.join(bundle, file));
  };
  app.get(['/explorer', '/explorer/'], page('index.html'));
  app.get('/graphiql', page('graphiql.html'));
  if (bundle) {
    // File names carry a content hash (vite), so a browser may keep them for good.
    app.use(
      '/explorer/assets',
      express.static(path.join(bundle, 'assets'), {
        immutable: true,
        maxAge: '365d',
        index: false,
        setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
      }),
    );
  }
}

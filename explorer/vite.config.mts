// The analyst's explorer and GraphiQL, bundled by `npm run build` into dist/explorer and served by the
// server at /explorer and /graphiql (src/app/explorer-routes.ts): no CDN, nothing fetched at run time.
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** The head both pages share, written once: each page's HTML keeps only its title and what is its own. */
const sharedHead: Plugin = {
  name: 'matchhub-shared-head',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { charset: 'utf-8' }, injectTo: 'head-prepend' },
    { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1' }, injectTo: 'head-prepend' },
    // No favicon request (the server has none to give).
    { tag: 'link', attrs: { rel: 'icon', href: 'data:,' }, injectTo: 'head-prepend' },
  ],
};

export default defineConfig({
  root: import.meta.dirname,
  base: '/explorer/',
  plugins: [sharedHead],
  // JSX through vite's own transform; no plugin needed (no hot reload in production).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/explorer'),
    emptyOutDir: true,
    // GraphiQL's editor (Monaco) is one large chunk by nature; it loads on /graphiql only.
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      input: { explorer: path.resolve(import.meta.dirname, 'index.html'), graphiql: path.resolve(import.meta.dirname, 'graphiql.html') },
      // GraphiQL's React libraries mark modules "use client" for server components, which a browser bundle ignores.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});

// The analyst's explorer and GraphiQL, bundled by `npm run build` into dist/explorer and served by the
// server at /explorer and /graphiql (src/app/explorer-routes.ts): no CDN, nothing fetched at run time.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/explorer/',
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

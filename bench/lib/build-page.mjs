import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defaultClientConditions } from 'vite';
import { serveStatic } from './static-server.mjs';

/**
 * Builds the bench page in `pageDir` into a temporary directory and serves it on 127.0.0.1. Pushes the
 * teardown of both onto `cleanups` (see `bounded`); resolves to the site's URL.
 */
export async function buildAndServePage(who, pageDir, cleanups) {
  console.log(`${who}: building the page…`);
  // Built outside the repository, so linters and formatters never see the bundle.
  const outDir = await mkdtemp(join(os.tmpdir(), 'socketboard-bench-page-'));
  cleanups.push(() => rm(outDir, { recursive: true, force: true }));
  await buildPage(pageDir, outDir);
  const site = await serveStatic(outDir);
  cleanups.push(site.close);
  return site.url;
}

/**
 * Builds the page in `pageDir` (its index.html and what it imports) as a production bundle into `outDir`. `source` resolves the workspace packages to their TypeScript sources, so no package build is
 * needed; react-dom/client is swapped for its profiling build so <Profiler onRender> reports commits in
 * production.
 */
async function buildPage(pageDir, outDir) {
  await build({
    root: pageDir,
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    resolve: {
      conditions: [...defaultClientConditions, 'source'],
      alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }],
    },
    // One bundle of React, recharts and the packages: its size is not what these benchmarks are about.
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
    },
  });
}

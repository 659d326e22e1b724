import react from '@vitejs/plugin-react';
import { build, defaultClientConditions } from 'vite';

/**
 * Builds the bench page in `pageDir` (its index.html and what it imports) as a production bundle into
 * `outDir`, as bench/react/build-page.mjs does for its page: `source` resolves the workspace packages to
 * their TypeScript sources, and react-dom/client is swapped for its profiling build so
 * <Profiler onRender> reports commits in production.
 */
export async function buildPage(pageDir, outDir) {
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

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, defaultClientConditions } from 'vite';

const pageDir = fileURLToPath(new URL('./page/', import.meta.url));

/**
 * Builds the bench page (both variants, picked by query) as a production bundle into `outDir`.
 * `source` resolves the workspace packages to their TypeScript sources, so no package build is needed;
 * react-dom/client is swapped for its profiling build so <Profiler onRender> counts commits.
 */
export async function buildPage(outDir) {
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
    // One bundle of React, recharts and the packages: its size is not what this benchmark is about.
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

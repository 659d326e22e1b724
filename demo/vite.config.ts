import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run dev` runs the demo server (API and socket) behind Vite's proxy. */
export const DEV_API_PORT = Number(process.env.DEMO_API_PORT ?? 5179);

// The page is built into dist/client, the server (`--ssr server/main.ts`) into dist/server. Both use
// the workspace packages' TypeScript sources (the `source` condition, as the tests do), so the demo
// always shows the code in this checkout and needs no package build; the server bundle keeps only
// `ws` external and runs on plain Node 20.
export default defineConfig(({ isSsrBuild }) => ({
  root: here,
  // public/ (the favicon) belongs to the page only.
  publicDir: isSsrBuild ? false : 'public',
  plugins: [react()],
  resolve: {
    conditions: [...defaultClientConditions, 'source'],
    alias: {
      // The stylesheet's export points at dist; its source is the same file.
      '@socketboard/dashboard/styles.css': fileURLToPath(
        new URL('../packages/dashboard/src/styles.css', import.meta.url),
      ),
    },
  },
  ssr: {
    noExternal: [/^@socketboard\//],
    resolve: { conditions: [...defaultServerConditions, 'source'] },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/socket': { target: `ws://127.0.0.1:${DEV_API_PORT}`, ws: true },
      '/api': { target: `http://127.0.0.1:${DEV_API_PORT}` },
    },
  },
  build: isSsrBuild
    ? { outDir: 'dist/server', emptyOutDir: true, target: 'node20', sourcemap: true }
    : {
        outDir: 'dist/client',
        emptyOutDir: true,
        target: 'es2022',
        sourcemap: true,
        reportCompressedSize: false,
        // React, recharts and the kit in one lazy-free bundle: a demo page, not a size benchmark.
        chunkSizeWarningLimit: 2048,
      },
}));

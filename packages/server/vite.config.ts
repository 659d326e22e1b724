import { defineConfig } from 'vite';

// Node library build: ESM only; declarations from `tsc -p tsconfig.build.json` into the same dist.
export default defineConfig({
  build: {
    ssr: true,
    lib: { entry: { index: 'src/index.ts', redis: 'src/redis-broker.ts' }, formats: ['es'] },
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'node20',
    rollupOptions: { external: [/^node:/, /^ws($|\/)/, /^ioredis/, /^@socketboard\//] },
  },
});

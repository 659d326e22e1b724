import { defineConfig } from 'vite';

// Library build: ESM only; declarations come from `tsc -p tsconfig.build.json` into the same dist.
// Entries: the engine; `protocol` and `emitter` alone, for servers that must not load the engine.
export default defineConfig({
  build: {
    lib: {
      entry: { index: 'src/index.ts', protocol: 'src/protocol/index.ts', emitter: 'src/emitter.ts' },
      formats: ['es'],
    },
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    rollupOptions: { external: [/^zustand/, /^@socketboard\//] },
  },
});

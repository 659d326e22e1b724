import { defineConfig } from 'vite';

// Library build: ESM only; declarations come from `tsc -p tsconfig.build.json` into the same dist.
export default defineConfig({
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    rollupOptions: { external: [/^react($|\/)/, /^react-dom($|\/)/, /^zustand/, /^@socketboard\//] },
  },
});

import { copyFileSync, mkdirSync } from 'node:fs';
import { defineConfig } from 'vite';

// Library build: ESM only; declarations from `tsc -p tsconfig.build.json` into the same dist.
// The stylesheet ships as is (plain CSS variables, no preprocessing), copied next to the bundle.
export default defineConfig({
  plugins: [
    {
      name: 'copy-styles',
      closeBundle() {
        mkdirSync('dist', { recursive: true });
        copyFileSync('src/styles.css', 'dist/styles.css');
      },
    },
  ],
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    rollupOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^recharts/, /^zustand/, /^@socketboard\//],
    },
  },
});

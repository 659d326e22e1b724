import { defineConfig } from 'vite';

// Library build: ESM only; declarations from `tsc -p tsconfig.build.json` into the same dist.
export default defineConfig({
  build: {
    lib: { entry: { index: 'src/index.ts', react: 'src/react.ts' }, formats: ['es'] },
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    rollupOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^msw/, /^@testing-library\//, /^zustand/, /^@socketboard\//],
    },
  },
});

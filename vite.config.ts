import { defineConfig } from 'vitest/config';

// One Vitest run for the whole monorepo. `source` resolves workspace packages to their TypeScript
// sources, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          root: 'packages/core',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // Components and hooks in jsdom, sockets mocked by msw.
        extends: true,
        test: {
          name: 'react',
          root: 'packages/react',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude: ['src/**/*.node.test.{ts,tsx}'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
          testTimeout: 20_000,
        },
      },
      {
        // Hooks against a real `ws` server: jsdom's WebSocket cannot reach one under Vitest.
        extends: true,
        test: {
          name: 'react-node',
          root: 'packages/react',
          environment: 'node',
          include: ['src/**/*.node.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          root: 'packages/server',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Dashboard components in jsdom.
        extends: true,
        test: {
          name: 'dashboard',
          root: 'packages/dashboard',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
      {
        // The users' test kit, exercised as users would: jsdom + msw.
        extends: true,
        test: {
          name: 'testing',
          root: 'packages/testing',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
      {
        // Real headless Chromium (Debian's, never downloaded) against built artefacts: Storybook, the demo.
        extends: true,
        test: {
          name: 'e2e',
          root: '.',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          // One Chromium at a time: two at once starve each other on a 2-core machine.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

import { defaultClientConditions } from 'vite';
import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../packages/dashboard/src/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/react-vite', options: {} },
  // mockServiceWorker.js (from `npx msw init .storybook/public`) must be served from the root.
  staticDirs: ['./public'],
  core: { disableTelemetry: true },
  typescript: { reactDocgen: 'react-docgen' },
  viteFinal(viteConfig) {
    // Workspace packages resolve to their TypeScript sources, so Storybook never needs a build first.
    // The browser conditions stay: the root vite.config.ts (a Vitest config for Node) sets only `source`.
    viteConfig.resolve ??= {};
    viteConfig.resolve.conditions = ['source', ...defaultClientConditions];
    return viteConfig;
  },
};

export default config;

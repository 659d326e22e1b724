import { useLayoutEffect } from 'react';
import type { ReactNode } from 'react';
import type { Decorator, Preview } from '@storybook/react-vite';
import { setupWorker } from 'msw/browser';
import { mswLoader } from 'msw-storybook-addon/csf3';
// The source stylesheet: the package export `@socketboard/dashboard/styles.css` points at dist.
import '../packages/dashboard/src/styles.css';
import './preview.css';

type Theme = 'light' | 'dark';

function ThemeFrame({ theme, viewMode, children }: { theme: Theme; viewMode: string; children: ReactNode }) {
  const page = viewMode === 'story';
  useLayoutEffect(() => {
    if (page) document.documentElement.dataset.theme = theme;
  }, [page, theme]);
  return (
    <div className="sb-story" data-theme={theme} data-view={viewMode}>
      {children}
    </div>
  );
}

/**
 * Every story sits on the theme's page colour, with `data-theme` set as an app would set it. In story
 * view the whole page follows (so screenshots have the right background); on docs pages each story
 * carries its own theme.
 */
const withTheme: Decorator = (Story, context) => (
  <ThemeFrame theme={context.globals.theme === 'dark' ? 'dark' : 'light'} viewMode={context.viewMode}>
    <Story />
  </ThemeFrame>
);

const preview: Preview = {
  tags: ['autodocs'],
  // WebSocket stories register their mock server's handler in `parameters.msw.handlers`; nothing else
  // is mocked, so any other request goes to the network untouched.
  loaders: [
    mswLoader(async () => {
      const worker = setupWorker();
      await worker.start({
        quiet: true,
        onUnhandledRequest: 'bypass',
        serviceWorker: { url: './mockServiceWorker.js' },
      });
      return worker;
    }),
  ],
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'Colour theme of the components',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true, sort: 'requiredFirst' },
    backgrounds: { disable: true },
    docs: { codePanel: true },
  },
};

export default preview;

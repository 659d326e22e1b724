import type { Decorator } from '@storybook/react-vite';

/** A Storybook decorator that caps a story's width, as a card in a dashboard column would be. */
export function maxWidth(px: number): Decorator {
  return function MaxWidth(Story) {
    return (
      <div style={{ maxWidth: px }}>
        <Story />
      </div>
    );
  };
}

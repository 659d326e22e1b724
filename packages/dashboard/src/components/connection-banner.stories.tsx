import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { ConnectionBanner } from './connection-banner';
import type { ConnectionBannerProps } from './connection-banner';
import { ConnectionStatus } from './connection-status';
import { mockSocket, outageFeed } from './story-socket';
import { maxWidth } from './story-layout';

const meta = {
  title: 'Connection/ConnectionBanner',
  component: ConnectionBanner,
  args: { status: 'reconnecting', attempt: 3, downSince: 0, onRetry: fn() },
  argTypes: {
    status: {
      control: 'select',
      options: ['idle', 'connecting', 'open', 'reconnecting', 'closed', 'failed'],
    },
    title: { control: 'text' },
  },
  decorators: [maxWidth(640)],
} satisfies Meta<typeof ConnectionBanner>;

export default meta;
type Story = StoryObj<typeof meta>;

function RetryIn(props: ConnectionBannerProps & { seconds: number }) {
  const { seconds, ...rest } = props;
  const [nextRetryAt] = useState(() => Date.now() + seconds * 1_000);
  return <ConnectionBanner {...rest} nextRetryAt={nextRetryAt} />;
}

/** Down for longer than the grace period, next attempt counting down. */
export const Reconnecting: Story = {
  render: (args) => <RetryIn {...args} seconds={12} />,
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-banner')).toHaveAttribute('data-state', 'reconnecting');
    await expect(within(canvasElement).getByText(/Reconnecting in 1[12] s \(attempt 3\)…/)).toBeInTheDocument();
  },
};

export const Offline: Story = { args: { online: false } };

export const Failed: Story = { args: { status: 'failed' } };

/** Retry calls `onRetry` (connected: `reconnect()`). */
export const Retry: Story = {
  args: { status: 'failed' },
  play: async ({ canvasElement, args }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Retry now' }));
    await expect(args.onRetry).toHaveBeenCalledTimes(1);
  },
};

/** A blip shorter than `graceMs` (3 s) shows nothing: here down since just now, so the banner stays hidden. */
export const WithinGrace: Story = {
  name: 'Within grace period',
  render: function Render(args) {
    const [downSince] = useState(() => Date.now());
    return (
      <div className="story-stack">
        <ConnectionBanner {...args} downSince={downSince} graceMs={60_000} />
        <p className="story-note">Down since just now, grace period 60 s: the banner stays hidden.</p>
      </div>
    );
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-banner')).toHaveAttribute('data-state', 'hidden');
  },
};

export const CustomText: Story = {
  name: 'Custom text',
  args: {
    title: 'Live prices paused',
    retryLabel: 'Reconnect',
    children: 'Orders placed now are queued and sent later.',
  },
};

const outage = mockSocket('connection-banner', {
  feed: outageFeed,
  connection: { reconnect: { initialDelayMs: 8_000, maxDelayMs: 8_000 } },
});

/**
 * Provider mode against a mock server that is down: the banner appears after the grace period (500 ms
 * here). When the server is back, Retry reconnects at once and the banner goes away.
 */
export const OutageSocket: Story = {
  name: 'Outage and retry (mock socket)',
  ...outage.story,
  args: { status: undefined, downSince: undefined, onRetry: undefined, graceMs: 500 },
  render: (args) => (
    <div className="story-stack">
      <ConnectionBanner {...args} />
      <div>
        <ConnectionStatus />
      </div>
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const banner = canvasElement.querySelector('.sb-banner');
    await waitFor(() => expect(banner).toHaveAttribute('data-state', 'reconnecting'), { timeout: 5_000 });
    outage.server.refuseNext(0);
    await userEvent.click(canvas.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(banner).toHaveAttribute('data-state', 'hidden'), { timeout: 5_000 });
    await expect(canvasElement.querySelector('.sb-status')).toHaveAttribute('data-state', 'open');
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  render: (args) => (
    <div className="story-stack">
      <RetryIn {...args} seconds={12} />
      <ConnectionBanner {...args} online={false} />
      <ConnectionBanner {...args} status="failed" />
    </div>
  ),
};

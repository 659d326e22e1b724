import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { ConnectionStatus } from './connection-status';
import type { ConnectionStatusProps } from './connection-status';
import { mockSocket, outageFeed } from './story-socket';

const meta = {
  title: 'Connection/ConnectionStatus',
  component: ConnectionStatus,
  args: { status: 'open' },
  argTypes: {
    status: {
      control: 'select',
      options: ['idle', 'connecting', 'open', 'reconnecting', 'closed', 'failed'],
    },
    nextRetryAt: { control: 'date' },
  },
} satisfies Meta<typeof ConnectionStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

function RetryIn(props: ConnectionStatusProps & { seconds: number }) {
  const { seconds, ...rest } = props;
  const [nextRetryAt] = useState(() => Date.now() + seconds * 1_000);
  return <ConnectionStatus {...rest} nextRetryAt={nextRetryAt} />;
}

export const Open: Story = {};

export const Connecting: Story = { args: { status: 'connecting' } };

/** Counting down to the next attempt, once a second. */
export const Reconnecting: Story = {
  args: { status: 'reconnecting' },
  render: (args) => <RetryIn {...args} seconds={12} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/in 1[12] s/)).toBeInTheDocument();
  },
};

export const Failed: Story = { args: { status: 'failed' } };

/** No network: "Offline" wins over the status while not open. */
export const Offline: Story = { args: { status: 'reconnecting', online: false } };

export const Idle: Story = { args: { status: 'idle' } };

export const Closed: Story = { args: { status: 'closed' } };

/** Every status side by side. */
export const AllStates: Story = {
  name: 'All states',
  render: () => (
    <div className="story-row">
      <ConnectionStatus status="idle" />
      <ConnectionStatus status="connecting" />
      <ConnectionStatus status="open" />
      <RetryIn status="reconnecting" seconds={8} />
      <ConnectionStatus status="reconnecting" online={false} />
      <ConnectionStatus status="closed" />
      <ConnectionStatus status="failed" />
    </div>
  ),
};

export const CustomLabels: Story = {
  name: 'Custom labels',
  args: { status: 'open', labels: { open: 'Live', reconnecting: 'Catching up' } },
};

const live = mockSocket('connection-status');

/** Provider mode: the badge reads the `SocketProvider`, here connected to a mock server. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...live.story,
  args: { status: undefined },
  play: async ({ canvasElement }) => {
    const badge = within(canvasElement).getByRole('status');
    await waitFor(() => expect(badge).toHaveAttribute('data-state', 'open'), { timeout: 5_000 });
    await waitFor(() => expect(badge).toHaveTextContent('Connected'), { timeout: 3_000 });
  },
};

const down = mockSocket('connection-status-down', {
  feed: outageFeed,
  connection: { reconnect: { initialDelayMs: 4_000, maxDelayMs: 8_000 } },
});

/** Provider mode with the mock server refusing every attempt: reconnecting, with the countdown. */
export const OutageSocket: Story = {
  name: 'Outage (mock socket)',
  ...down.story,
  args: { status: undefined },
  play: async ({ canvasElement }) => {
    const badge = within(canvasElement).getByRole('status');
    await waitFor(() => expect(badge).toHaveAttribute('data-state', 'reconnecting'), { timeout: 5_000 });
    await waitFor(() => expect(badge).toHaveTextContent(/Reconnecting in \d+ s/), { timeout: 3_000 });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  render: () => (
    <div className="story-row">
      <ConnectionStatus status="connecting" />
      <ConnectionStatus status="open" />
      <RetryIn status="reconnecting" seconds={8} />
      <ConnectionStatus status="reconnecting" online={false} />
      <ConnectionStatus status="failed" />
    </div>
  ),
};

import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { LastUpdated } from './last-updated';
import type { LastUpdatedProps } from './last-updated';
import { MetricCard } from './metric-card';
import { cpuFeed, mockSocket } from './story-socket';
import type { CpuMessage } from './story-socket';

const meta = {
  title: 'Live metrics/LastUpdated',
  component: LastUpdated,
  argTypes: {
    at: { control: 'date' },
    staleAfterMs: { control: { type: 'number', min: 0, step: 1000 } },
  },
} satisfies Meta<typeof LastUpdated>;

export default meta;
type Story = StoryObj<typeof meta>;

function MountedNow(props: Omit<LastUpdatedProps, 'at'>) {
  // The time the story mounted: the label counts up from "just now".
  const [at] = useState(() => Date.now());
  return <LastUpdated {...props} at={at} />;
}

/** Updated a moment ago; the age ticks every second and turns stale after `staleAfterMs` (5 s). */
export const Fresh: Story = {
  render: (args) => <MountedNow {...args} />,
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-last-updated')).toHaveAttribute('data-state', 'fresh');
  },
};

/** The last update is older than `staleAfterMs`. */
export const Stale: Story = {
  render: function Render(args) {
    const [at] = useState(() => Date.now() - 42_000);
    return <LastUpdated {...args} at={at} />;
  },
};

export const Never: Story = { args: { neverText: 'Waiting for the first update' } };

const socket = mockSocket('last-updated', { feed: cpuFeed(1_000, 0) });

/**
 * Channel mode reads the channel's last message time without subscribing by itself: here a card
 * subscribes to `cpu` on a mock server that publishes every second.
 */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { channel: 'cpu', prefix: 'CPU updated' },
  render: (args) => (
    <div className="story-stack" style={{ maxWidth: 280 }}>
      <MetricCard<CpuMessage>
        title="CPU (user)"
        channel="cpu"
        select={(m) => ({ time: m.at, value: m.user })}
        unit="percent"
        showDelta={false}
      />
      <LastUpdated {...args} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByText(/CPU updated/)).toBeInTheDocument(), { timeout: 5_000 });
    await expect(canvasElement.querySelector('.sb-last-updated')).toHaveAttribute('data-state', 'fresh');
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  render: function Render() {
    const [now] = useState(() => Date.now());
    return (
      <div className="story-stack">
        <LastUpdated at={now} />
        <LastUpdated at={now - 42_000} />
        <LastUpdated />
      </div>
    );
  },
};

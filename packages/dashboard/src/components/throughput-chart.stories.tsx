import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { ThroughputChart } from './metrics-charts';
import { alignedNow, metricsSamples } from './story-data';
import { drawnPoints, mockSocket, trafficFeed } from './story-socket';
import { maxWidth } from './story-layout';

const meta = {
  title: 'Connection/ThroughputChart',
  component: ThroughputChart,
  args: {
    samples: metricsSamples(300, 1_000, alignedNow(1_000)),
    staleAfterMs: Infinity,
    height: 200,
  },
  argTypes: {
    samples: { control: false },
    // Stories that should stay live pass Infinity, which a number field cannot show.
    staleAfterMs: { control: false },
    metric: { control: 'inline-radio', options: ['messages', 'bytes'] },
  },
  decorators: [maxWidth(720)],
} satisfies Meta<typeof ThroughputChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Messages per second in and out. */
export const Messages: Story = {};

export const Bytes: Story = { args: { metric: 'bytes' } };

export const Empty: Story = { args: { samples: [] } };

/** Paused by the user: the chart holds still. */
export const Paused: Story = {
  args: { defaultPaused: true, showControls: true },
  play: async ({ canvasElement }) => {
    const chart = canvasElement.querySelector('.sb-time-series');
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'paused'));
  },
};

const socket = mockSocket('throughput-chart', {
  feed: trafficFeed,
  sink: ['ticks'],
  connection: { metrics: { sampleIntervalMs: 500 } },
});

/** Provider mode: bursts from a mock server every 300 ms. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { samples: undefined, defaultWindowMs: 30_000, staleAfterMs: 5_000 },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.sb-time-series')).toHaveAttribute('data-state', 'live'), {
      timeout: 8_000,
    });
    await waitFor(() => expect(drawnPoints(canvasElement)).toBeGreaterThanOrEqual(4), { timeout: 8_000 });
  },
};

export const Dark: Story = { globals: { theme: 'dark' }, args: { metric: 'bytes' } };

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { LatencyChart } from './metrics-charts';
import { alignedNow, LATENCY_THRESHOLDS, metricsSamples } from './story-data';
import { drawnPoints, mockSocket, trafficFeed } from './story-socket';
import { maxWidth } from './story-layout';

const meta = {
  title: 'Connection/LatencyChart',
  component: LatencyChart,
  args: {
    samples: metricsSamples(300, 1_000, alignedNow(1_000)),
    staleAfterMs: Infinity,
    height: 200,
  },
  argTypes: {
    samples: { control: false },
    // Stories that should stay live pass Infinity, which a number field cannot show.
    staleAfterMs: { control: false },
  },
  decorators: [maxWidth(720)],
} satisfies Meta<typeof LatencyChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Newest round trip per sample and the p95. */
export const Default: Story = {};

/** The same thresholds as a MetricCard: amber from 80 ms, red from 150 ms. */
export const Thresholds: Story = {
  args: { thresholds: LATENCY_THRESHOLDS, thresholdsStyle: 'line+band', showP95: false },
};

export const Empty: Story = { args: { samples: [] } };

/** No sample for longer than `staleAfterMs` (1 s). */
export const Stale: Story = {
  args: { staleAfterMs: 1_000 },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.sb-time-series')).toHaveAttribute('data-state', 'stale'), {
      timeout: 5_000,
    });
  },
};

const socket = mockSocket('latency-chart', {
  feed: trafficFeed,
  sink: ['ticks'],
  connection: { heartbeat: { intervalMs: 200, timeoutMs: 5_000 }, metrics: { sampleIntervalMs: 500 } },
});

/** Provider mode: the connection's own samples, pings answered by a mock server with a varying delay. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { samples: undefined, defaultWindowMs: 30_000, staleAfterMs: 5_000, thresholds: LATENCY_THRESHOLDS },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.sb-time-series')).toHaveAttribute('data-state', 'live'), {
      timeout: 8_000,
    });
    await waitFor(() => expect(drawnPoints(canvasElement)).toBeGreaterThanOrEqual(4), { timeout: 8_000 });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: { thresholds: LATENCY_THRESHOLDS },
};

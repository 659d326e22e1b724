import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { ConnectionHealthPanel } from './connection-health-panel';
import { LatencyChart } from './metrics-charts';
import { alignedNow, metricsSamples } from './story-data';
import { drawnPoints, mockSocket, trafficFeed } from './story-socket';
import { maxWidth } from './story-layout';

const samples = metricsSamples(120, 1_000, alignedNow(1_000));
const latest = samples[samples.length - 1]!;
const openedAt = latest.at - latest.uptimeMs;

const meta = {
  title: 'Connection/ConnectionHealthPanel',
  component: ConnectionHealthPanel,
  args: { state: { status: 'open', openedAt, online: true }, metrics: latest },
  argTypes: { state: { control: 'object' }, metrics: { control: 'object' } },
  decorators: [maxWidth(760)],
} satisfies Meta<typeof ConnectionHealthPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Healthy: Story = {};

/**
 * After trouble: reconnects, a queue with drops and an unclean close, in amber and red.
 */
export const Degraded: Story = {
  args: {
    state: {
      status: 'open',
      openedAt: latest.at - 95_000,
      lastClose: { code: 1006, reason: '', wasClean: false, at: latest.at - 96_200 },
    },
    metrics: {
      ...latest,
      uptimeMs: 95_000,
      reconnects: 3,
      lastReconnectMs: 1_200,
      queueDepth: 48,
      inFlight: 5,
      dropped: 12,
      rttMs: 182,
      rttP95Ms: 240,
    },
  },
};

/** Down and retrying: uptime is gone, the queue fills, the last close says why. */
export const Reconnecting: Story = {
  args: {
    state: {
      status: 'reconnecting',
      attempt: 2,
      lastClose: { code: 1012, reason: 'service restart', wasClean: true, at: latest.at - 4_000 },
    },
    metrics: {
      ...latest,
      uptimeMs: 0,
      messagesInPerSec: 0,
      messagesOutPerSec: 0,
      bytesInPerSec: 0,
      bytesOutPerSec: 0,
      queueDepth: 7,
      reconnects: 1,
    },
  },
};

/** Never connected: every value says so. */
export const Idle: Story = { args: { state: { status: 'idle' }, metrics: undefined } };

/** Extra content goes under the stats. */
export const WithLatencyChart: Story = {
  name: 'With latency chart',
  render: (args) => (
    <ConnectionHealthPanel {...args}>
      <LatencyChart samples={samples} defaultWindowMs={60_000} height={160} staleAfterMs={Infinity} title={undefined} />
    </ConnectionHealthPanel>
  ),
};

const socket = mockSocket('connection-health-panel', {
  feed: trafficFeed,
  sink: ['ticks'],
  connection: { heartbeat: { intervalMs: 200, timeoutMs: 5_000 }, metrics: { sampleIntervalMs: 500 } },
});

/**
 * Provider mode: a mock server sends bursts on `ticks` and answers pings a little later each time, so
 * rates and round trip move.
 */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { state: undefined, metrics: undefined },
  render: (args) => (
    <ConnectionHealthPanel {...args}>
      <LatencyChart height={140} defaultWindowMs={60_000} title={undefined} />
    </ConnectionHealthPanel>
  ),
  play: async ({ canvasElement }) => {
    const panel = canvasElement.querySelector('.sb-health');
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'open'), { timeout: 5_000 });
    const roundTrip = within(canvasElement).getByText('Round trip').closest('.sb-stat')!;
    await waitFor(() => expect(roundTrip.querySelector('.sb-stat__value')).toHaveTextContent(/\d+\s*ms/), {
      timeout: 8_000,
    });
    await waitFor(() => expect(drawnPoints(canvasElement)).toBeGreaterThanOrEqual(4), { timeout: 8_000 });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: Degraded.args,
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { HealthTracker } from './health-tracker';
import { ALL_UP_BLOCKS, INCIDENT_BLOCKS, SINCE_START_BLOCKS } from './story-data';
import { flappingFeed, mockSocket } from './story-socket';
import { maxWidth } from './story-layout';

const meta = {
  title: 'Connection/HealthTracker',
  component: HealthTracker,
  args: { blocks: INCIDENT_BLOCKS },
  argTypes: { blocks: { control: 'object' } },
  decorators: [maxWidth(640)],
} satisfies Meta<typeof HealthTracker>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A short outage a third of the way in: partly down, down, down, partly down. */
export const Incident: Story = {
  play: async ({ canvasElement }) => {
    const summary = within(canvasElement).getByRole('img');
    await expect(summary).toHaveAttribute(
      'aria-label',
      'Uptime 88.3% over the last 30 min: 25 up, 3 partly down, 2 down',
    );
  },
};

export const AllUp: Story = { name: 'All up', args: { blocks: ALL_UP_BLOCKS } };

/** The app started 12 minutes ago: earlier blocks have no data. */
export const SinceStart: Story = { name: 'Since start', args: { blocks: SINCE_START_BLOCKS } };

/** An empty history still spans `count` blocks (30 by default), all without data. */
export const NoData: Story = {
  name: 'No data',
  args: { blocks: [] },
  play: async ({ canvasElement }) => {
    const summary = within(canvasElement).getByRole('img');
    await expect(summary).toHaveAttribute('aria-label', 'No uptime data for the last 30 min');
    await expect(summary.children).toHaveLength(30);
  },
};

/** Hourly blocks over a day. */
export const Hourly: Story = { args: { blocks: INCIDENT_BLOCKS.slice(6), blockMs: 3_600_000, title: 'Last 24 hours' } };

const socket = mockSocket('health-tracker', {
  feed: flappingFeed(1_500, 900),
  connection: { reconnect: { initialDelayMs: 150, maxDelayMs: 300 } },
});

/**
 * Provider mode: the tracker records the connection from mount, in 1 s blocks, while a mock server goes
 * down for 0.9 s every 2.4 s.
 */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { blocks: undefined, blockMs: 1_000, count: 20, title: 'Uptime (1 s blocks)' },
  play: async ({ canvasElement }) => {
    const tracker = canvasElement.querySelector('.sb-tracker');
    await waitFor(() => expect(tracker).toHaveAttribute('data-state', 'up'), { timeout: 5_000 });
  },
};

export const Dark: Story = { globals: { theme: 'dark' } };

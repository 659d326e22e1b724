import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { Gauge } from './gauge';
import { cpuAt, LOAD_THRESHOLDS } from './story-data';
import { cpuFeed, mockSocket, useTicker } from './story-socket';
import type { CpuMessage } from './story-socket';

const meta = {
  title: 'Live metrics/Gauge',
  component: Gauge,
  args: { title: 'CPU', value: 64, unit: 'percent', staleAfterMs: Infinity },
  argTypes: {
    value: { control: { type: 'range', min: 0, max: 100 } },
    error: { control: 'text' },
    // Stories that should stay live pass Infinity, which a number field cannot show.
    staleAfterMs: { control: false },
  },
} satisfies Meta<typeof Gauge>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {};

/**
 * The value arc takes the colour of the step it reached; the steps are drawn as a thin outer band.
 */
export const Thresholds: Story = {
  args: { thresholds: LOAD_THRESHOLDS },
  render: (args) => (
    <div className="story-row">
      {[42, 76, 94].map((value) => (
        <Gauge key={value} {...args} value={value} />
      ))}
    </div>
  ),
  play: async ({ canvasElement }) => {
    const meters = within(canvasElement).getAllByRole('meter');
    await expect(meters.map((m) => m.getAttribute('data-threshold'))).toEqual(['success', 'high', 'critical']);
    await expect(meters[2]).toHaveAttribute('aria-valuetext', '94%, critical');
  },
};

/** Any range and unit: a queue between 0 and 2 000 items. */
export const CustomRange: Story = {
  name: 'Custom range',
  args: {
    title: 'Queue depth',
    value: 1_340,
    min: 0,
    max: 2_000,
    unit: 'none',
    thresholds: LOAD_THRESHOLDS,
    size: 200,
  },
};

export const Loading: Story = { args: { value: undefined, loading: true } };

export const Empty: Story = { args: { value: undefined } };

/** Measured a minute ago, stale after 5 s. */
export const Stale: Story = {
  args: { staleAfterMs: 5_000 },
  render: function Render(args) {
    const [updatedAt] = useState(() => Date.now() - 60_000);
    return <Gauge {...args} updatedAt={updatedAt} />;
  },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('meter')).toHaveAttribute('aria-valuetext', '64%, stale');
  },
};

export const ErrorState: Story = { name: 'Error', args: { value: undefined, error: 'Sensor offline' } };

/** Data props from a clock: the value moves every second. */
export const Live: Story = {
  args: { thresholds: LOAD_THRESHOLDS },
  render: function Render(args) {
    const now = useTicker(1_000);
    return <Gauge {...args} value={cpuAt(Math.floor(now / 1_000)).user + 20} />;
  },
};

const socket = mockSocket('gauge', { feed: cpuFeed(500, 0) });

/** Channel mode: the newest `cpu` message of a mock server publishing every 500 ms. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { value: undefined, thresholds: LOAD_THRESHOLDS, staleAfterMs: 5_000 },
  render: (args) => <Gauge<CpuMessage> {...args} channel="cpu" select={(m) => m.user} />,
  play: async ({ canvasElement }) => {
    const meter = within(canvasElement).getByRole('meter');
    await waitFor(() => expect(meter).toHaveAttribute('data-state', 'live'), { timeout: 5_000 });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: { thresholds: LOAD_THRESHOLDS },
  render: (args) => (
    <div className="story-row">
      <Gauge {...args} value={42} />
      <Gauge {...args} value={94} />
      <Gauge {...args} value={undefined} loading />
      <Gauge {...args} value={undefined} error="Sensor offline" />
    </div>
  ),
};

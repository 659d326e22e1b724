import { useMemo } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { LiveTimeSeries } from './live-time-series';
import type { LiveTimeSeriesProps } from './live-time-series';
import { alignedNow, cpuRows, LATENCY_THRESHOLDS, latencyRows } from './story-data';
import { cpuFeed, mockSocket, useTicker } from './story-socket';
import type { CpuMessage } from './story-socket';
import { maxWidth } from './story-layout';

const CPU_THRESHOLDS = {
  mode: 'absolute',
  steps: [
    { value: null, color: 'success' },
    { value: 60, color: 'warning', label: 'high' },
    { value: 80, color: 'danger', label: 'critical' },
  ],
} as const;

const meta = {
  title: 'Live metrics/LiveTimeSeries',
  component: LiveTimeSeries,
  args: {
    title: 'CPU',
    description: 'user and system, % of one core',
    data: cpuRows(120, 1_000, alignedNow(1_000)),
    categories: ['user', 'system'],
    unit: 'percent',
    min: 0,
    max: 100,
    defaultWindowMs: 60_000,
    height: 220,
    staleAfterMs: Infinity,
  },
  argTypes: {
    type: { control: 'inline-radio', options: ['line', 'area'] },
    curve: { control: 'inline-radio', options: ['linear', 'monotone', 'step'] },
    thresholdsStyle: { control: 'inline-radio', options: ['line', 'band', 'line+band', 'off'] },
    downsample: { control: 'inline-radio', options: ['minmax', 'lttb', 'none'] },
    error: { control: 'text' },
    data: { control: false },
    // Stories that should stay live pass Infinity, which a number field cannot show.
    staleAfterMs: { control: false },
  },
  decorators: [maxWidth(720)],
} satisfies Meta<typeof LiveTimeSeries>;

export default meta;
type Story = StoryObj<typeof meta>;

function TickingChart(props: LiveTimeSeriesProps) {
  // Rows rebuilt every 500 ms from the clock: older rows keep their times, one new row at the end.
  const now = useTicker(500);
  const end = alignedNow(500, now);
  const data = useMemo(() => cpuRows(240, 500, end), [end]);
  return <LiveTimeSeries {...props} data={data} />;
}

/** Data props with a new row every 500 ms. */
export const Live: Story = {
  args: { staleAfterMs: 5_000 },
  render: (args) => <TickingChart {...args} />,
  play: async ({ canvasElement }) => {
    const chart = canvasElement.querySelector('.sb-time-series');
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'live'));
  },
};

export const StackedArea: Story = {
  name: 'Stacked area',
  args: { type: 'area', stacked: true, max: undefined, curve: 'monotone' },
};

/** Dashed lines at each threshold step; the state's `data-threshold` names the worst step reached. */
export const ThresholdLines: Story = {
  name: 'Thresholds (lines)',
  args: { thresholds: CPU_THRESHOLDS, thresholdsStyle: 'line' },
};

/** Tinted bands between the steps: latency, green under 80 ms, amber to 150 ms, red above. */
export const ThresholdBands: Story = {
  name: 'Thresholds (bands)',
  args: {
    title: 'Round trip',
    description: 'newest sample per second',
    data: latencyRows(120, 1_000, alignedNow(1_000)),
    categories: ['value'],
    unit: 'ms',
    min: 0,
    max: undefined,
    thresholds: LATENCY_THRESHOLDS,
    thresholdsStyle: 'line+band',
  },
};

export const Loading: Story = { args: { data: [], loading: true } };

export const Empty: Story = { args: { data: [], noDataText: 'No CPU samples yet' } };

export const ErrorState: Story = { name: 'Error', args: { data: [], error: 'Subscription refused: forbidden' } };

/** No new row for longer than `staleAfterMs` (1 s here): the plot dims and a badge says so. */
export const Stale: Story = {
  args: { staleAfterMs: 1_000 },
  play: async ({ canvasElement }) => {
    const chart = canvasElement.querySelector('.sb-time-series');
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'stale'), { timeout: 5_000 });
    await expect(within(canvasElement).getByText('Data is stale')).toBeInTheDocument();
  },
};

/** Paused charts keep buffering; the badge counts what arrived and goes back to live. */
export const Paused: Story = {
  args: { staleAfterMs: 5_000 },
  render: (args) => <TickingChart {...args} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const chart = canvasElement.querySelector('.sb-time-series');
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'live'));
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'paused'));
    await canvas.findByRole('button', { name: /\d+ new · Back to live/ }, { timeout: 5_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'live'));
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
    await canvas.findByRole('button', { name: /\d+ new · Back to live/ }, { timeout: 5_000 });
  },
};

/** The window selector by keyboard: the summary follows the chosen window. */
export const TimeWindowByKeyboard: Story = {
  name: 'Time window (keyboard)',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const summary = canvas.getByRole('img');
    await expect(canvas.getByRole('radio', { name: '1 min' })).toBeChecked();
    await userEvent.click(canvas.getByRole('radio', { name: '1 min' }));
    await userEvent.keyboard('{ArrowRight}');
    await expect(canvas.getByRole('radio', { name: '5 min' })).toBeChecked();
    await waitFor(() => expect(summary.getAttribute('aria-label')).toContain('last 5 min'));
    await userEvent.keyboard('{ArrowLeft}');
    await waitFor(() => expect(summary.getAttribute('aria-label')).toContain('last 1 min'));
  },
};

const socket = mockSocket('live-time-series', { feed: cpuFeed(500, 60_000) });

/** Channel mode: `cpu` messages from a mock server, 60 s of history and then one every 500 ms. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { data: undefined, staleAfterMs: 5_000, thresholds: CPU_THRESHOLDS },
  render: (args) => (
    <LiveTimeSeries<CpuMessage>
      {...args}
      channel="cpu"
      select={(m) => ({ time: m.at, user: m.user, system: m.system })}
    />
  ),
  play: async ({ canvasElement }) => {
    const chart = canvasElement.querySelector('.sb-time-series');
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'live'), { timeout: 5_000 });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: { thresholds: CPU_THRESHOLDS, thresholdsStyle: 'line+band' },
};

export const DarkArea: Story = {
  name: 'Dark, area and error',
  globals: { theme: 'dark' },
  render: (args) => (
    <div className="story-stack">
      <LiveTimeSeries {...args} type="area" stacked max={undefined} curve="monotone" />
      <LiveTimeSeries {...args} data={[]} error="Subscription refused: forbidden" />
    </div>
  ),
};

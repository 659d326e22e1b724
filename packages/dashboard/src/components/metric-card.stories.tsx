import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { MetricCard } from './metric-card';
import { cpuValues, latencyAt, LATENCY_THRESHOLDS } from './story-data';
import { cpuFeed, mockSocket, useTicker } from './story-socket';
import type { CpuMessage } from './story-socket';

const meta = {
  title: 'Live metrics/MetricCard',
  component: MetricCard,
  args: {
    title: 'Requests per second',
    data: [1_100, 1_080, 1_150, 1_120, 1_190, 1_170, 1_230, 1_210, 1_260, 1_240],
    unit: 'short',
    staleAfterMs: Infinity,
    footer: 'vs. 10 min ago',
  },
  argTypes: {
    value: { control: 'number' },
    data: { control: 'object' },
    deltaMode: { control: 'inline-radio', options: ['percent', 'absolute'] },
    deltaPolarity: { control: 'inline-radio', options: ['higher-is-better', 'lower-is-better', 'neutral'] },
    error: { control: 'text' },
    // Stories that should stay live pass Infinity, which a number field cannot show.
    staleAfterMs: { control: false },
  },
  decorators: [
    (Story, { parameters }) => (
      <div style={{ width: (parameters.width as number | undefined) ?? 280 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof MetricCard>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {};

/** Data props rebuilt every second from the clock: value, delta and sparkline move. */
export const Live: Story = {
  args: { title: 'CPU (user)', unit: 'percent', footer: 'last 30 s', staleAfterMs: 5_000, deltaPolarity: 'neutral' },
  render: function Render(args) {
    const now = useTicker(1_000);
    const data = cpuValues(30, Math.floor(now / 1_000));
    return <MetricCard {...args} data={data} updatedAt={now} />;
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-metric')).toHaveAttribute('data-state', 'live');
  },
};

export const Loading: Story = { args: { data: undefined, loading: true } };

export const Empty: Story = { args: { data: [], footer: undefined } };

/** Measured a minute ago, stale after 5 s: the value fades and a badge says so. */
export const Stale: Story = {
  args: { staleAfterMs: 5_000 },
  render: function Render(args) {
    const [updatedAt] = useState(() => Date.now() - 60_000);
    return <MetricCard {...args} updatedAt={updatedAt} />;
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-metric')).toHaveAttribute('data-state', 'stale');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { data: undefined, error: 'Channel refused: forbidden', footer: undefined },
};

/**
 * Latency, where lower is better: amber from 80 ms, red from 150 ms, and a rising value is bad news.
 */
export const Thresholds: Story = {
  render: (args) => (
    <div className="story-stack">
      {[42, 96, 182].map((value) => (
        <MetricCard
          key={value}
          {...args}
          title="Round trip"
          unit="ms"
          data={[40, 44, 39, 47, 52, 49, 58, value]}
          thresholds={LATENCY_THRESHOLDS}
          deltaPolarity="lower-is-better"
          footer="p50 over the last minute"
        />
      ))}
    </div>
  ),
  play: async ({ canvasElement }) => {
    const cards = canvasElement.querySelectorAll('.sb-metric');
    await expect([...cards].map((card) => card.getAttribute('data-threshold'))).toEqual([
      'success',
      'slow',
      'critical',
    ]);
  },
};

/** The change in the value's unit rather than percent. */
export const AbsoluteDelta: Story = {
  name: 'Absolute delta',
  args: {
    title: 'Memory',
    unit: 'bytes',
    data: [512e6, 530e6, 548e6, 602e6],
    deltaMode: 'absolute',
    deltaPolarity: 'lower-is-better',
  },
};

const socket = mockSocket('metric-card', { feed: cpuFeed(500, 30_000) });

/** Channel mode: the `cpu` channel of a mock server publishing every 500 ms. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: {
    title: 'CPU (user)',
    data: undefined,
    unit: 'percent',
    footer: 'last 30 s',
    staleAfterMs: 5_000,
    deltaPolarity: 'neutral',
  },
  render: (args) => (
    <MetricCard<CpuMessage> {...args} channel="cpu" select={(m) => ({ time: m.at, value: m.user })} windowMs={30_000} />
  ),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.sb-metric')).toHaveAttribute('data-state', 'live'), {
      timeout: 5_000,
    });
    await expect(within(canvasElement).getByText('%')).toBeInTheDocument();
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  parameters: { width: 600 },
  render: (args) => (
    <div className="story-grid">
      <MetricCard {...args} />
      <MetricCard
        {...args}
        title="Round trip"
        unit="ms"
        data={Array.from({ length: 20 }, (_, i) => latencyAt(i + 20))}
        value={182}
        thresholds={LATENCY_THRESHOLDS}
        deltaPolarity="lower-is-better"
        footer="p50 over the last minute"
      />
      <MetricCard {...args} data={undefined} loading footer={undefined} />
      <MetricCard {...args} data={undefined} error="Channel refused" footer={undefined} />
    </div>
  ),
};

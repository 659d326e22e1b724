import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { Sparkline } from './sparkline';
import { cpuValues, LOAD_THRESHOLDS } from './story-data';
import { cpuFeed, mockSocket, useTicker } from './story-socket';
import type { CpuMessage } from './story-socket';

const meta = {
  title: 'Live metrics/Sparkline',
  component: Sparkline,
  args: { data: cpuValues(40), unit: 'percent' },
  argTypes: {
    type: { control: 'inline-radio', options: ['area', 'line'] },
    color: { control: 'color' },
    data: { control: 'object' },
  },
} satisfies Meta<typeof Sparkline>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Area: Story = {};

export const Line: Story = { args: { type: 'line', width: 160, height: 40 } };

/**
 * Coloured by the threshold step of the newest value: 0–100 with amber from 70% and red from 90%.
 */
export const Thresholds: Story = {
  args: { data: [52, 58, 61, 66, 71, 74, 79, 83, 88, 93], thresholds: LOAD_THRESHOLDS, min: 0, max: 100 },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-sparkline')).toHaveAttribute('data-threshold', 'critical');
  },
};

/** `null` values are gaps, not zeros. */
export const Gaps: Story = { args: { data: [12, 14, 13, null, null, 18, 21, 19, null, 24, 26] } };

export const Empty: Story = {
  args: { data: [] },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.sb-sparkline')).toHaveAttribute('aria-label', 'Trend, no data');
  },
};

/** Data props rebuilt every 500 ms: the line moves. */
export const Live: Story = {
  render: function Render(args) {
    const now = useTicker(500);
    return <Sparkline {...args} data={cpuValues(40, Math.floor(now / 500))} />;
  },
};

const socket = mockSocket('sparkline', { feed: cpuFeed(500, 30_000) });

/** Channel mode: the `cpu` channel of a mock server that publishes every 500 ms. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { data: undefined },
  render: (args) => (
    <Sparkline<CpuMessage>
      {...args}
      channel="cpu"
      select={(m) => ({ time: m.at, value: m.user })}
      windowMs={30_000}
      width={200}
      height={48}
    />
  ),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.sb-sparkline')).toHaveAttribute('data-state', 'live'), {
      timeout: 5_000,
    });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  render: (args) => (
    <div className="story-row">
      <Sparkline {...args} />
      <Sparkline {...args} type="line" />
      <Sparkline data={[52, 58, 61, 66, 71, 74, 79, 83, 88, 93]} thresholds={LOAD_THRESHOLDS} min={0} max={100} />
    </div>
  ),
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { computeDelta } from '../delta';
import { DeltaBadge } from './delta-badge';

const meta = {
  title: 'Live metrics/DeltaBadge',
  component: DeltaBadge,
  args: { delta: computeDelta(1_240, 1_100)!, mode: 'percent' },
  argTypes: {
    mode: { control: 'inline-radio', options: ['percent', 'absolute'] },
    delta: { control: 'object' },
  },
} satisfies Meta<typeof DeltaBadge>;

export default meta;
type Story = StoryObj<typeof meta>;

/** More requests served: up, and up is good. */
export const UpIsGood: Story = { name: 'Up (good)' };

/** Fewer requests served: down, and down is bad. */
export const DownIsBad: Story = { name: 'Down (bad)', args: { delta: computeDelta(870, 1_100)! } };

/** Latency fell: down, and for latency (`lower-is-better`) that is good. */
export const DownIsGood: Story = {
  name: 'Down (good, lower is better)',
  args: { delta: computeDelta(38, 52, 'lower-is-better')! },
};

export const Flat: Story = { args: { delta: computeDelta(42, 42)! } };

/** The change in the value's own unit instead of percent. */
export const Absolute: Story = {
  args: { delta: computeDelta(2_400_000, 1_900_000)!, mode: 'absolute', format: { unit: 'bytes' } },
};

/** A reference of 0 has no percentage: the badge falls back to the absolute change. */
export const FromZero: Story = { name: 'From zero', args: { delta: computeDelta(3, 0)! } };

export const Dark: Story = {
  globals: { theme: 'dark' },
  render: () => (
    <div className="story-row">
      <DeltaBadge delta={computeDelta(1_240, 1_100)!} />
      <DeltaBadge delta={computeDelta(870, 1_100)!} />
      <DeltaBadge delta={computeDelta(38, 52, 'lower-is-better')!} />
      <DeltaBadge delta={computeDelta(42, 42)!} />
    </div>
  ),
};

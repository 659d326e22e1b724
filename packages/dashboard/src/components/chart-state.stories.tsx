import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { ChartState } from './chart-state';

const onRetry = fn<() => void>();

const CARD = { width: 360, minHeight: 180, alignItems: 'center', justifyContent: 'center' } as const;

const meta = {
  title: 'States/ChartState',
  component: ChartState,
  args: { state: 'empty' },
  argTypes: {
    state: { control: 'inline-radio', options: ['loading', 'empty', 'stale', 'error'] },
    title: { control: 'text' },
    description: { control: 'text' },
    action: { control: false },
  },
  decorators: [
    // Charts show the state centred over the plot: a card stands in for one (`parameters.bare` leaves it out).
    (Story, { parameters }) =>
      parameters.bare === true ? (
        <Story />
      ) : (
        <div className="sb-card" style={CARD}>
          <Story />
        </div>
      ),
  ],
} satisfies Meta<typeof ChartState>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Loading: Story = { args: { state: 'loading' } };

export const Empty: Story = {
  args: { state: 'empty', title: 'No data', description: 'Nothing arrived in the last 5 min' },
};

export const Stale: Story = { args: { state: 'stale', description: 'Updated 2 min ago' } };

export const ErrorState: Story = {
  name: 'Error',
  args: {
    state: 'error',
    title: 'Could not load CPU',
    description: 'The server refused the channel: forbidden',
    action: (
      <button type="button" className="sb-button" onClick={() => onRetry()}>
        Try again
      </button>
    ),
  },
  play: async ({ canvasElement }) => {
    onRetry.mockClear();
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('status')).toHaveTextContent('Could not load CPU');
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await expect(onRetry).toHaveBeenCalledTimes(1);
  },
};

/** The small badges charts show over data that is still visible (stale) or next to a value. */
export const Compact: Story = {
  parameters: { bare: true },
  render: () => (
    <div className="story-row">
      <ChartState state="loading" compact />
      <ChartState state="empty" compact />
      <ChartState state="stale" compact title="Stale" />
      <ChartState state="error" compact title="Error" />
    </div>
  ),
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  parameters: { bare: true },
  render: () => (
    <div className="story-stack">
      <div className="story-row">
        <div className="sb-card" style={CARD}>
          <ChartState state="error" title="Could not load CPU" description="The server refused the channel" />
        </div>
        <div className="sb-card" style={CARD}>
          <ChartState state="empty" description="Nothing arrived in the last 5 min" />
        </div>
      </div>
      <div className="story-row">
        <ChartState state="loading" compact />
        <ChartState state="empty" compact />
        <ChartState state="stale" compact title="Stale" />
        <ChartState state="error" compact title="Error" />
      </div>
    </div>
  ),
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { PauseToggle } from './pause-toggle';

const meta = {
  title: 'Controls/PauseToggle',
  component: PauseToggle,
  args: { onPausedChange: fn() },
  argTypes: {
    paused: { control: 'boolean' },
    pendingCount: { control: { type: 'number', min: 0 } },
  },
} satisfies Meta<typeof PauseToggle>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Live: Story = {};

/** Paused, with the count of items that arrived since. */
export const Paused: Story = { args: { defaultPaused: true, pendingCount: 42 } };

export const ManyPending: Story = { name: 'Paused, many pending', args: { defaultPaused: true, pendingCount: 12_400 } };

/** Click pauses; Space and Enter work as on any button. */
export const Toggling: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: 'Pause' });
    await expect(button).toHaveAttribute('data-state', 'live');

    await userEvent.click(button);
    await expect(button).toHaveAccessibleName('Resume');
    await expect(button).toHaveAttribute('data-state', 'paused');
    await expect(args.onPausedChange).toHaveBeenLastCalledWith(true);

    button.focus();
    await userEvent.keyboard(' ');
    await expect(button).toHaveAccessibleName('Pause');
    await userEvent.keyboard('{Enter}');
    await expect(button).toHaveAttribute('data-state', 'paused');
    await expect(args.onPausedChange).toHaveBeenCalledTimes(3);
  },
};

export const CustomLabels: Story = {
  name: 'Custom labels',
  args: { pauseLabel: 'Freeze', resumeLabel: 'Go live', defaultPaused: true, pendingCount: 7 },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  render: (args) => (
    <div className="story-row">
      <PauseToggle {...args} />
      <PauseToggle {...args} defaultPaused pendingCount={42} />
    </div>
  ),
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { TimeWindowSelect } from './time-window-select';

const meta = {
  title: 'Controls/TimeWindowSelect',
  component: TimeWindowSelect,
  args: { onValueChange: fn() },
  argTypes: {
    value: { control: 'number' },
    disabled: { control: 'boolean' },
  },
} satisfies Meta<typeof TimeWindowSelect>;

export default meta;
type Story = StoryObj<typeof meta>;

/** 5 minutes selected (the second option) by default. */
export const Default: Story = {};

/**
 * A WAI-ARIA radio group: Tab enters at the selected option, arrows move and select (wrapping), Home
 * and End jump.
 */
export const Keyboard: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const radio = (name: string) => canvas.getByRole('radio', { name });
    await userEvent.tab();
    await expect(radio('5 min')).toHaveFocus();

    await userEvent.keyboard('{ArrowRight}');
    await expect(radio('15 min')).toBeChecked();
    await expect(radio('15 min')).toHaveFocus();
    await expect(args.onValueChange).toHaveBeenLastCalledWith(15 * 60_000);

    await userEvent.keyboard('{End}');
    await expect(radio('1 h')).toBeChecked();
    await userEvent.keyboard('{ArrowRight}');
    await expect(radio('1 min')).toBeChecked();
    await userEvent.keyboard('{ArrowLeft}');
    await expect(radio('1 h')).toBeChecked();
    await userEvent.keyboard('{Home}');
    await expect(radio('1 min')).toBeChecked();
    await expect(radio('1 min')).toHaveAttribute('tabindex', '0');
    await expect(radio('1 h')).toHaveAttribute('tabindex', '-1');
  },
};

export const CustomOptions: Story = {
  name: 'Custom options',
  args: {
    defaultValue: 30_000,
    options: [
      { value: 10_000, label: '10 s' },
      { value: 30_000, label: '30 s' },
      { value: 120_000, label: '2 min' },
    ],
  },
};

export const Disabled: Story = { args: { disabled: true } };

export const Dark: Story = { globals: { theme: 'dark' } };

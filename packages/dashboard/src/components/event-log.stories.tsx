import { useMemo } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { EventLog } from './event-log';
import type { EventLogProps } from './event-log';
import { alignedNow, eventItems } from './story-data';
import { eventsFeed, mockSocket, useTicker } from './story-socket';
import { maxWidth } from './story-layout';

const meta = {
  title: 'Live metrics/EventLog',
  component: EventLog,
  args: { title: 'Events', height: 280 },
  argTypes: {
    order: { control: 'inline-radio', options: ['newest-first', 'oldest-first'] },
    error: { control: 'text' },
    items: { control: 'object' },
  },
  decorators: [maxWidth(640)],
} satisfies Meta<typeof EventLog>;

export default meta;
type Story = StoryObj<typeof meta>;

function TickingLog(props: EventLogProps) {
  // One more event every 800 ms, the newest at the top.
  const now = useTicker(800);
  const end = alignedNow(800, now);
  const items = useMemo(() => eventItems(Math.floor(end / 800) % 1_000, 800, end).slice(-40), [end]);
  return <EventLog {...props} items={items} />;
}

/** Items from props, one more every 800 ms. */
export const Live: Story = { render: (args) => <TickingLog {...args} /> };

/** Every level, with sources, as given. */
export const Levels: Story = { args: { items: eventItems(10, 15_000, alignedNow(1_000)) } };

export const OldestFirst: Story = {
  name: 'Oldest first',
  args: { items: eventItems(10, 15_000, alignedNow(1_000)), order: 'oldest-first' },
};

export const Empty: Story = { args: { items: [], noDataText: 'No events in the last hour' } };

export const Loading: Story = { args: { items: [], loading: true } };

export const ErrorState: Story = { name: 'Error', args: { items: [], error: 'Could not subscribe to events' } };

/**
 * Pause freezes the list while events keep arriving; "N new · Back to live" counts them and resumes.
 */
export const Paused: Story = {
  render: (args) => <TickingLog {...args} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const log = canvasElement.querySelector('.sb-log')!;
    await waitFor(() => expect(log).toHaveAttribute('data-state', 'live'));
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(log).toHaveAttribute('data-state', 'paused'));
    const firstLine = canvas.getAllByRole('listitem')[0]!.textContent;
    const badge = await canvas.findByRole('button', { name: /new · Back to live/ }, { timeout: 5_000 });
    // Frozen: the newest line is still the one from before the pause.
    await expect(canvas.getAllByRole('listitem')[0]!.textContent).toBe(firstLine);
    await userEvent.click(badge);
    await waitFor(() => expect(log).toHaveAttribute('data-state', 'live'));
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
    await expect(canvas.getByRole('button', { name: 'Resume' })).toHaveAttribute('data-state', 'paused');
  },
};

const socket = mockSocket('event-log', { feed: eventsFeed(700, 8) });

/** Channel mode: `{ level, message, source }` objects on `events`, from a mock server. */
export const LiveSocket: Story = {
  name: 'Live (mock socket)',
  ...socket.story,
  args: { channel: 'events', title: 'Server events' },
  play: async ({ canvasElement }) => {
    const log = canvasElement.querySelector('.sb-log')!;
    await waitFor(() => expect(log).toHaveAttribute('data-state', 'live'), { timeout: 5_000 });
    await waitFor(() => expect(within(canvasElement).getAllByRole('listitem').length).toBeGreaterThan(8), {
      timeout: 5_000,
    });
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: { items: eventItems(10, 15_000, alignedNow(1_000)) },
};

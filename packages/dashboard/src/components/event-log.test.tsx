import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { EventLog } from './event-log';
import type { EventLogItem } from './event-log';

const T0 = 1_700_000_000_000;
const item = (i: number, extra: Partial<EventLogItem> = {}): EventLogItem => ({
  id: i,
  time: T0 + i * 1000,
  message: `event ${i}`,
  ...extra,
});
const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));

const socket = mockSocket();
const frames = fakeClockAndFrames(T0);

const log = () => screen.getByRole('log', { name: 'Events' });
const root = () => document.querySelector('.sb-log')!;
const messages = () =>
  within(log())
    .getAllByRole('listitem')
    .map((li) => li.querySelector('.sb-log__message')!.textContent);

describe('EventLog', () => {
  it('is a focusable log, silenced per line, newest first, with level and time', () => {
    render(<EventLog title="Events" items={[item(1), item(2, { level: 'error', source: 'api' })]} />);
    expect(log().getAttribute('aria-live')).toBe('off');
    expect(log().getAttribute('tabindex')).toBe('0');
    expect(messages()).toEqual(['event 2', 'event 1']);
    const first = within(log()).getAllByRole('listitem')[0]!;
    expect(first.getAttribute('data-level')).toBe('error');
    expect(first.textContent).toContain('api');
    expect(first.querySelector('time')!.getAttribute('dateTime')).toBe(new Date(T0 + 2000).toISOString());
    expect(root().getAttribute('data-state')).toBe('live');
  });

  it('keeps only maxItems, in the order asked', () => {
    render(<EventLog title="Events" items={items(50)} maxItems={3} order="oldest-first" />);
    expect(messages()).toEqual(['event 47', 'event 48', 'event 49']);
  });

  it('shows empty, loading and error states', () => {
    const { rerender } = render(<EventLog title="Events" items={[]} noDataText="Quiet so far" />);
    expect(root().getAttribute('data-state')).toBe('empty');
    expect(root().textContent).toContain('Quiet so far');
    rerender(<EventLog title="Events" items={[]} loading />);
    expect(root().getAttribute('data-state')).toBe('loading');
    rerender(<EventLog title="Events" items={[]} error="stream refused" />);
    expect(root().getAttribute('data-state')).toBe('error');
    expect(root().textContent).toContain('stream refused');
  });

  it('pauses: new items wait behind "N new" until resumed', () => {
    const { rerender } = render(<EventLog title="Events" items={items(2)} defaultPaused />);
    expect(root().getAttribute('data-state')).toBe('paused');
    rerender(<EventLog title="Events" items={items(5)} defaultPaused />);
    act(() => void frames.flush());
    expect(messages()).toEqual(['event 1', 'event 0']);
    fireEvent.click(screen.getByRole('button', { name: '3 new · Back to live' }));
    expect(messages()).toEqual(['event 4', 'event 3', 'event 2', 'event 1', 'event 0']);
  });

  it('announces arrivals politely as one summary at most every announceEveryMs, never per line', () => {
    const { rerender } = render(<EventLog title="Events" items={items(1)} announceEveryMs={5_000} />);
    const status = root().querySelector(':scope > [role="status"]')!;
    for (let n = 2; n <= 30; n++) {
      rerender(<EventLog title="Events" items={items(n)} announceEveryMs={5_000} />);
      act(() => void vi.advanceTimersByTime(100));
    }
    expect(status.textContent).toBe('');
    act(() => void vi.advanceTimersByTime(2_100));
    expect(status.textContent).toBe('29 new events. Latest: event 29');
  });

  it('turns channel messages into lines: strings and { message, level } objects', async () => {
    const { server } = socket.render(<EventLog title="Events" channel="audit" />);
    await settle();
    server.publish('audit', 'deploy started');
    server.publish('audit', { message: 'deploy failed', level: 'error' });
    await settle();
    act(() => void frames.flush());
    expect(messages()).toEqual(['deploy failed', 'deploy started']);
    expect(within(log()).getAllByRole('listitem')[0]!.getAttribute('data-level')).toBe('error');
  });
});

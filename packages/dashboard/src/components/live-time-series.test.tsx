import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import type { Thresholds } from '../thresholds';
import { LiveTimeSeries } from './live-time-series';

const T0 = 1_700_000_000_000;
const rows = (n: number, from = 0, value = (i: number) => i) =>
  Array.from({ length: n }, (_, k) => ({ time: T0 + (from + k) * 1_000, value: value(from + k) }));

const thresholds: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: null, color: 'success', label: 'ok' },
    { value: 80, color: 'danger', label: 'critical' },
  ],
};

const socket = mockSocket();
const frames = fakeClockAndFrames(T0);

const root = () => screen.getByRole('group', { name: 'CPU' });
const flushFrame = () => act(() => void frames.flush());

describe('LiveTimeSeries with data', () => {
  it('draws live data: a labelled group, an img summary with the latest values, one path per series, no dots', () => {
    const data = rows(20).map((r) => ({ ...r, other: 1 }));
    render(<LiveTimeSeries title="CPU" data={data} categories={['value', 'other']} width={480} unit="percent" />);
    expect(root().getAttribute('data-state')).toBe('live');
    const plot = within(root()).getByRole('img');
    expect(plot.getAttribute('aria-label')).toBe('Line chart of the last 5 min. Latest: value 19%, other 1%.');
    expect(plot.querySelectorAll('.recharts-line-curve')).toHaveLength(2);
    expect(plot.querySelectorAll('.recharts-line-dot, .recharts-dot')).toHaveLength(0);
    expect(within(root()).getByRole('list').textContent).toBe('value19%other1%');
  });

  it('shows the empty state with noDataText when there are no rows', () => {
    render(<LiveTimeSeries title="CPU" data={[]} width={480} noDataText="Waiting for samples" />);
    expect(root().getAttribute('data-state')).toBe('empty');
    expect(root().textContent).toContain('Waiting for samples');
  });

  it('shows a busy loading state while loading and nothing arrived', () => {
    render(<LiveTimeSeries title="CPU" data={[]} loading width={480} />);
    expect(root().getAttribute('data-state')).toBe('loading');
    expect(root().querySelector('[role="status"][aria-busy="true"]')!.textContent).toContain('Loading…');
  });

  it('shows the error state with the message of an Error', () => {
    render(<LiveTimeSeries title="CPU" data={rows(3)} error={new Error('history request failed')} width={480} />);
    expect(root().getAttribute('data-state')).toBe('error');
    expect(root().textContent).toContain('history request failed');
  });

  it('turns stale when no new data arrived within staleAfterMs, and live again when it does', () => {
    const { rerender } = render(<LiveTimeSeries title="CPU" data={rows(3)} width={480} staleAfterMs={5_000} />);
    expect(root().getAttribute('data-state')).toBe('live');
    act(() => void vi.advanceTimersByTime(5_001));
    expect(root().getAttribute('data-state')).toBe('stale');
    expect(root().textContent).toContain('Data is stale');
    rerender(<LiveTimeSeries title="CPU" data={rows(4)} width={480} staleAfterMs={5_000} />);
    expect(root().getAttribute('data-state')).toBe('live');
  });

  it('pauses from the keyboard-operable button: freezes the drawing, counts new rows, and jumps back to live', () => {
    const onPausedChange = vi.fn();
    const { rerender } = render(
      <LiveTimeSeries title="CPU" data={rows(5)} width={480} onPausedChange={onPausedChange} />,
    );
    fireEvent.click(within(root()).getByRole('button', { name: 'Pause' }));
    expect(onPausedChange).toHaveBeenCalledWith(true);
    expect(root().getAttribute('data-state')).toBe('paused');
    const before = within(root()).getByRole('img').getAttribute('aria-label');
    rerender(<LiveTimeSeries title="CPU" data={rows(12)} width={480} onPausedChange={onPausedChange} />);
    flushFrame();
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toBe(before);
    fireEvent.click(within(root()).getByRole('button', { name: '7 new · Back to live' }));
    expect(root().getAttribute('data-state')).toBe('live');
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('Latest: value 11');
  });

  it('follows a controlled paused prop and only requests changes through onPausedChange', () => {
    const onPausedChange = vi.fn();
    render(<LiveTimeSeries title="CPU" data={rows(5)} width={480} paused onPausedChange={onPausedChange} />);
    expect(root().getAttribute('data-state')).toBe('paused');
    fireEvent.click(within(root()).getByRole('button', { name: 'Resume' }));
    expect(onPausedChange).toHaveBeenCalledWith(false);
    expect(root().getAttribute('data-state')).toBe('paused');
  });

  it('marks a crossed threshold in data-threshold, draws the step, and announces it once, politely and late', () => {
    render(<LiveTimeSeries title="CPU" data={rows(3, 0, () => 95)} width={480} thresholds={thresholds} />);
    expect(root().getAttribute('data-threshold')).toBe('critical');
    expect(root().querySelectorAll('.recharts-reference-line')).toHaveLength(1);
    const live = root().querySelector(':scope > [role="status"]')!;
    expect(live.textContent).toBe('');
    act(() => void vi.advanceTimersByTime(1_000));
    expect(live.textContent).toContain('CPU: critical threshold reached');
  });

  it('draws thresholds as bands when asked', () => {
    render(
      <LiveTimeSeries
        title="CPU"
        data={rows(3)}
        width={480}
        thresholds={thresholds}
        thresholdsStyle="band"
        min={0}
        max={100}
      />,
    );
    expect(root().querySelectorAll('.recharts-reference-area')).toHaveLength(2);
    expect(root().getAttribute('data-threshold')).toBe('ok');
  });

  it('changes the time window with arrow keys on the radio group', () => {
    const onWindowChange = vi.fn();
    render(<LiveTimeSeries title="CPU" data={rows(3)} width={480} onWindowChange={onWindowChange} />);
    const group = within(root()).getByRole('radiogroup', { name: 'Time window' });
    const checked = within(group).getByRole('radio', { checked: true });
    expect(checked.textContent).toContain('5 min');
    expect(checked.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(checked, { key: 'ArrowRight' });
    expect(onWindowChange).toHaveBeenCalledWith(15 * 60_000);
    expect(within(group).getByRole('radio', { checked: true }).textContent).toContain('15 min');
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('last 15 min');
  });
});

describe('LiveTimeSeries with a channel', () => {
  it('is loading until subscribed, then draws the messages of a burst after one frame', async () => {
    const { server } = socket.render(
      <LiveTimeSeries<{ load: number }> title="CPU" channel="cpu" select={(m) => m.load} width={480} unit="percent" />,
    );
    expect(root().getAttribute('data-state')).toBe('loading');
    await settle();
    flushFrame();
    expect(root().getAttribute('data-state')).toBe('empty');
    for (let i = 0; i < 50; i++) server.publish('cpu', { load: i });
    await settle();
    expect(root().getAttribute('data-state')).toBe('empty');
    flushFrame();
    expect(root().getAttribute('data-state')).toBe('live');
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('Latest: value 49%');
  });

  it('uses row times from the message under the index key', async () => {
    const { server } = socket.render(
      <LiveTimeSeries title="CPU" channel="cpu" categories={['user', 'system']} width={480} />,
    );
    await settle();
    server.publish('cpu', [
      { time: T0 - 2_000, user: 1, system: 2 },
      { time: T0 - 1_000, user: 3, system: 4 },
    ]);
    await settle();
    flushFrame();
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('Latest: user 3, system 4');
  });

  it("backfills what the server still holds with since, at the rows' own times", async () => {
    const server = socket.server();
    for (let i = 1; i <= 5; i++) server.publish('cpu', { time: T0 - (6 - i) * 1_000, value: i });
    socket.render(<LiveTimeSeries title="CPU" channel="cpu" since={0} width={480} />, { server });
    await settle();
    flushFrame();
    expect(server.inbound('sub')).toMatchObject([{ ch: 'cpu', since: 0 }]);
    expect(root().getAttribute('data-state')).toBe('live');
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('Latest: value 5');
  });

  it('starts empty without since, though the server holds earlier messages', async () => {
    const server = socket.server();
    server.publish('cpu', { time: T0 - 1_000, value: 1 });
    socket.render(<LiveTimeSeries title="CPU" channel="cpu" width={480} />, { server });
    await settle();
    flushFrame();
    expect(root().getAttribute('data-state')).toBe('empty');
  });

  it('shows the channel error the server sent', async () => {
    const { server } = socket.render(<LiveTimeSeries title="CPU" channel="secret" width={480} />);
    server.refuseSubscription('secret', { reason: 'not allowed' });
    await settle();
    flushFrame();
    expect(root().getAttribute('data-state')).toBe('error');
    expect(root().textContent).toContain('not allowed');
  });
});

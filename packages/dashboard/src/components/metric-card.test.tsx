import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import type { Thresholds } from '../thresholds';
import { MetricCard } from './metric-card';

const T0 = 1_700_000_000_000;
const thresholds: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: null, color: 'success' },
    { value: 70, color: 'warning', label: 'high' },
    { value: 90, color: 'danger', label: 'critical' },
  ],
};

const socket = mockSocket();
const frames = fakeClockAndFrames(T0);

const card = () => screen.getByRole('group', { name: 'CPU' });

describe('MetricCard', () => {
  it('shows the value with its unit, a delta against the first value, and a decorative sparkline', () => {
    render(<MetricCard title="CPU" data={[40, 45, 50]} unit="percent" />);
    expect(card().getAttribute('data-state')).toBe('live');
    expect(card().querySelector('.sb-metric__value')!.textContent).toBe('50%');
    const delta = card().querySelector('.sb-delta')!;
    expect(delta.getAttribute('data-direction')).toBe('up');
    expect(delta.getAttribute('data-tone')).toBe('positive');
    expect(delta.textContent).toContain('up 25%');
    expect(card().querySelector('.sb-metric__sparkline')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('colours a value that crossed a threshold, names the step, and marks data-threshold', () => {
    render(
      <MetricCard title="CPU" value={93} previousValue={95} thresholds={thresholds} deltaPolarity="lower-is-better" />,
    );
    expect(card().getAttribute('data-threshold')).toBe('critical');
    expect(card().querySelector<HTMLElement>('.sb-metric__value')!.style.color).toBe('var(--sb-color-danger)');
    expect(card().querySelector('.sb-chip')!.textContent).toBe('critical');
    expect(card().querySelector('.sb-delta')!.getAttribute('data-tone')).toBe('positive');
  });

  it('shows noValue when empty, a busy skeleton while loading, and the message on error', () => {
    const { rerender } = render(<MetricCard title="CPU" noValue="n/a" />);
    expect(card().getAttribute('data-state')).toBe('empty');
    expect(card().textContent).toContain('n/a');
    rerender(<MetricCard title="CPU" loading />);
    expect(card().getAttribute('data-state')).toBe('loading');
    expect(card().getAttribute('aria-busy')).toBe('true');
    expect(card().textContent).toContain('Loading…');
    rerender(<MetricCard title="CPU" value={3} error="sensor offline" />);
    expect(card().getAttribute('data-state')).toBe('error');
    expect(card().textContent).toContain('sensor offline');
  });

  it('turns stale when updatedAt is older than staleAfterMs', () => {
    render(<MetricCard title="CPU" value={10} updatedAt={T0} staleAfterMs={2_000} />);
    expect(card().getAttribute('data-state')).toBe('live');
    act(() => void vi.advanceTimersByTime(2_001));
    expect(card().getAttribute('data-state')).toBe('stale');
    expect(card().textContent).toContain('Stale');
  });

  it('follows a channel: loading, then the newest value once per frame', async () => {
    const { server } = socket.render(
      <MetricCard<{ cpu: number }> title="CPU" channel="host" select={(m) => m.cpu} unit="percent" />,
    );
    expect(card().getAttribute('data-state')).toBe('loading');
    await settle();
    server.publish('host', { cpu: 20 });
    server.publish('host', { cpu: 30 });
    await settle();
    act(() => void frames.flush());
    expect(card().getAttribute('data-state')).toBe('live');
    expect(card().querySelector('.sb-metric__value')!.textContent).toBe('30%');
    expect(card().querySelector('.sb-delta')!.textContent).toContain('up 50%');
  });
});

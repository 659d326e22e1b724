import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { Gauge } from './gauge';

const socket = mockSocket();
const frames = fakeClockAndFrames(1_700_000_000_000);

const thresholds = {
  mode: 'percentage' as const,
  steps: [
    { value: null, color: 'success' },
    { value: 80, color: 'danger', label: 'critical' },
  ],
};

describe('Gauge', () => {
  it('is a meter labelled by its title with value, bounds and a spoken value text', () => {
    render(<Gauge title="Memory" value={512} min={0} max={1024} unit="decbytes" />);
    const meter = screen.getByRole('meter', { name: 'Memory' });
    expect(meter.getAttribute('aria-valuenow')).toBe('512');
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('1024');
    expect(meter.getAttribute('aria-valuetext')).toBe('512\u00a0B');
    expect(meter.getAttribute('data-state')).toBe('live');
  });

  it('clamps aria-valuenow to the range but states the real value, and names a crossed percentage threshold', () => {
    render(<Gauge title="CPU" value={130} max={120} unit="percent" thresholds={thresholds} />);
    const meter = screen.getByRole('meter', { name: 'CPU' });
    expect(meter.getAttribute('aria-valuenow')).toBe('120');
    expect(meter.getAttribute('aria-valuetext')).toBe('130%, critical');
    expect(meter.getAttribute('data-threshold')).toBe('critical');
    expect(meter.querySelector<SVGPathElement>('.sb-gauge__value-arc')!.style.stroke).toBe('var(--sb-color-danger)');
    expect(meter.querySelectorAll('svg path')).toHaveLength(4);
  });

  it('has no aria-valuenow without a value, and says loading, error and stale', () => {
    const { rerender } = render(<Gauge title="CPU" />);
    const meter = () => screen.getByRole('meter', { name: 'CPU' });
    expect(meter().getAttribute('aria-valuenow')).toBeNull();
    expect(meter().getAttribute('aria-valuetext')).toBe('No data');
    expect(meter().getAttribute('data-state')).toBe('empty');
    rerender(<Gauge title="CPU" loading />);
    expect(meter().getAttribute('data-state')).toBe('loading');
    expect(meter().getAttribute('aria-valuetext')).toBe('Loading');
    rerender(<Gauge title="CPU" value={3} error="no sensor" />);
    expect(meter().getAttribute('aria-valuetext')).toBe('Error: no sensor');
    rerender(<Gauge title="CPU" value={3} updatedAt={Date.now()} staleAfterMs={1_000} />);
    act(() => void vi.advanceTimersByTime(1_001));
    expect(meter().getAttribute('data-state')).toBe('stale');
    expect(meter().getAttribute('aria-valuetext')).toBe('3, stale');
  });

  it('shows the newest value of a channel', async () => {
    const { server } = socket.render(<Gauge title="CPU" channel="cpu" />);
    await settle();
    for (let i = 0; i <= 42; i++) server.publish('cpu', i);
    await settle();
    act(() => void frames.flush());
    expect(screen.getByRole('meter', { name: 'CPU' }).getAttribute('aria-valuenow')).toBe('42');
  });
});

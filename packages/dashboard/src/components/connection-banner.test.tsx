import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { ConnectionBanner } from './connection-banner';

const T0 = 1_700_000_000_000;
const socket = mockSocket();
// Frames run only when a test flushes them: nothing renders behind its back.
fakeClockAndFrames(T0);

const root = () => document.querySelector('.sb-banner')!;
const live = () => screen.getByRole('status');

describe('ConnectionBanner', () => {
  it('stays hidden (with an empty live region ready) while connected', () => {
    render(<ConnectionBanner status="open" />);
    expect(root().getAttribute('data-state')).toBe('hidden');
    expect(live().textContent).toBe('');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('appears only after the grace period of being down, and announces once', () => {
    const { rerender } = render(
      <ConnectionBanner status="reconnecting" downSince={T0} graceMs={3_000} nextRetryAt={T0 + 9_000} attempt={2} />,
    );
    expect(root().getAttribute('data-state')).toBe('hidden');
    act(() => void vi.advanceTimersByTime(2_999));
    expect(root().getAttribute('data-state')).toBe('hidden');
    act(() => void vi.advanceTimersByTime(2));
    expect(root().getAttribute('data-state')).toBe('reconnecting');
    expect(live().textContent).toBe('Connection lost. Reconnecting automatically.');
    expect(root().textContent).toContain('Reconnecting in 6 s (attempt 2)…');
    act(() => void vi.advanceTimersByTime(1_000));
    expect(root().textContent).toContain('Reconnecting in 5 s');
    expect(live().textContent).toBe('Connection lost. Reconnecting automatically.');
    rerender(<ConnectionBanner status="open" downSince={T0} />);
    expect(root().getAttribute('data-state')).toBe('hidden');
  });

  it('never shows for a blip shorter than the grace period', () => {
    const { rerender } = render(<ConnectionBanner status="reconnecting" downSince={T0} graceMs={3_000} />);
    act(() => void vi.advanceTimersByTime(1_000));
    rerender(<ConnectionBanner status="open" downSince={T0} graceMs={3_000} />);
    act(() => void vi.advanceTimersByTime(10_000));
    expect(root().getAttribute('data-state')).toBe('hidden');
    expect(live().textContent).toBe('');
  });

  it('offers retry when failed and calls onRetry', () => {
    const onRetry = vi.fn();
    render(<ConnectionBanner status="failed" onRetry={onRetry} />);
    expect(root().getAttribute('data-state')).toBe('failed');
    expect(root().textContent).toContain('Connection failed');
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('with a provider: counts the grace period from the outage start, not from the latest failed retry', async () => {
    // Retries every ~250–1000 ms, all refused: each one closes again, yet the banner shows after 2 s.
    const { server } = socket.render(<ConnectionBanner graceMs={2_000} />, {
      reconnect: { initialDelayMs: 500, factor: 2, maxDelayMs: 1_000 },
    });
    await settle();
    server.refuseNext(Infinity);
    server.drop(1006);
    await settle();
    await act(async () => void (await vi.advanceTimersByTimeAsync(1_900)));
    expect(server.connections).toBeGreaterThan(2);
    expect(root().getAttribute('data-state')).toBe('hidden');
    await act(async () => void (await vi.advanceTimersByTimeAsync(200)));
    expect(root().getAttribute('data-state')).toBe('reconnecting');
  });

  it('with a provider: shows after the grace period of a drop, and Retry reconnects at once', async () => {
    // The first retry is due long after the grace period: only the button can reconnect before it.
    const { server, connection } = socket.render(<ConnectionBanner graceMs={2_000} />, {
      reconnect: { initialDelayMs: 20_000 },
    });
    await settle();
    server.drop(1006);
    await settle();
    expect(connection.store.getState().status).toBe('reconnecting');
    expect(root().getAttribute('data-state')).toBe('hidden');
    await act(async () => void (await vi.advanceTimersByTimeAsync(2_001)));
    expect(root().getAttribute('data-state')).not.toBe('hidden');
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await settle();
    expect(server.connections).toBe(2);
    expect(connection.store.getState().status).toBe('open');
    expect(root().getAttribute('data-state')).toBe('hidden');
  });
});

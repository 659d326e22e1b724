import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { ConnectionStatus } from './connection-status';

const T0 = 1_700_000_000_000;
const socket = mockSocket();
// Frames run only when a test flushes them: nothing renders behind its back.
fakeClockAndFrames(T0);

const badge = () => screen.getByRole('status');
const visible = () => badge().querySelector('.sb-status__label')!.textContent;
const spoken = () => badge().querySelector('.sb-visually-hidden')!.textContent;

describe('ConnectionStatus', () => {
  it('shows each status in data-state with its label', () => {
    const { rerender } = render(<ConnectionStatus status="open" />);
    for (const [status, label] of [
      ['idle', 'Not connected'],
      ['connecting', 'Connecting'],
      ['open', 'Connected'],
      ['closed', 'Disconnected'],
      ['failed', 'Connection failed'],
    ] as const) {
      rerender(<ConnectionStatus status={status} />);
      expect(badge().getAttribute('data-state')).toBe(status);
      expect(visible()).toBe(label);
    }
  });

  it('counts down to the next retry once a second, without putting the countdown in the live region', () => {
    render(<ConnectionStatus status="reconnecting" nextRetryAt={T0 + 4_200} />);
    expect(visible()).toBe('Reconnecting in 5 s');
    act(() => void vi.advanceTimersByTime(1_000));
    expect(visible()).toBe('Reconnecting in 4 s');
    act(() => void vi.advanceTimersByTime(5_000));
    expect(visible()).toBe('Reconnecting now');
    expect(spoken()).toBe('Reconnecting');
  });

  it('says offline when the network is gone', () => {
    render(<ConnectionStatus status="reconnecting" online={false} />);
    expect(visible()).toBe('Offline');
    expect(badge().getAttribute('data-online')).toBe('false');
  });

  it('announces a flapping status once, after it settled', () => {
    const { rerender } = render(<ConnectionStatus status="open" announceDelayMs={1_000} />);
    for (const status of ['reconnecting', 'open', 'reconnecting', 'open', 'reconnecting'] as const) {
      rerender(<ConnectionStatus status={status} announceDelayMs={1_000} />);
      act(() => void vi.advanceTimersByTime(300));
    }
    expect(spoken()).toBe('Connected');
    act(() => void vi.advanceTimersByTime(1_000));
    expect(spoken()).toBe('Reconnecting');
  });

  it('follows the provider connection when no status is given', async () => {
    const { server } = socket.render(<ConnectionStatus />);
    expect(badge().getAttribute('data-state')).toBe('connecting');
    await settle();
    expect(badge().getAttribute('data-state')).toBe('open');
    server.drop(1006);
    await settle();
    expect(badge().getAttribute('data-state')).toBe('reconnecting');
    expect(visible()).toMatch(/^Reconnecting in \d+ s$/);
  });
});

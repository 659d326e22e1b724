import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnection } from '@socketboard/core';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import '../test/channels';
import { mockSocketServerPerTest } from '../test/mock-socket';
import { renderStrict } from '../test/render';
import { SocketProviderMissingError } from './errors';
import { SocketProvider } from './socket-provider';
import { useSocket } from './use-socket';
import type { SocketApi } from './use-socket';
import { useConnectionStatus } from './use-connection-status';

const server = mockSocketServerPerTest();

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Hands the provider's socket API to the test and shows the status. */
function Probe({ onApi }: { onApi: (api: SocketApi) => void }) {
  const api = useSocket();
  onApi(api);
  return <p data-testid="status">{useConnectionStatus((s) => s.status)}</p>;
}

function capture() {
  const apis: SocketApi[] = [];
  return {
    apis,
    onApi: (api: SocketApi) => apis.push(api),
    get last(): SocketApi {
      return apis.at(-1)!;
    },
  };
}

describe('SocketProvider with its own connection', () => {
  it('opens exactly one socket under StrictMode', async () => {
    const mock = server.current;
    const constructed = vi.spyOn(globalThis, 'WebSocket');
    const probe = capture();
    renderStrict(
      <SocketProvider url={mock.url}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    await waitFor(() => expect(mock.inbound('hello')).toHaveLength(1));
    expect(mock.connections).toBe(1);
    expect(constructed).toHaveBeenCalledTimes(1);
    expect(new Set(probe.apis.map((api) => api.connection)).size).toBe(1);
  });

  it('closes its connection after the close delay once unmounted, not at once', async () => {
    vi.useFakeTimers();
    const mock = server.current;
    const probe = capture();
    const { unmount } = renderStrict(
      <SocketProvider url={mock.url} closeDelayMs={30}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    // The mock server answers on microtasks: a zero advance lets them run without moving the clock.
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByTestId('status').textContent).toBe('open');
    const { connection } = probe.last;
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(29));
    expect(connection.store.getState().status).toBe('open');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(connection.store.getState().status).toBe('closed');
    expect(connection.inspect()).toMatchObject({ socket: false, timers: 0, signalListeners: false });
    expect(mock.clients).toBe(0);
  });

  it('keeps the connection when options objects and callbacks change identity, and uses the latest callbacks', async () => {
    const mock = server.current;
    const probe = capture();
    const tokens: string[] = [];
    const ui = (n: number) => (
      <SocketProvider
        url={() => mock.url}
        auth={() => {
          tokens.push(`t${n}`);
          return `t${n}`;
        }}
        reconnect={{ initialDelayMs: 10, maxDelayMs: 20 }}
        heartbeat={{ intervalMs: 60_000, timeoutMs: 10_000 }}
      >
        <Probe onApi={probe.onApi} />
      </SocketProvider>
    );
    const { rerender } = renderStrict(ui(1));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    rerender(ui(2));
    rerender(ui(3));
    expect(new Set(probe.apis.map((api) => api.connection)).size).toBe(1);
    expect(mock.connections).toBe(1);
    // The next attempt asks the newest auth callback for its token.
    act(() => probe.last.reconnect());
    await waitFor(() => expect(mock.inbound('auth')).toHaveLength(2));
    expect(tokens).toEqual(['t1', 't3']);
    expect(mock.inbound('auth').map((f) => f.token)).toEqual(['t1', 't3']);
  });

  it('replaces the connection when the url string changes, and closes the old one', async () => {
    const first = server.current;
    const second = server.another();
    const probe = capture();
    const { rerender } = renderStrict(
      <SocketProvider url={first.url}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    const old = probe.last.connection;
    rerender(
      <SocketProvider url={second.url}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    expect(probe.last.connection).not.toBe(old);
    // Replaced for good: closed without waiting for the close delay.
    expect(old.store.getState().status).toBe('closed');
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    expect([first.connections, second.connections]).toEqual([1, 1]);
    await waitFor(() => expect(first.clients).toBe(0));
  });
});

describe('SocketProvider with a shared connection', () => {
  it('neither connects nor closes a connection made elsewhere', async () => {
    const mock = server.current;
    const connection = createConnection({ url: mock.url });
    const probe = capture();
    const { unmount } = renderStrict(
      <SocketProvider connection={connection} closeDelayMs={0}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    expect(probe.last.connection).toBe(connection);
    expect(connection.store.getState().status).toBe('idle');
    act(() => connection.connect());
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connection.store.getState().status).toBe('open');
    connection.close();
  });
});

describe('useSocket', () => {
  it('returns the same functions on every render while the connection stays', async () => {
    const mock = server.current;
    const probe = capture();
    renderStrict(
      <SocketProvider url={mock.url}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    expect(probe.apis.length).toBeGreaterThan(2);
    for (const key of ['send', 'publish', 'reconnect', 'close', 'connection'] as const) {
      expect(new Set(probe.apis.map((api) => api[key])).size).toBe(1);
    }
  });

  it('sends, publishes and closes through the connection', async () => {
    const mock = server.current;
    const probe = capture();
    renderStrict(
      <SocketProvider url={mock.url}>
        <Probe onApi={probe.onApi} />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    await expect(probe.last.publish('chat', { from: 'a', text: 'b' }, { ack: true })).resolves.toMatchObject({
      channel: 'chat',
    });
    expect(probe.last.send('{"t":"ping","ts":1}')).toBe('sent');
    await waitFor(() => expect(mock.inbound('ping')).toEqual([{ t: 'ping', ts: 1 }]));
    act(() => probe.last.close());
    expect(screen.getByTestId('status').textContent).toBe('closed');
  });

  it('throws a SocketProviderMissingError that names the hook outside a provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function Orphan() {
      useSocket();
      return null;
    }
    expect(() => render(<Orphan />)).toThrow(SocketProviderMissingError);
    expect(() => render(<Orphan />)).toThrow(/useSocket\(\) was called outside a <SocketProvider>/);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { useEffect, useState } from 'react';
import { createConnection } from '@socketboard/core';
import type { Connection, ReadonlyStore } from '@socketboard/core';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import '../test/channels';
import { manualFrames } from '../test/fake-socket';
import { mockSocketServerPerTest } from '../test/mock-socket';
import { renderStrict } from '../test/render';
import { SocketProvider } from './socket-provider';
import { useChannel } from './use-channel';
import { useConnectionMetrics } from './use-connection-metrics';
import { useConnectionStatus } from './use-connection-status';
import { useSocket } from './use-socket';

const server = mockSocketServerPerTest();

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Wraps a store's `subscribe` to count the listeners it holds now. */
function countListeners(store: ReadonlyStore<unknown>): { readonly live: number } {
  const original = store.subscribe;
  let live = 0;
  (store as { subscribe: typeof original }).subscribe = (listener) => {
    live++;
    const unsubscribe = original(listener);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      live--;
      unsubscribe();
    };
  };
  return {
    get live() {
      return live;
    },
  };
}

/** Every hook and option, several times over. */
function Everything() {
  const a = useChannel('a', { history: 5, onMessage: () => {} });
  const b = useChannel('b', { deliver: 'every', select: (s) => ({ d: s.data }) });
  const cpu = useChannel('cpu', { deliver: { throttleMs: 10 } });
  useSocket();
  const status = useConnectionStatus((s) => ({ status: s.status }));
  useConnectionMetrics();
  return (
    <p data-testid="everything">
      {status.status}:{a.data ?? '-'}:{b.d ?? '-'}:{cpu.data?.load ?? '-'}
    </p>
  );
}

describe('after unmounting every component', () => {
  it('the connection holds no listener of theirs, and each channel leaves the wire after the grace delay', async () => {
    const frames = manualFrames();
    vi.stubGlobal('requestAnimationFrame', frames.requestAnimationFrame);
    vi.stubGlobal('cancelAnimationFrame', frames.cancelAnimationFrame);
    const mock = server.current;
    const connection: Connection = createConnection({ url: mock.url, channelGraceMs: 20, heartbeat: false });
    const stores = {
      a: countListeners(connection.channel('a')),
      b: countListeners(connection.channel('b')),
      cpu: countListeners(connection.channel('cpu')),
      status: countListeners(connection.store),
      metrics: countListeners(connection.metrics),
    };
    connection.connect();
    function App() {
      const [shown, setShown] = useState(true);
      return (
        <SocketProvider connection={connection}>
          <button onClick={() => setShown(false)}>unmount</button>
          {shown && (
            <>
              <Everything />
              <Everything />
              <Everything />
            </>
          )}
        </SocketProvider>
      );
    }
    renderStrict(<App />);
    await waitFor(() => {
      for (const ch of ['a', 'b', 'cpu']) expect(mock.subscribers(ch)).toBe(1);
    });
    act(() => {
      mock.publish('a', 1);
      mock.publish('b', 2);
      mock.publish('cpu', { load: 0.5 });
    });
    await waitFor(() => expect(connection.channel('cpu').getState().count).toBe(1));
    expect(connection.inspect().channelListeners).toBe(9);
    // A message is waiting for the next frame when everything unmounts: its frame must be cancelled too.
    act(() => void mock.publish('a', 3));
    await waitFor(() => expect(connection.channel('a').getState().data).toBe(3));
    expect(frames.queued).toBe(1);

    fireEvent.click(screen.getByText('unmount'));

    expect(connection.inspect().channelListeners).toBe(0);
    expect(Object.values(stores).map((s) => s.live)).toEqual([0, 0, 0, 0, 0]);
    expect(frames.queued).toBe(0);
    await waitFor(() => expect(connection.inspect().wireChannels).toEqual([]));
    const unsubscribed = mock.inbound('unsub').map((f) => f.ch);
    expect(unsubscribed.sort()).toEqual(['a', 'b', 'cpu']);
    expect(mock.inbound('sub')).toHaveLength(3);
    connection.close();
    expect(connection.inspect()).toMatchObject({ timers: 0, socket: false, signalListeners: false, eventListeners: 0 });
  });

  it('an owned connection is closed and releases its timers, socket and signal listeners', async () => {
    const mock = server.current;
    const grabbed: { connection?: Connection } = {};
    function Grab() {
      const { connection } = useSocket();
      useEffect(() => {
        grabbed.connection = connection;
      }, [connection]);
      return <Everything />;
    }
    const { unmount } = renderStrict(
      <SocketProvider url={mock.url} closeDelayMs={10}>
        <Grab />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('everything').textContent).toMatch(/^open:/));
    await waitFor(() => expect(mock.subscribers('cpu')).toBe(1));
    const connection = grabbed.connection!;
    unmount();
    expect(connection.inspect().channelListeners).toBe(0);
    await waitFor(() => expect(connection.store.getState().status).toBe('closed'));
    expect(connection.inspect()).toMatchObject({
      timers: 0,
      socket: false,
      signalListeners: false,
      eventListeners: 0,
      channelListeners: 0,
      wireChannels: [],
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import '../test/channels';
import { mockSocketServerPerTest } from '../test/mock-socket';
import { renderStrict } from '../test/render';
import { SocketProvider } from './socket-provider';
import { useChannel } from './use-channel';
import { useConnectionStatus } from './use-connection-status';

const server = mockSocketServerPerTest();

afterEach(() => {
  cleanup();
});

function Cpu({ id }: { id: string }) {
  const { data, status } = useChannel('cpu');
  return (
    <p data-testid={id}>
      {status}:{data === undefined ? '-' : data.load}
    </p>
  );
}

describe('useChannel over msw', () => {
  it('subscribes once on the wire for many components, shows data, and unsubscribes after they unmount', async () => {
    const mock = server.current;
    function App() {
      const [show, setShow] = useState(true);
      return (
        <SocketProvider url={mock.url} channelGraceMs={20}>
          <button onClick={() => setShow(false)}>hide</button>
          {show && (
            <>
              <Cpu id="one" />
              <Cpu id="two" />
              <Cpu id="three" />
            </>
          )}
        </SocketProvider>
      );
    }
    renderStrict(<App />);
    await waitFor(() => expect(screen.getByTestId('one').textContent).toBe('subscribed:-'));
    expect(mock.inbound('sub')).toEqual([{ t: 'sub', ch: 'cpu' }]);
    expect(mock.connections).toBe(1);

    act(() => void mock.publish('cpu', { load: 0.42 }));
    await waitFor(() => {
      for (const id of ['one', 'two', 'three']) expect(screen.getByTestId(id).textContent).toBe('subscribed:0.42');
    });

    fireEvent.click(screen.getByText('hide'));
    await waitFor(() => expect(mock.inbound('unsub')).toEqual([{ t: 'unsub', ch: 'cpu' }]));
    expect(mock.subscribers('cpu')).toBe(0);
    expect(mock.inbound('sub')).toHaveLength(1);
  });

  it('shows open → reconnecting → open when the server drops the socket, and delivers a publish made while down', async () => {
    const mock = server.current;
    const statuses: string[] = [];
    function Status() {
      const status = useConnectionStatus((s) => s.status);
      if (statuses.at(-1) !== status) statuses.push(status);
      return <p data-testid="status">{status}</p>;
    }
    function Chat() {
      const { publish, data } = useChannel('chat');
      const [result, setResult] = useState('');
      return (
        <>
          <button onClick={() => setResult(publish({ from: 'ada', text: 'while down' }))}>send</button>
          <p data-testid="result">{result}</p>
          <p data-testid="chat">{data?.text ?? '-'}</p>
        </>
      );
    }
    renderStrict(
      <SocketProvider url={mock.url} reconnect={{ initialDelayMs: 20, maxDelayMs: 100 }}>
        <Status />
        <Chat />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    await waitFor(() => expect(mock.subscribers('chat')).toBe(1));

    // Refused until the test lets it up, so "reconnecting" is observable.
    act(() => {
      mock.refuseNext(Infinity);
      mock.drop(1012);
    });
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('reconnecting'));
    fireEvent.click(screen.getByText('send'));
    expect(screen.getByTestId('result').textContent).toBe('queued');
    expect(mock.inbound('pub')).toEqual([]);

    act(() => mock.refuseNext(0));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    await waitFor(() =>
      expect(mock.inbound('pub')).toEqual([{ t: 'pub', ch: 'chat', d: { from: 'ada', text: 'while down' } }]),
    );
    expect(statuses).toEqual(['idle', 'connecting', 'open', 'reconnecting', 'open']);
    // One socket opened again (the refused attempts never opened), with one session each time.
    expect(mock.sent('welcome')).toHaveLength(2);
    // Resubscribed on the new socket, and the channel still works.
    await waitFor(() => expect(mock.subscribers('chat')).toBe(1));
    act(() => void mock.publish('chat', { from: 'bob', text: 'back' }));
    await waitFor(() => expect(screen.getByTestId('chat').textContent).toBe('back'));
  });

  it('keeps the last `history` messages', async () => {
    const mock = server.current;
    function History() {
      const { history } = useChannel('a', { history: 3 });
      return <p data-testid="history">{history.join(',')}</p>;
    }
    renderStrict(
      <SocketProvider url={mock.url}>
        <History />
      </SocketProvider>,
    );
    await waitFor(() => expect(mock.subscribers('a')).toBe(1));
    act(() => {
      for (let i = 1; i <= 5; i++) mock.publish('a', i);
    });
    await waitFor(() => expect(screen.getByTestId('history').textContent).toBe('3,4,5'));
  });

  it('does not subscribe while `enabled` is false, and subscribes once it turns true', async () => {
    const mock = server.current;
    function Toggle() {
      const [enabled, setEnabled] = useState(false);
      const { status } = useChannel('b', { enabled });
      return (
        <>
          <button onClick={() => setEnabled(true)}>enable</button>
          <p data-testid="b">{status}</p>
        </>
      );
    }
    function Status() {
      return <p data-testid="status">{useConnectionStatus((s) => s.status)}</p>;
    }
    renderStrict(
      <SocketProvider url={mock.url}>
        <Status />
        <Toggle />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('open'));
    await waitFor(() => expect(mock.inbound('hello')).toHaveLength(1));
    expect(screen.getByTestId('b').textContent).toBe('idle');
    expect(mock.inbound('sub')).toEqual([]);
    fireEvent.click(screen.getByText('enable'));
    await waitFor(() => expect(screen.getByTestId('b').textContent).toBe('subscribed'));
    expect(mock.inbound('sub')).toEqual([{ t: 'sub', ch: 'b' }]);
  });
});

describe('useChannel with since (backfill on mount)', () => {
  function Chart({ id }: { id: string }) {
    const loads = useChannel('cpu', {
      since: 0,
      history: 10,
      select: (s) => s.history.map((m) => m.load).join(','),
    });
    return <p data-testid={id}>{loads}</p>;
  }

  it('shows the messages published before it mounted, in order, then live ones, asking once with since', async () => {
    const mock = server.current;
    for (let i = 1; i <= 3; i++) mock.publish('cpu', { load: i });
    const replayed: boolean[] = [];
    function Listener() {
      useChannel('cpu', { since: 0, onMessage: (_data, meta) => replayed.push(meta.replayed) });
      return null;
    }
    renderStrict(
      <SocketProvider url={mock.url}>
        <Chart id="chart" />
        <Listener />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('chart').textContent).toBe('1,2,3'));
    expect(mock.inbound('sub')).toEqual([{ t: 'sub', ch: 'cpu', since: 0 }]);

    act(() => void mock.publish('cpu', { load: 4 }));
    await waitFor(() => expect(screen.getByTestId('chart').textContent).toBe('1,2,3,4'));
    expect(replayed).toEqual([true, true, true, false]);
  });

  it('shows a component mounting on an already live channel the store history, without a second sub', async () => {
    const mock = server.current;
    mock.publish('cpu', { load: 1 });
    function App() {
      const [late, setLate] = useState(false);
      return (
        <SocketProvider url={mock.url}>
          <button onClick={() => setLate(true)}>mount</button>
          <Chart id="first" />
          {late && <Chart id="late" />}
        </SocketProvider>
      );
    }
    renderStrict(<App />);
    await waitFor(() => expect(screen.getByTestId('first').textContent).toBe('1'));
    act(() => void mock.publish('cpu', { load: 2 }));
    await waitFor(() => expect(screen.getByTestId('first').textContent).toBe('1,2'));

    fireEvent.click(screen.getByText('mount'));
    expect(screen.getByTestId('late').textContent).toBe('1,2');
    act(() => void mock.publish('cpu', { load: 3 }));
    await waitFor(() => expect(screen.getByTestId('late').textContent).toBe('1,2,3'));
    expect(mock.inbound('sub')).toEqual([{ t: 'sub', ch: 'cpu', since: 0 }]);
  });
});

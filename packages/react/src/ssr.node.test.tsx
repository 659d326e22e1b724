import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderToString } from 'react-dom/server';
import { createConnection } from '@socketboard/core';
import type { WebSocketConstructor } from '@socketboard/core';
import '../test/channels';
import { fakeServer, inertSignals } from '../test/fake-socket';
import { SocketProvider } from './socket-provider';
import { useChannel } from './use-channel';
import { useConnectionMetrics } from './use-connection-metrics';
import { useConnectionStatus } from './use-connection-status';
import { useSocket } from './use-socket';

afterEach(() => {
  vi.unstubAllGlobals();
});

function EveryHook() {
  const { connection } = useSocket();
  const cpu = useChannel('cpu', { history: 3 });
  const load = useChannel('cpu', { select: (s) => s.data?.load ?? 'no load', deliver: 'every' });
  const status = useConnectionStatus();
  const attempt = useConnectionStatus((s) => s.attempt);
  const metrics = useConnectionMetrics((m) => m.current.messagesIn);
  return (
    <p>
      {[
        `connection:${typeof connection.connect}`,
        `channel:${cpu.status}:${cpu.data === undefined ? 'undefined' : cpu.data.load}:${cpu.history.length}:${cpu.count}`,
        `load:${load}`,
        `status:${status.status}:${attempt}`,
        `in:${metrics}`,
      ].join(' ')}
    </p>
  );
}

const IDLE = 'connection:function channel:idle:undefined:0:0 load:no load status:idle:0 in:0';

describe('server rendering', () => {
  it('renders the idle state of every hook and constructs no socket', () => {
    const WebSocket = vi.fn() as unknown as WebSocketConstructor;
    const GlobalWebSocket = vi.fn();
    vi.stubGlobal('WebSocket', GlobalWebSocket);
    const html = renderToString(
      <SocketProvider url="wss://ssr.invalid/socket" WebSocket={WebSocket}>
        <EveryHook />
      </SocketProvider>,
    );
    expect(html).toContain(IDLE);
    expect(WebSocket).not.toHaveBeenCalled();
    expect(GlobalWebSocket).not.toHaveBeenCalled();
  });

  it('renders the idle state even when a shared connection already has data (hydration must match)', () => {
    const server = fakeServer();
    const connection = createConnection({
      url: 'ws://fake.invalid/socket',
      WebSocket: server.WebSocket,
      signals: inertSignals,
      heartbeat: false,
    });
    const off = connection.subscribe('cpu', () => {});
    connection.connect();
    server.last().open();
    server.last().message('cpu', { load: 0.9 });
    expect(connection.channel('cpu').getState().data).toEqual({ load: 0.9 });
    const html = renderToString(
      <SocketProvider connection={connection}>
        <EveryHook />
      </SocketProvider>,
    );
    expect(html).toContain(IDLE);
    expect(server.sockets).toHaveLength(1);
    off();
    connection.close();
  });
});

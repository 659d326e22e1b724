// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { WebSocket } from 'ws';
import '../test/channels';
import { renderStrict } from '../test/render';
import { startWsServer } from '../test/ws-server';
import type { WsTestServer } from '../test/ws-server';
import { SocketProvider } from './socket-provider';
import { useChannel } from './use-channel';
import { useConnectionStatus } from './use-connection-status';

let server: WsTestServer;

beforeEach(async () => {
  server = await startWsServer();
});

afterEach(async () => {
  cleanup();
  await server.close();
});

function Cpu() {
  const status = useConnectionStatus((s) => s.status);
  const { data } = useChannel('cpu');
  return (
    <p data-testid="cpu">
      {status}:{data?.load ?? '-'}
    </p>
  );
}

describe('against a real ws server', () => {
  it('opens exactly one socket for a StrictMode mount, and closes it after unmount', async () => {
    // Counted on the client too: a socket opened and closed at once may never reach the server.
    let constructed = 0;
    class CountingWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        constructed++;
      }
    }
    const { unmount } = renderStrict(
      <SocketProvider url={server.url} WebSocket={CountingWebSocket} closeDelayMs={10}>
        <Cpu />
        <Cpu />
      </SocketProvider>,
    );
    await waitFor(() => expect(server.subscribers('cpu')).toBe(1));
    server.publish('cpu', { load: 0.7 });
    await waitFor(() =>
      expect(screen.getAllByTestId('cpu').map((p) => p.textContent)).toEqual(['open:0.7', 'open:0.7']),
    );
    expect(server.connections).toBe(1);
    expect(constructed).toBe(1);
    unmount();
    await waitFor(() => expect(server.open).toBe(0));
    expect(server.connections).toBe(1);
  });
});

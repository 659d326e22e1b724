import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { act, waitFor } from '@testing-library/react';
import '../test/channels';
import { openFakeConnection } from '../test/fake-socket';
import { SocketProvider } from './socket-provider';
import { useChannel } from './use-channel';
import { useConnectionStatus } from './use-connection-status';

afterEach(() => {
  vi.restoreAllMocks();
});

function Cpu() {
  const { data } = useChannel('cpu');
  const status = useConnectionStatus((s) => s.status);
  return (
    <p>
      {status}:{data?.load ?? '-'}
    </p>
  );
}

describe('hydration', () => {
  it('hydrates server HTML without a mismatch, then shows the live connection', async () => {
    const errors = vi.spyOn(console, 'error');
    const { connection, socket } = openFakeConnection();
    const off = connection.subscribe('cpu', () => {});
    socket.message('cpu', { load: 0.9 });
    const ui = (
      <StrictMode>
        <SocketProvider connection={connection}>
          <Cpu />
        </SocketProvider>
      </StrictMode>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(ui);
    expect(container.textContent).toBe('idle:-');
    document.body.append(container);
    let root!: Root;
    act(() => {
      root = hydrateRoot(container, ui);
    });
    await waitFor(() => expect(container.textContent).toBe('open:0.9'));
    expect(errors).not.toHaveBeenCalled();
    act(() => root.unmount());
    container.remove();
    off();
    connection.close();
  });
});

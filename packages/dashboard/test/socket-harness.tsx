import { act, render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { createConnection } from '@socketboard/core';
import type { Connection } from '@socketboard/core';
import { SocketProvider } from '@socketboard/react';
import { fakeSignals, fakeSockets } from './fake-environment';
import type { FakeSocket } from './fake-environment';

/**
 * A real Connection on a fake socket, under fake timers: the test plays the server. `open()` connects
 * and opens; `subscribed(ch)` confirms a subscription; `message(ch, d)` pushes one message.
 */
export interface SocketHarness {
  readonly connection: Connection;
  readonly signals: ReturnType<typeof fakeSignals>;
  socket(): FakeSocket;
  open(): Promise<void>;
  subscribed(channel: string): void;
  message(channel: string, data: unknown): void;
  render(ui: ReactElement): RenderResult;
}

export function socketHarness(): SocketHarness {
  const env = fakeSockets();
  const signals = fakeSignals();
  const connection = createConnection({
    url: 'ws://test.invalid/socket',
    WebSocket: env.WebSocket,
    signals,
    heartbeat: false,
    random: () => 0.5,
  });
  const seqs = new Map<string, number>();
  return {
    connection,
    signals,
    socket: () => env.last(),
    async open() {
      await act(async () => {
        connection.connect();
        await vi.advanceTimersByTimeAsync(0);
        env.last().open();
      });
    },
    subscribed(channel) {
      act(() => env.last().receive({ t: 'subd', ch: channel, seq: seqs.get(channel) ?? 0 }));
    },
    message(channel, data) {
      const seq = (seqs.get(channel) ?? 0) + 1;
      seqs.set(channel, seq);
      env.last().receive({ t: 'msg', ch: channel, seq, d: data });
    },
    render(ui) {
      return render(<SocketProvider connection={connection}>{ui}</SocketProvider>);
    },
  };
}

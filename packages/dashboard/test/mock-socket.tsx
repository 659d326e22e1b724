import { act } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { setupServer } from 'msw/node';
import { createMockSocketServer } from '@socketboard/testing';
import type { MockSocketServer } from '@socketboard/testing';
import { renderWithSocket } from '@socketboard/testing/react';
import type { RenderWithSocketOptions, RenderWithSocketResult } from '@socketboard/testing/react';

/**
 * Starts msw for the test file; `render` puts the ui in a SocketProvider connected to a fresh mock
 * server of @socketboard/testing (no heartbeat, retries half their ceiling). Call it before the
 * file's own hooks, so that its cleanup runs after theirs.
 */
export function mockSocket(): {
  render(ui: ReactNode, options?: Omit<RenderWithSocketOptions, 'msw'>): RenderWithSocketResult;
  /** A mock server registered with this file's msw, for `render(ui, { server, url })` with a url of your own. */
  server(url?: string): MockSocketServer;
} {
  const msw = setupServer();
  const rendered: RenderWithSocketResult[] = [];
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    // The provider closes its connection on a timer the test's fake clock no longer runs.
    for (const result of rendered.splice(0)) result.connection.close();
    msw.resetHandlers();
  });
  afterAll(() => msw.close());
  return {
    render(ui, options = {}) {
      const result = renderWithSocket(ui, { msw, heartbeat: false, random: () => 0.5, ...options });
      rendered.push(result);
      return result;
    },
    server(url = 'ws://mock.test/socket') {
      const server = createMockSocketServer(url);
      msw.use(server.handler);
      return server;
    },
  };
}

/** Under fake timers: lets msw's microtasks (the handshake, frames both ways) run without moving the clock. */
export function settle(): Promise<void> {
  return act(async () => void (await vi.advanceTimersByTimeAsync(0)));
}

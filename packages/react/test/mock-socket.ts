import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { setupServer } from 'msw/node';
import { createMockSocketServer } from '@socketboard/testing';
import type { MockSocketServer } from '@socketboard/testing';

const URL = 'wss://socketboard.test/socket';
const OTHER_URL = 'wss://socketboard.test/other';

/**
 * Starts msw for the test file and gives each test a fresh mock server of @socketboard/testing.
 * Resetting the handlers after each test detaches the previous server: sockets a test left open
 * (a provider's close delay) stay with it and never count on the next test's server.
 */
export function mockSocketServerPerTest(): {
  readonly current: MockSocketServer;
  /** A second server, on another URL, for the current test. */
  another(): MockSocketServer;
} {
  const msw = setupServer();
  let current: MockSocketServer | undefined;
  const add = (url: string) => {
    const server = createMockSocketServer(url);
    msw.use(server.handler);
    return server;
  };
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    current = add(URL);
  });
  afterEach(() => {
    current = undefined;
    msw.resetHandlers();
  });
  afterAll(() => msw.close());
  return {
    get current() {
      if (current === undefined) throw new Error('the mock socket server exists only inside a test');
      return current;
    },
    another: () => add(OTHER_URL),
  };
}

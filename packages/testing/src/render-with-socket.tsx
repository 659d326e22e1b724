import { StrictMode, useLayoutEffect } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { render } from '@testing-library/react';
import type { RenderOptions, RenderResult } from '@testing-library/react';
import type { WebSocketHandler } from 'msw';
import { SOCKETBOARD_V1 } from '@socketboard/core';
import type { ChannelMap, Connection, ConnectionOptions } from '@socketboard/core';
import { SocketProvider, useSocket } from '@socketboard/react';
import { DEFAULT_MOCK_URL } from './default-url';
import { createMockSocketServer } from './mock-socket-server';
import type { MockSocketServer, MockSocketServerOptions } from './types';

/** Where `renderWithSocket` points the connection when no `url` is given. */

/** What `renderWithSocket` needs of msw's `setupServer()` / `setupWorker()`. */
export interface MswApi {
  use(...handlers: WebSocketHandler[]): void;
}

export type RenderWithSocketOptions = Partial<ConnectionOptions> & {
  /**
   * Your msw `setupServer()` (or `setupWorker()`): the new mock server's handler is added to it with
   * `use()`, so `msw.resetHandlers()` after each test removes it. Not needed with `server`.
   */
  msw?: MswApi;
  /** A mock server you made and registered yourself; by default a new one is made on `url`. */
  server?: MockSocketServer;
  /** Options of the new mock server. Its protocol follows the connection's (`'raw'` for `rawJsonProtocol()`). */
  mock?: MockSocketServerOptions;
  /** Render inside `<StrictMode>`. Default `false`. */
  strict?: boolean;
  /** `SocketProvider`'s `closeDelayMs`. */
  closeDelayMs?: number;
  /** Passed to Testing Library's `render` (`container`, `wrapper`…). */
  render?: Omit<RenderOptions, 'queries'>;
};

export type RenderWithSocketResult<TChannels extends ChannelMap = ChannelMap> = RenderResult & {
  /** The mock server the connection talks to. */
  readonly server: MockSocketServer;
  /** The provider's connection (its `store` shows status, attempt, nextRetryAt…). */
  readonly connection: Connection<TChannels>;
};

/**
 * Renders `ui` inside a `SocketProvider` connected to a mock server, with Testing Library.
 *
 * ```tsx
 * const msw = setupServer(); // listen() / resetHandlers() / close() in your hooks
 * const { server, findByText } = renderWithSocket(<Cpu />, { msw });
 * await server.whenSubscribed('cpu');
 * act(() => void server.publish('cpu', { load: 0.42 }));
 * await findByText('42 %');
 * ```
 *
 * Every option of `createConnection` applies (`random`, `reconnect`, `heartbeat`…); `url` defaults to
 * the server's, or to {@link DEFAULT_MOCK_URL} for a new one.
 *
 * @throws {TypeError} without `msw` or `server`, or with a `url` function and no `server`.
 */
export function renderWithSocket<TChannels extends ChannelMap = ChannelMap>(
  ui: ReactNode,
  options: RenderWithSocketOptions = {},
): RenderWithSocketResult<TChannels> {
  const {
    msw,
    server: given,
    mock,
    strict = false,
    closeDelayMs,
    render: renderOptions,
    ...connectionOptions
  } = options;
  const server = given ?? createRegisteredServer(connectionOptions, msw, mock);
  const providerOptions: ConnectionOptions = { ...connectionOptions, url: connectionOptions.url ?? server.url };

  let connection: Connection<TChannels> | undefined;
  const capture = (current: Connection) => {
    connection = current as Connection<TChannels>;
  };
  const Outer = renderOptions?.wrapper;
  function Wrapper({ children }: { children?: ReactNode }) {
    let tree: ReactNode = (
      <SocketProvider {...providerOptions} closeDelayMs={closeDelayMs}>
        <ConnectionProbe onConnection={capture} />
        {children}
      </SocketProvider>
    );
    if (Outer !== undefined) tree = <Outer>{tree}</Outer>;
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  }

  const result = render(ui, { ...renderOptions, wrapper: Wrapper as ComponentType<{ children: ReactNode }> });
  return Object.assign(result, {
    server,
    get connection(): Connection<TChannels> {
      if (connection === undefined) throw new Error('renderWithSocket: the provider has not rendered (yet).');
      return connection;
    },
  });
}

function createRegisteredServer(
  options: Partial<ConnectionOptions>,
  msw: MswApi | undefined,
  mock: MockSocketServerOptions | undefined,
): MockSocketServer {
  if (msw === undefined) {
    throw new TypeError(
      'renderWithSocket needs `msw` (your setupServer() or setupWorker()) to register the mock server with, ' +
        'or a `server` from createMockSocketServer() that you registered yourself.',
    );
  }
  if (options.url !== undefined && typeof options.url !== 'string') {
    throw new TypeError(
      'renderWithSocket: with a `url` function, pass the `server` it points at (createMockSocketServer(url)).',
    );
  }
  const protocol = options.protocol === undefined || options.protocol.name === SOCKETBOARD_V1 ? 'v1' : 'raw';
  const server = createMockSocketServer(options.url ?? DEFAULT_MOCK_URL, { protocol, ...mock });
  msw.use(server.handler);
  return server;
}

/** Hands the provider's connection to `renderWithSocket`, which returns it. */
function ConnectionProbe({ onConnection }: { onConnection: (connection: Connection) => void }) {
  const { connection } = useSocket();
  useLayoutEffect(() => onConnection(connection), [onConnection, connection]);
  return null;
}

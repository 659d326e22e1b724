import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { createConnection } from '../src/connection';
import type { ChannelMap, Connection } from '../src/connection';
import type { StorageAdapter, Timers, WebSocketConstructor } from '../src/environment';
import type { SocketboardError } from '../src/errors';
import type { ConnectionOptions } from '../src/options';
import type { ConnectionStatus } from '../src/state';
import { fakeSignals } from './fake-environment';
import { createFaultProxy } from './fault-proxy';
import type { FaultProxy, FaultProxyOptions } from './fault-proxy';
import { createTestServer } from './test-server';
import type { ClientFrame, TestServer, TestServerOptions } from './test-server';

/**
 * Shared set-up of the core's integration tests: a real `ws` client against the test server,
 * optionally through the fault proxy. Everything created through a harness is closed after each
 * test, newest first (connections before the servers they talk to).
 */
export interface Harness {
  server(options?: TestServerOptions): Promise<TestServer>;
  proxy(options: FaultProxyOptions): Promise<FaultProxy>;
  /** Creates a connection (not connected yet) with fast retries, fake signals and `ws`. */
  connection<TChannels extends ChannelMap = ChannelMap>(
    options: Partial<ConnectionOptions> & Pick<ConnectionOptions, 'url'>,
  ): Client<TChannels>;
  /** Runs `dispose` with the other clean-ups (for things a test builds by hand). */
  defer(dispose: () => unknown): void;
}

export interface Client<TChannels extends ChannelMap = ChannelMap> {
  readonly connection: Connection<TChannels>;
  readonly signals: ReturnType<typeof fakeSignals>;
  /** Everything reported through `on('error')`, in order. */
  readonly errors: SocketboardError[];
  /** Every status the connection went through, in order, starting with the first change. */
  readonly statuses: ConnectionStatus[];
}

/** Retries fast so tests spend their time on behaviour, not on backoff. */
export const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 100, factor: 2, connectTimeoutMs: 2_000 } as const;

// `ws`'s event types are richer than the structural WebSocketLike; the runtime shapes match.
const WsWebSocket: WebSocketConstructor = WebSocket;

/** Call at the top of a test file (or describe block): registers the afterEach clean-up. */
export function createHarness(): Harness {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    const pending = cleanups.splice(0).reverse();
    for (const cleanup of pending) await cleanup();
  });

  return {
    async server(options) {
      const server = await createTestServer(options);
      cleanups.push(() => server.close());
      return server;
    },
    async proxy(options) {
      const proxy = await createFaultProxy(options);
      cleanups.push(() => proxy.close());
      return proxy;
    },
    connection<TChannels extends ChannelMap = ChannelMap>(
      options: Partial<ConnectionOptions> & Pick<ConnectionOptions, 'url'>,
    ): Client<TChannels> {
      const signals = fakeSignals();
      const connection = createConnection<TChannels>({
        WebSocket: WsWebSocket,
        signals,
        heartbeat: false,
        ...options,
        reconnect: { ...FAST_RECONNECT, ...options.reconnect },
      });
      const errors: SocketboardError[] = [];
      const statuses: ConnectionStatus[] = [];
      connection.on('error', (error) => errors.push(error));
      connection.on('status', (state) => statuses.push(state.status));
      cleanups.push(() => connection.close());
      return { connection, signals, errors, statuses };
    },
    defer(dispose) {
      cleanups.push(dispose);
    },
  };
}

/** The frames of one type the server received, in order. */
export function framesOf(server: TestServer, type: string, from = 0): ClientFrame[] {
  return server.received.slice(from).filter((frame) => frame.t === type);
}

/** A synchronous in-memory StorageAdapter, with its contents visible to the test. */
export function memoryStorage(): StorageAdapter & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * Real timers that can be switched off for good, as when the page that owned them is gone: `kill()`
 * cancels every pending callback and later ones are never scheduled.
 */
export function killableTimers(): Timers & { kill(): void } {
  const pending = new Set<ReturnType<typeof setTimeout>>();
  let dead = false;
  return {
    setTimeout(callback, ms) {
      if (dead) return undefined;
      const handle = setTimeout(() => {
        pending.delete(handle);
        callback();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      pending.delete(handle as ReturnType<typeof setTimeout>);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
    kill() {
      dead = true;
      for (const handle of pending) clearTimeout(handle);
      pending.clear();
    },
  };
}

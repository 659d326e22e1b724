import { ws } from 'msw';
import type { WebSocketHandler } from 'msw';
import { setupServer } from 'msw/node';

/**
 * A protocol-v1 (`socketboard.v1`) socket server made of an msw `ws.link` handler, for component
 * tests in jsdom: it answers `hello` with `welcome`, `sub` with `subd` (after replaying what a
 * `since` asks for), `pub` with `ack` when it carries an id, and `ping` with `pong`. Everything it
 * sees is recorded. A small stand-in until @socketboard/testing ships the real one.
 */

/** A frame a client sent, parsed. */
export interface ClientFrame {
  t: string;
  [key: string]: unknown;
}

/** The part of msw's client connection the server uses. */
export interface Client {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
}

interface ClientState {
  readonly client: Client;
  readonly channels: Set<string>;
}

interface ChannelLog {
  seq: number;
  /** The last messages, oldest first, for replay after `since`. */
  readonly recent: { seq: number; d: unknown }[];
}

export interface MockSocketServer {
  readonly url: string;
  /** An msw handler of its own for this URL: pass to `setupServer(...)` or `server.use(...)`. */
  readonly handler: WebSocketHandler;
  /** Serves a client that some other handler intercepted. */
  accept(client: Client): void;
  /** Sockets that ever connected. */
  readonly connections: number;
  /** Sockets connected now. */
  readonly openClients: number;
  /** Every frame clients sent, in arrival order. */
  readonly received: readonly ClientFrame[];
  /** Frames of one type, e.g. `framesOf('sub')`. */
  framesOf(type: string): ClientFrame[];
  /** How many connected clients are subscribed to `channel`. */
  subscribers(channel: string): number;
  /** Sends `msg` with the channel's next seq to every subscribed client. */
  publish(channel: string, data: unknown): void;
  /** Closes every client from the server side (1012 = service restart: clients retry). */
  dropAll(code?: number, reason?: string): void;
  /** Forgets recorded frames (counts and channel seqs stay). */
  clearReceived(): void;
}

const REPLAY_LIMIT = 100;
const BASE_URL = 'wss://socketboard.test';

export function createMockSocketServer(url = `${BASE_URL}/socket`): MockSocketServer {
  const clients = new Set<ClientState>();
  const channels = new Map<string, ChannelLog>();
  let connections = 0;
  let sessions = 0;
  let received: ClientFrame[] = [];

  const log = (channel: string): ChannelLog => {
    let entry = channels.get(channel);
    if (entry === undefined) {
      entry = { seq: 0, recent: [] };
      channels.set(channel, entry);
    }
    return entry;
  };

  const send = (client: Client, frame: object) => client.send(JSON.stringify(frame));

  const handle = (state: ClientState, frame: ClientFrame) => {
    const { client } = state;
    switch (frame.t) {
      case 'hello':
        send(client, {
          t: 'welcome',
          sid: typeof frame.sid === 'string' ? frame.sid : `s${++sessions}`,
          resumed: false,
        });
        return;
      case 'sub': {
        const ch = String(frame.ch);
        const entry = log(ch);
        state.channels.add(ch);
        const since = typeof frame.since === 'number' ? frame.since : undefined;
        let resumed = true;
        if (since !== undefined) {
          const oldest = entry.recent[0]?.seq;
          resumed = oldest === undefined || oldest <= since + 1;
          for (const m of entry.recent) if (m.seq > since) send(client, { t: 'msg', ch, seq: m.seq, d: m.d });
        }
        send(client, { t: 'subd', ch, seq: entry.seq, resumed });
        return;
      }
      case 'unsub':
        state.channels.delete(String(frame.ch));
        return;
      case 'pub': {
        if (typeof frame.id === 'string') send(client, { t: 'ack', id: frame.id });
        return;
      }
      case 'ping':
        send(client, { t: 'pong', ts: frame.ts });
        return;
    }
  };

  const accept = (client: Client) => {
    connections++;
    const state: ClientState = { client, channels: new Set() };
    clients.add(state);
    client.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const frame = JSON.parse(event.data) as ClientFrame;
      received.push(frame);
      handle(state, frame);
    });
    client.addEventListener('close', () => clients.delete(state));
  };
  let handler: WebSocketHandler | undefined;

  return {
    url,
    // Made on demand: each msw link listens on a BroadcastChannel, and Node warns past ten of them.
    get handler() {
      handler ??= ws.link(url).addEventListener('connection', ({ client }) => accept(client));
      return handler;
    },
    accept,
    get connections() {
      return connections;
    },
    get openClients() {
      return clients.size;
    },
    get received() {
      return received;
    },
    framesOf: (type) => received.filter((f) => f.t === type),
    subscribers: (channel) => [...clients].filter((c) => c.channels.has(channel)).length,
    publish(channel, data) {
      const entry = log(channel);
      const seq = ++entry.seq;
      entry.recent.push({ seq, d: data });
      if (entry.recent.length > REPLAY_LIMIT) entry.recent.shift();
      const frame = JSON.stringify({ t: 'msg', ch: channel, seq, d: data });
      for (const c of clients) if (c.channels.has(channel)) c.client.send(frame);
    },
    dropAll(code = 1012, reason = 'service restart') {
      for (const c of [...clients]) {
        clients.delete(c);
        c.client.close(code, reason);
      }
    },
    clearReceived() {
      received = [];
    },
  };
}

let servers = 0;

/**
 * Registers Vitest hooks that start msw once per file and give each test a fresh mock server on a
 * URL of its own (sockets a previous test left in their close delay cannot reach it).
 */
export function installMockSocketServer(hooks: {
  beforeAll: (fn: () => void) => void;
  afterAll: (fn: () => void) => void;
  beforeEach: (fn: () => void) => void;
}): { readonly current: MockSocketServer; another(): MockSocketServer } {
  // One link for every test of the file, routing each connection to the test's server by URL.
  const byUrl = new Map<string, MockSocketServer>();
  const server = setupServer(
    ws.link(`${BASE_URL}/*`).addEventListener('connection', ({ client }) => {
      const mock = byUrl.get(client.url.href);
      if (mock !== undefined) mock.accept(client);
      // A socket of an earlier test: 1008 tells it not to retry.
      else client.close(1008, `no mock server at ${client.url.href}`);
    }),
  );
  let current: MockSocketServer | undefined;
  const add = () => {
    const mock = createMockSocketServer(`${BASE_URL}/${++servers}`);
    byUrl.set(mock.url, mock);
    return mock;
  };
  hooks.beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  hooks.beforeEach(() => {
    byUrl.clear();
    current = add();
  });
  hooks.afterAll(() => server.close());
  return {
    get current() {
      if (current === undefined) throw new Error('the mock socket server exists only inside a test');
      return current;
    },
    /** A second server (another URL) for the current test. */
    another: add,
  };
}

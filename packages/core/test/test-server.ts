import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { setTimeout as timerSetTimeout } from 'node:timers';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';

/**
 * A small wire-protocol-v1 server on `ws` for the core's integration tests: channels with
 * per-channel `seq` and a replay buffer, acked publishes with duplicate suppression per session,
 * sessions (`hello`/`welcome`), ping/pong, optional frame auth, and switches to misbehave.
 * It is a test double, not the real server: everything is in memory and inspectable.
 */

/** Any frame a client sent that parsed as a JSON object with a string `t`, before validation. */
export interface ClientFrame {
  t: string;
  [key: string]: unknown;
}

/** A validated client publish, as handed to the `nack` switch. */
export interface PubFrame {
  t: 'pub';
  ch: string;
  d: unknown;
  id?: string;
}

/** A client publish the server accepted (first delivery of its id within its session). */
export interface DeliveredPublish {
  ch: string;
  d: unknown;
  id?: string;
}

/** Behaviour switches, read on every frame: tests flip them while clients are connected. */
export interface TestServerBehaviour {
  /** Answer `ping` with `pong`. Off: pings are recorded and ignored (a link that looks dead). Default `true`. */
  respondToPing: boolean;
  /** Answer every `pub` that has an id with `ack`. Off: nothing is answered (an ack timeout). Default `true`. */
  ack: boolean;
  /**
   * Refuse a publish: return `{ code, reason }` to answer `nack` (or `err` with `ch` when the
   * publish has no id); it is then neither delivered nor broadcast. Asked after duplicate
   * suppression, so a resent id that was already accepted is acked again, not nacked.
   */
  nack?: (frame: PubFrame) => { code: string; reason: string } | undefined;
  /** Broadcast an accepted publish as `msg` (next seq) to the channel's subscribers, sender included. Default `true`. */
  echoPublishes: boolean;
  /**
   * Require auth. A connection is authenticated by an `auth {token}` frame, or at the handshake by
   * offering the subprotocol `socketboard.auth.<token>`. Before that, only `hello` and `auth` are
   * allowed: any other frame closes with 1008 'auth required'. A token that fails closes with
   * 4001 'auth expired', also for a later `auth` frame (a refresh). Default none (auth frames are ignored).
   */
  requireAuth?: (token: string) => boolean;
}

export interface TestServer {
  /** The port at 127.0.0.1; the same across stop()/start(). */
  readonly port: number;
  /** `ws://127.0.0.1:${port}`. */
  readonly url: string;
  /** Publishes on a channel; returns its seq (per channel, from 1). Works while stopped too, like a persistent store. */
  publish(channel: string, data: unknown): number;
  /** The channel's current seq (`0` before the first message). */
  seq(channel: string): number;
  /** How many open connections are subscribed to the channel. */
  subscribers(channel: string): number;
  /** Every client frame that parsed as an object with a string `t`, in arrival order, across connections. */
  readonly received: ClientFrame[];
  /** Client publishes accepted, in order; a resent id (same session) is acked again but not added twice. */
  readonly delivered: DeliveredPublish[];
  /** Connections currently open. */
  readonly connections: number;
  /** Connections accepted since creation. */
  readonly totalConnections: number;
  /** The `Sec-WebSocket-Protocol` header each connection offered (`''` when none), in order. */
  readonly protocols: string[];
  /** Sends a frame as is to every open connection, e.g. garbage to exercise the client's decoder. */
  sendRaw(frame: string | Buffer): void;
  /** Closes every connection from the server side with this code (a clean close the client sees as such). */
  closeAll(code: number, reason?: string): void;
  /** Drops every connection without a close frame: the client sees 1006. */
  terminateAll(): void;
  /** Forgets every session, as a server that lost them: the next `hello {sid}` is welcomed with `resumed: false`. */
  forgetSessions(): void;
  /** Stops listening and terminates every connection; keeps seqs, replay buffers, sessions, `received`, `delivered`. */
  stop(): Promise<void>;
  /** Listens again on the same port with the state kept. No-op while listening; rejects after close(). */
  start(): Promise<void>;
  /** Stops for good. Idempotent. */
  close(): Promise<void>;
  /** Behaviour switches; mutate them at any time. */
  readonly options: TestServerBehaviour;
  /** {@link waitFor}, for convenience. */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
}

export interface TestServerOptions {
  /** Port to listen on at 127.0.0.1. Default `0` (any free port). */
  port?: number;
  /** Messages kept per channel for replay on `sub {since}`. Default `1000`. */
  replay?: number;
}

const HOST = '127.0.0.1';
const SUBPROTOCOL = 'socketboard.v1';
const AUTH_SUBPROTOCOL_PREFIX = 'socketboard.auth.';
const DEDUPE_WINDOW = 1000;

interface Session {
  readonly sid: string;
  /** Ids seen, and their arrival order to evict the oldest past the window. */
  readonly ids: Set<string>;
  readonly order: string[];
}

interface Channel {
  seq: number;
  /** Encoded `msg` frames, oldest first, so replay sends the bytes a live subscriber got. */
  readonly buffer: Array<{ readonly seq: number; readonly frame: string }>;
}

interface Client {
  readonly ws: WebSocket;
  session: Session;
  /** Whether `session` has been announced by a `welcome` (and may be resumed). */
  registered: boolean;
  authenticated: boolean;
  readonly channels: Set<string>;
}

export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const replaySize = options.replay ?? 1000;
  let port = options.port ?? 0;
  let http: Server | undefined;
  let closing: Promise<void> | undefined;
  let totalConnections = 0;
  const clients = new Set<Client>();
  const sessions = new Map<string, Session>();
  const channels = new Map<string, Channel>();
  const received: ClientFrame[] = [];
  const delivered: DeliveredPublish[] = [];
  const protocols: string[] = [];
  const behaviour: TestServerBehaviour = { respondToPing: true, ack: true, echoPublishes: true };

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  const publish = (channel: string, data: unknown): number => {
    let state = channels.get(channel);
    if (state === undefined) {
      state = { seq: 0, buffer: [] };
      channels.set(channel, state);
    }
    state.seq += 1;
    const frame = JSON.stringify({ t: 'msg', ch: channel, seq: state.seq, d: data });
    if (replaySize > 0) {
      state.buffer.push({ seq: state.seq, frame });
      if (state.buffer.length > replaySize) state.buffer.shift();
    }
    for (const client of clients) {
      if (client.channels.has(channel)) sendFrame(client.ws, frame);
    }
    return state.seq;
  };

  const subscribe = (client: Client, channel: string, since: number | undefined): void => {
    const state = channels.get(channel);
    const current = state?.seq ?? 0;
    let resumed = true;
    // A client ahead of us saw messages this server no longer knows (it lost state, e.g. restarted
    // without persistence): nothing can be replayed, and the client must follow our seq down.
    if (since !== undefined && since > current) resumed = false;
    if (state !== undefined && since !== undefined && since < current) {
      const oldest = state.buffer[0]?.seq;
      resumed = oldest !== undefined && oldest <= since + 1;
      // Whatever is still buffered is replayed even when it does not reach back: less to refetch.
      for (const entry of state.buffer) {
        if (entry.seq > since) sendFrame(client.ws, entry.frame);
      }
    }
    client.channels.add(channel);
    send(client.ws, { t: 'subd', ch: channel, seq: current, resumed });
  };

  const acceptPublish = (client: Client, frame: PubFrame): void => {
    const { ch, d, id } = frame;
    const { session } = client;
    if (id !== undefined && session.ids.has(id)) {
      if (behaviour.ack) send(client.ws, { t: 'ack', id });
      return;
    }
    const refusal = behaviour.nack?.(frame);
    if (refusal !== undefined) {
      if (id !== undefined) send(client.ws, { t: 'nack', id, code: refusal.code, reason: refusal.reason });
      else send(client.ws, { t: 'err', code: refusal.code, reason: refusal.reason, ch });
      return;
    }
    if (id !== undefined) {
      session.ids.add(id);
      session.order.push(id);
      if (session.order.length > DEDUPE_WINDOW) session.ids.delete(session.order.shift()!);
    }
    delivered.push(id === undefined ? { ch, d } : { ch, d, id });
    if (behaviour.echoPublishes) publish(ch, d);
    if (id !== undefined && behaviour.ack) send(client.ws, { t: 'ack', id });
  };

  const hello = (client: Client, sid: string | undefined): void => {
    const known = sid === undefined ? undefined : sessions.get(sid);
    if (known !== undefined) {
      client.session = known;
      client.registered = true;
      send(client.ws, { t: 'welcome', sid: known.sid, resumed: true });
      return;
    }
    // The implicit session becomes the announced one, so ids published before hello stay deduped.
    if (client.registered) client.session = newSession();
    client.registered = true;
    sessions.set(client.session.sid, client.session);
    send(client.ws, { t: 'welcome', sid: client.session.sid, resumed: false });
  };

  const onFrame = (client: Client, raw: RawData, isBinary: boolean): void => {
    if (isBinary) return badFrame(client.ws, 'binary frames are not part of protocol v1');
    let frame: unknown;
    try {
      frame = JSON.parse(rawText(raw));
    } catch {
      return badFrame(client.ws, 'not JSON');
    }
    if (!isRecord(frame)) return badFrame(client.ws, 'not a JSON object');
    if (typeof frame.t !== 'string') return badFrame(client.ws, 'missing string "t"');
    const t = frame.t;
    received.push(frame as ClientFrame);

    if (behaviour.requireAuth !== undefined && !client.authenticated && t !== 'auth' && t !== 'hello') {
      client.ws.close(1008, 'auth required');
      return;
    }

    const ch = frame.ch;
    switch (t) {
      case 'sub': {
        const since = frame.since;
        if (typeof ch !== 'string') return badFrame(client.ws, 'sub needs a string "ch"');
        if (since !== undefined && !isSeq(since)) {
          return badFrame(client.ws, 'sub "since" must be a non-negative integer', ch);
        }
        return subscribe(client, ch, since);
      }
      case 'unsub':
        if (typeof ch !== 'string') return badFrame(client.ws, 'unsub needs a string "ch"');
        client.channels.delete(ch);
        return;
      case 'pub': {
        const id = frame.id;
        if (typeof ch !== 'string') return badFrame(client.ws, 'pub needs a string "ch"');
        if (id !== undefined && typeof id !== 'string') return badFrame(client.ws, 'pub "id" must be a string', ch);
        const pub: PubFrame = id === undefined ? { t: 'pub', ch, d: frame.d } : { t: 'pub', ch, d: frame.d, id };
        return acceptPublish(client, pub);
      }
      case 'ping':
        if (typeof frame.ts !== 'number' || !Number.isFinite(frame.ts)) {
          return badFrame(client.ws, 'ping needs a numeric "ts"');
        }
        if (behaviour.respondToPing) send(client.ws, { t: 'pong', ts: frame.ts });
        return;
      case 'auth': {
        const token = frame.token;
        if (typeof token !== 'string') return badFrame(client.ws, 'auth needs a string "token"');
        if (behaviour.requireAuth === undefined) return;
        if (behaviour.requireAuth(token)) client.authenticated = true;
        else client.ws.close(4001, 'auth expired');
        return;
      }
      case 'hello': {
        const sid = frame.sid;
        if (sid !== undefined && typeof sid !== 'string') return badFrame(client.ws, 'hello "sid" must be a string');
        return hello(client, sid);
      }
      default:
        return badFrame(client.ws, `unknown frame type ${JSON.stringify(t)}`);
    }
  };

  const onConnection = (ws: WebSocket, request: IncomingMessage, from: Server): void => {
    // A handshake that completed while stop() was tearing down belongs to a server that is gone.
    if (http !== from) {
      ws.terminate();
      return;
    }
    totalConnections += 1;
    const offered = request.headers['sec-websocket-protocol'] ?? '';
    protocols.push(offered);
    const client: Client = {
      ws,
      session: newSession(),
      registered: false,
      authenticated: false,
      channels: new Set(),
    };
    clients.add(client);
    ws.on('error', ignore);
    ws.on('close', () => clients.delete(client));
    ws.on('message', (raw, isBinary) => onFrame(client, raw, isBinary));

    const authProtocol = offered
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(AUTH_SUBPROTOCOL_PREFIX));
    if (behaviour.requireAuth !== undefined && authProtocol !== undefined) {
      if (behaviour.requireAuth(authProtocol.slice(AUTH_SUBPROTOCOL_PREFIX.length))) client.authenticated = true;
      else ws.close(4001, 'auth expired');
    }
  };

  const start = (): Promise<void> => {
    if (closing !== undefined) {
      return Promise.reject(new Error('TestServer: start() after close(); create a new server instead.'));
    }
    if (http !== undefined) return Promise.resolve();
    const server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' });
      response.end('WebSocket endpoint: upgrade required.');
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Proxies in these tests reset sockets mid-handshake on purpose.
      socket.on('error', ignore);
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request, server));
    });
    http = server;
    return new Promise((resolve, reject) => {
      const onListenError = (error: Error): void => {
        if (http === server) http = undefined;
        reject(new Error(`TestServer: cannot listen on ${HOST}:${port} (${error.message}).`, { cause: error }));
      };
      server.once('error', onListenError);
      server.listen(port, HOST, () => {
        server.off('error', onListenError);
        const address = server.address();
        if (address !== null && typeof address === 'object') port = address.port;
        resolve();
      });
    });
  };

  const stop = (): Promise<void> => {
    const server = http;
    if (server === undefined) return Promise.resolve();
    http = undefined;
    for (const client of clients) client.ws.terminate();
    clients.clear();
    return new Promise((resolve) => {
      server.close(() => resolve());
      // Sockets that never finished a handshake (e.g. stalled by a proxy) would hold close() open.
      server.closeAllConnections();
    });
  };

  const testServer: TestServer = {
    get port() {
      return port;
    },
    get url() {
      return `ws://${HOST}:${port}`;
    },
    publish,
    seq: (channel) => channels.get(channel)?.seq ?? 0,
    subscribers(channel) {
      let count = 0;
      for (const client of clients) if (client.channels.has(channel)) count += 1;
      return count;
    },
    received,
    delivered,
    get connections() {
      return clients.size;
    },
    get totalConnections() {
      return totalConnections;
    },
    protocols,
    sendRaw(frame) {
      for (const client of clients) sendFrame(client.ws, frame);
    },
    closeAll(code, reason) {
      for (const client of clients) client.ws.close(code, reason);
    },
    terminateAll() {
      for (const client of clients) client.ws.terminate();
    },
    forgetSessions() {
      sessions.clear();
      for (const client of clients) {
        client.session = newSession();
        client.registered = false;
      }
    },
    stop,
    start,
    close() {
      closing ??= stop().then(
        () =>
          new Promise<void>((resolve) => {
            wss.close(() => resolve());
          }),
      );
      return closing;
    },
    options: behaviour,
    waitFor,
  };

  await start();
  return testServer;
}

// Captured at import so a test that fakes the global timers and clock cannot freeze waitFor.
const realSetTimeout = timerSetTimeout;
const realNow = performance.now.bind(performance);

/**
 * Resolves once `predicate()` is true, polling every few ms on real timers; rejects after
 * `timeoutMs` (default 5000) with `what` (or the predicate's source) in the message. A throwing
 * predicate rejects at once. Use it to await a logical condition, never to measure time.
 */
export function waitFor(predicate: () => boolean, timeoutMs = 5000, what?: string): Promise<void> {
  const deadline = realNow() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      let done: boolean;
      try {
        done = predicate();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (done) {
        resolve();
        return;
      }
      if (realNow() >= deadline) {
        const condition = what ?? predicate.toString().replace(/\s+/g, ' ').slice(0, 200);
        reject(new Error(`waitFor: still false after ${timeoutMs} ms: ${condition}`));
        return;
      }
      realSetTimeout(check, 5);
    };
    check();
  });
}

function newSession(): Session {
  return { sid: randomUUID(), ids: new Set(), order: [] };
}

function send(ws: WebSocket, frame: object): void {
  sendFrame(ws, JSON.stringify(frame));
}

function sendFrame(ws: WebSocket, frame: string | Buffer): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(frame);
}

function badFrame(ws: WebSocket, reason: string, ch?: string): void {
  send(ws, ch === undefined ? { t: 'err', code: 'bad-frame', reason } : { t: 'err', code: 'bad-frame', reason, ch });
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function ignore(): void {}

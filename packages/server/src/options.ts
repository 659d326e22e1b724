import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Broker } from './broker';

/** What a principal may be asked to do on a channel. */
export type ChannelAction = 'subscribe' | 'publish';

/** A value that may be returned directly or through a promise. */
export type MaybePromise<T> = T | Promise<T>;

/** One client connection, as hooks and events see it. */
export interface ConnectionInfo<P = unknown> {
  /** Unique within this server instance. */
  readonly id: string;
  /** What `authenticate` / `authenticateToken` returned; `undefined` before authentication. */
  readonly principal: P | undefined;
  readonly authenticated: boolean;
  /** The session announced by `welcome` (or the implicit one), once there is one. */
  readonly sessionId: string | undefined;
  readonly remoteAddress: string | undefined;
  /** The HTTP upgrade request. */
  readonly request: IncomingMessage;
  /** Channels this connection is subscribed to (or subscribing). */
  readonly channels: ReadonlySet<string>;
  /** Closes this connection from the server side, e.g. to revoke access. */
  close(code?: number, reason?: string): void;
}

export interface PublishContext<P = unknown> {
  readonly principal: P | undefined;
  readonly channel: string;
  /** The payload (`d`) as the client sent it, parsed. */
  readonly data: unknown;
  /** The publish id when the client wants an ack. */
  readonly id: string | undefined;
  readonly connection: ConnectionInfo<P>;
}

/**
 * What `onPublish` decides: `undefined` delivers the data as sent, `{ data }` delivers a replacement,
 * `{ reject }` refuses it (the client gets `nack {id, code, reason}`, or `err {code, reason, ch}`
 * without an id). `code` defaults to `'rejected'`.
 */
export type PublishDecision = void | { readonly data: unknown } | { readonly reject: string; readonly code?: string };

export interface RateLimitOptions {
  /** Frames per second a connection may send, sustained. Default `200`. */
  messagesPerSecond: number;
  /** Frames a connection may send at once after being idle. Default `1_200` (a client's full default queue of 1 000 plus resubscriptions, flushed after a reconnect). */
  burst: number;
  /** Close with 1008 once more than this many frames were refused in one second. Default `200`. */
  closeAfter: number;
}

export interface HeartbeatOptions {
  /**
   * A protocol-level ping goes to every connection this often (ms); one that sent nothing (no pong,
   * no frame) since the previous ping is terminated. A dead peer goes within 1–2 intervals. Default `30_000`.
   */
  intervalMs: number;
}

export interface ReplayOptions {
  /** Messages kept per channel for `sub {since}` (default broker only). `0` turns replay off. Default `1_000`. */
  perChannel: number;
  /** Messages older than this are not replayed (ms). Default `300_000`. */
  ttlMs: number;
}

export interface SessionOptions {
  /** A session no connection holds expires after this many ms (default broker only). Default `300_000`. */
  ttlMs: number;
  /** Accepted publish ids remembered per session. Default `1_000`. */
  dedupeWindow: number;
}

export interface SlowConsumerOptions {
  /** Bytes a connection may have waiting in its send buffer before the policy applies. Default `4_194_304` (4 MiB). */
  maxBufferedBytes: number;
  /**
   * `'close'` (default): close with 1013 (try again later): the client reconnects and resumes with
   * `since`, so nothing is lost while the replay buffer reaches back. `'drop'`: skip the message
   * (counted in `slowConsumerDrops`); the client sees a gap in `seq`.
   */
  policy: 'drop' | 'close';
}

/**
 * Batching (PROTOCOL.md, batches): the frames due to one client in the same event-loop turn leave as
 * one WebSocket message holding a JSON array of them; a lone frame still goes out as a plain object.
 * A browser pays a fixed cost per WebSocket message (an IPC hop, a task and a `MessageEvent` each),
 * so a busy stream costs the client far less main-thread time in batches.
 *
 * Frames wait at most until the current turn's microtasks have run (the outbox is flushed from a
 * `queueMicrotask`), so batching adds no latency: nothing waits for a timer or for other I/O, and a
 * burst produced by one timer tick, one broker read or one client frame leaves together. The bytes
 * waiting in the outbox count towards `slowConsumer.maxBufferedBytes` like `bufferedAmount` does.
 */
export interface BatchOptions {
  /**
   * Largest batch in bytes (brackets and commas included); a frame that would make it larger starts
   * the next message, and a frame bigger than this on its own goes out alone. Keep it at or under the
   * smallest `maxMessageBytes` your clients set (@socketboard/core: 1 MiB by default). Default `65_536`.
   */
  maxBytes: number;
}

export interface PerMessageDeflateOptions {
  /** Frames smaller than this many bytes are sent uncompressed. Default `1_024`. */
  threshold: number;
}

export interface SocketServerOptions<P = unknown> {
  /** Attach to this HTTP(S) server (its `upgrade` event) instead of listening on `port`. */
  server?: HttpServer | HttpsServer;
  /** Listen on this port when no `server` is given. `0` picks a free one (see `ready`). Default `0`. */
  port?: number;
  /** Interface to listen on with `port`. Default `'127.0.0.1'`. */
  host?: string;
  /** Only upgrades to this path are handled (query ignored). Default: every path. */
  path?: string;
  /**
   * Authenticates the upgrade request before any WebSocket exists: resolve to the principal to
   * accept. Resolve to `undefined`/`null`, or reject, to refuse with 401 (reject with
   * `AuthRejectedError(403, …)` for 403). With `authenticateToken` also set, `undefined` lets the
   * upgrade through unauthenticated and the connection waits for an `auth` frame instead.
   * See `tokenFromRequest()` to read a token from the subprotocol, `Authorization` or a cookie.
   */
  authenticate?: (request: IncomingMessage) => MaybePromise<P | undefined | null>;
  /**
   * Authenticates the in-band `auth {token}` frame (browsers cannot set headers). Until it succeeds,
   * only `hello`, `auth` and `ping` are served; a rejected token closes with 4001 so the client
   * fetches a fresh one. A later `auth` frame re-authenticates (token refresh).
   */
  authenticateToken?: (token: string, request: IncomingMessage) => MaybePromise<P>;
  /** An unauthenticated connection that has not authenticated within this many ms is closed with 1008. Default `10_000`. */
  authTimeoutMs?: number;
  /** When the principal's credentials expire (ms since the epoch); the connection is then closed with 4001. Default: never. */
  principalExpiresAt?: (principal: P) => number | undefined;
  /** May `principal` subscribe to / publish on `channel`? Default: everything is allowed. */
  authorize?: (principal: P | undefined, channel: string, action: ChannelAction) => MaybePromise<boolean>;
  /**
   * Browser origins allowed to connect (exact `Origin` header values), or a predicate. Others get 403.
   * Requests without an `Origin` header (non-browser clients) pass a list. Default: any origin.
   */
  allowOrigins?: readonly string[] | ((origin: string | undefined, request: IncomingMessage) => boolean);
  /** Largest inbound frame in bytes; bigger closes with 1009. Default `1_048_576` (1 MiB). */
  maxPayload?: number;
  /** Connections at once; more are refused with 503 before the upgrade. Default `Infinity`. */
  maxConnections?: number;
  /** Channels one connection may be subscribed to at once. Default `1_000`. */
  maxChannelsPerConnection?: number;
  /** Per-connection token bucket over all inbound frames; `false` turns it off. */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Malformed frames per second a connection may send before it is closed with 1008. Default `10`. */
  maxMalformedPerSecond?: number;
  /** `false` turns the protocol-level heartbeat off (not recommended). */
  heartbeat?: Partial<HeartbeatOptions> | false;
  /** Replay buffer of the default in-memory broker. Configure a custom `broker` itself instead. */
  replay?: Partial<ReplayOptions>;
  /** Sessions of the default in-memory broker. Configure a custom `broker` itself instead. */
  sessions?: Partial<SessionOptions>;
  slowConsumer?: Partial<SlowConsumerOptions>;
  /** Seq, replay, sessions and fan-out. Default `createMemoryBroker({ replay, sessions })`, closed with the server. */
  broker?: Broker;
  /** Accept, transform or reject a client's publish (after authorization, before the broker). */
  onPublish?: (context: PublishContext<P>) => MaybePromise<PublishDecision>;
  /**
   * Coalesce the frames due to a client in one event-loop turn into one WebSocket message (a JSON array
   * of frames, see `BatchOptions` and PROTOCOL.md). Default `true` (`{ maxBytes: 65_536 }`); `false`
   * sends one WebSocket message per frame, for clients that do not read batches (protocol v1 clients
   * must accept them; @socketboard/core does).
   */
  batch?: boolean | Partial<BatchOptions>;
  /** Compress frames of at least `threshold` bytes (RFC 7692). Default `false`: CPU and memory per connection. */
  perMessageDeflate?: boolean | Partial<PerMessageDeflateOptions>;
  /** `authenticate` must settle within this many ms, else the upgrade is refused with 503. Default `10_000`. */
  handshakeTimeoutMs?: number;
}

/** Every default of `createSocketServer` in one place; each is documented on its option. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  authTimeoutMs: 10_000,
  maxPayload: 1_048_576,
  maxConnections: Infinity,
  maxChannelsPerConnection: 1_000,
  rateLimit: Object.freeze<RateLimitOptions>({ messagesPerSecond: 200, burst: 1_200, closeAfter: 200 }),
  maxMalformedPerSecond: 10,
  heartbeat: Object.freeze<HeartbeatOptions>({ intervalMs: 30_000 }),
  replay: Object.freeze<ReplayOptions>({ perChannel: 1_000, ttlMs: 300_000 }),
  sessions: Object.freeze<SessionOptions>({ ttlMs: 300_000, dedupeWindow: 1_000 }),
  slowConsumer: Object.freeze<SlowConsumerOptions>({ maxBufferedBytes: 4_194_304, policy: 'close' }),
  batch: Object.freeze<BatchOptions>({ maxBytes: 65_536 }),
  perMessageDeflate: Object.freeze<PerMessageDeflateOptions>({ threshold: 1_024 }),
  handshakeTimeoutMs: 10_000,
});

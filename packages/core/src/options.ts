import type { EnvironmentSignals, Timers, WebSocketConstructor } from './environment';
import type { Protocol } from './protocol/types';
import type { QueuePersistence } from './queue-storage';

/** What to do after a close: reconnect with backoff, refresh the auth token first, or give up. */
export type CloseAction = 'retry' | 'reauth' | 'stop';

export type ClassifyClose = (code: number, reason: string) => CloseAction;

export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'reject';

export interface ReconnectOptions {
  /** First retry delay ceiling in ms. Default `500`. */
  initialDelayMs: number;
  /** Cap on any retry delay in ms. Default `30_000`. */
  maxDelayMs: number;
  /** Growth of the delay ceiling per attempt. Default `2`. */
  factor: number;
  /** Attempts before giving up with status `failed`. Default `Infinity`. */
  maxRetries: number;
  /** The attempt counter resets only after the socket stayed open this long (ms). Default `5_000`. */
  minStableMs: number;
  /** A socket that has not opened after this many ms is closed and retried. Default `10_000`. */
  connectTimeoutMs: number;
  /** Decides per close code. Default {@link defaultClassifyClose}. */
  classifyClose: ClassifyClose;
}

export interface HeartbeatOptions {
  /** Probe with a ping after this many ms without any inbound frame. Default `15_000`. */
  intervalMs: number;
  /** Declare the link dead if nothing arrives this many ms after a ping. Default `10_000`. */
  timeoutMs: number;
  /**
   * Ping at least this often even while traffic flows, so the round trip stays measured on a busy
   * link (one small frame each time). Default `15_000`; `Infinity` pings idle links only.
   */
  rttSampleMs: number;
}

export interface QueueOptions {
  /** Most frames held while not connected (or backpressured). Default `1_000`. */
  max: number;
  /** What happens to a frame when the queue is full. Default `'drop-oldest'`. */
  overflow: OverflowPolicy;
  /**
   * Keeps unsent text frames (and sent but unacked publishes) across page reloads, e.g.
   * `createStoragePersistence(localStorage)`. Default none.
   */
  persist: QueuePersistence | undefined;
}

export interface BackpressureOptions {
  /** Stop writing to the socket while `bufferedAmount` is above this (bytes). Default `1_048_576` (1 MiB). */
  highWaterMark: number;
  /** Resume writing once `bufferedAmount` fell to this (bytes). Default `262_144` (256 KiB). */
  lowWaterMark: number;
  /** How often to look at `bufferedAmount` while backpressured (ms); browsers have no drain event. Default `50`. */
  pollMs: number;
}

export interface AuthContext {
  /** `'connect'` for an ordinary attempt, `'reauth'` after the server closed with an auth-expired code. */
  readonly reason: 'connect' | 'reauth';
  readonly attempt: number;
}

export interface AuthOptions {
  /** Returns the token; called on every attempt so expiring tokens are refreshed. */
  getToken: (context: AuthContext) => string | Promise<string>;
  /**
   * How the token travels: `'frame'` sends an `auth` frame first after open (default);
   * `'subprotocol'` offers `subprotocolPrefix + token` as an extra WebSocket subprotocol.
   * Never in the URL unless you build the URL so yourself.
   */
  via: 'frame' | 'subprotocol';
  /** Prefix of the token subprotocol when `via` is `'subprotocol'`. Default `'socketboard.auth.'`. */
  subprotocolPrefix: string;
}

export interface MetricsOptions {
  /** How often metrics are sampled into the ring buffer (ms). Default `1_000`. */
  sampleIntervalMs: number;
  /** How many samples the ring buffer keeps. Default `300` (5 minutes at 1 s). */
  samples: number;
  /** How many RTT samples p50/p95 are computed over. Default `100`. */
  rttWindow: number;
}

export type UrlProvider = string | (() => string | Promise<string>);

/** Everything `createConnection` accepts. Only `url` is required. */
export interface ConnectionOptions {
  /** The endpoint, or a function called again on every attempt (may be async). */
  url: UrlProvider;
  /** Extra WebSocket subprotocols to offer. Default none (the protocol adds its own). */
  protocols?: string | readonly string[];
  /** The WebSocket constructor. Default `globalThis.WebSocket`, looked up when connecting. */
  WebSocket?: WebSocketConstructor;
  /** The wire protocol. Default `socketboardProtocol()`. */
  protocol?: Protocol;
  reconnect?: Partial<ReconnectOptions>;
  /** `false` turns the heartbeat off. */
  heartbeat?: Partial<HeartbeatOptions> | false;
  queue?: Partial<QueueOptions>;
  backpressure?: Partial<BackpressureOptions>;
  /** A token provider, or the full auth options. Default none. */
  auth?: AuthOptions['getToken'] | (Partial<AuthOptions> & Pick<AuthOptions, 'getToken'>);
  /**
   * Inbound frames larger than this (bytes) are dropped and counted. Default `1_048_576` (1 MiB). A
   * server's batch counts as one message: keep this above its `batch.maxBytes` (64 KiB by default),
   * or whole batches are dropped.
   */
  maxMessageBytes?: number;
  /** Default timeout of acked publishes (ms). Default `10_000`. */
  ackTimeoutMs?: number;
  /** How long a channel stays subscribed on the wire after its last listener left (ms). Default `1_000`. */
  channelGraceMs?: number;
  metrics?: Partial<MetricsOptions>;
  /** Timers. Default the global `setTimeout`/`clearTimeout`, looked up per call. */
  timers?: Timers;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Random in [0, 1), used for jitter and ids. Default `Math.random`. */
  random?: () => number;
  /** Online and visibility signals. Default browser events, or inert outside a browser. */
  signals?: EnvironmentSignals;
}

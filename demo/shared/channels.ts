/**
 * The demo's wire contract: what the demo server publishes on each channel and what its HTTP API
 * takes. Shared by the server (demo/server) and the page (demo/src), so both are checked against it.
 * Any server that publishes these channels can drive the page (see demo/README.md).
 */

/** One sample of this machine, published on `system` once a second. Percentages are 0–100. */
export interface SystemSample {
  /** When it was measured (ms since the epoch). */
  readonly time: number;
  readonly cpu: {
    /** Busy share of all cores. */
    readonly total: number;
    /** User time (incl. nice) share of all cores. */
    readonly user: number;
    /** System time (incl. irq) share of all cores. */
    readonly system: number;
    /** Busy share of each core. */
    readonly cores: readonly number[];
  };
  readonly memory: {
    readonly total: number;
    /** Total minus available (bytes). */
    readonly used: number;
    readonly percent: number;
    /** The demo server's own resident set (bytes). */
    readonly rss: number;
  };
  /** 1, 5 and 15 minute load averages (0 on Windows). */
  readonly load: readonly [number, number, number];
  /** The demo server's event-loop delay over the last second (ms). */
  readonly loop: { readonly mean: number; readonly p99: number; readonly max: number };
  /** Bytes per second over every interface but loopback, and over loopback; null without /proc/net/dev. */
  readonly net: { readonly rx: number; readonly tx: number; readonly loRx: number; readonly loTx: number } | null;
  /** The socket server's own view (from `server.metrics()`), rates per second. */
  readonly server: {
    readonly connections: number;
    readonly messagesOutPerSec: number;
    readonly bytesOutPerSec: number;
    readonly messagesInPerSec: number;
    /** Seconds since this socket server started (a restart starts it over). */
    readonly uptime: number;
    readonly restarts: number;
  };
  readonly firehose: {
    /** The rate asked for (messages per second). */
    readonly rate: number;
    /** Messages actually published in the last second. */
    readonly sentPerSec: number;
  };
}

/** One message of the `firehose` channel; `i` counts up from 1 across the server's life. */
export interface FirehoseMessage {
  readonly i: number;
  /** Publish time (ms), for the end-to-end delay. */
  readonly t: number;
}

export type DemoEventLevel = 'info' | 'success' | 'warning' | 'error';

/** One line of the `events` channel: threshold alerts, clients coming and going, chaos. */
export interface DemoEvent {
  readonly id: string;
  readonly time: number;
  readonly level: DemoEventLevel;
  /** Where it came from: `alert`, `clients`, `chaos`, `firehose`, `server`. */
  readonly source: string;
  readonly message: string;
}

/**
 * What each page publishes on `reports` once a second. While the socket is down these queue up in
 * the client; the server notices the late ones after the reconnect and says so in `events`.
 */
export interface ClientReport {
  /** When the page published it (ms). */
  readonly sentAt: number;
  /** Firehose messages the page received in the last second. */
  readonly firehosePerSec: number;
}

export interface DemoChannels {
  system: SystemSample;
  firehose: FirehoseMessage;
  events: DemoEvent;
  reports: ClientReport;
}

/** `GET /api/info`: facts about the machine that do not change. */
export interface HostInfo {
  readonly hostname: string;
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemory: number;
  readonly node: string;
  /** `memory`, or `redis` with REDIS_URL. */
  readonly broker: string;
  readonly firehoseMax: number;
}

/** What every `POST /api/…` answers. */
export interface ApiResult {
  readonly ok: boolean;
  readonly message: string;
}

export const FIREHOSE_MAX_RATE = 20_000;
export const STALL_MAX_SECONDS = 30;

/** Paths of the HTTP API (`POST`, JSON bodies). */
export const API = {
  info: '/api/info', // GET: HostInfo
  events: '/api/events', // GET: the last 100 DemoEvents, oldest first
  firehose: '/api/firehose', // { rate }
  drop: '/api/chaos/drop', // close every connection with 1012
  kill: '/api/chaos/kill', // destroy every socket: the clients see 1006
  stall: '/api/chaos/stall', // { seconds }: stop sending and answering
  restart: '/api/chaos/restart', // close the socket server with 1012, start a new one after ~1 s
} as const;

export const SOCKET_PATH = '/socket';

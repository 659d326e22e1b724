import type { BrokerHealth } from './broker';

/** Counters since the server was created, plus gauges (`connections`, `channels`, `broker`) right now. */
export interface ServerMetrics {
  /** Open WebSocket connections. */
  connections: number;
  /** Channels with at least one subscriber on this server. */
  channels: number;
  /** Frames received from clients (any kind, valid or not) and their bytes. */
  messagesIn: number;
  bytesIn: number;
  /**
   * Frames sent to clients (any kind; each frame of a batch counts) and the bytes of the WebSocket
   * messages that carried them (before compression; a batch's brackets and commas included).
   */
  messagesOut: number;
  bytesOut: number;
  /** Messages published through this server: `publish()` plus accepted client publishes. */
  published: number;
  /** Client publishes whose id was already accepted in the session: acked again, not delivered twice. */
  duplicates: number;
  /** Frames refused by the rate limit. */
  rateLimited: number;
  /** Frames that were not valid protocol v1 (each answered with `err`/`nack`). */
  malformedFrames: number;
  /** Frames over `maxPayload` (each closed the connection with 1009). */
  oversizeFrames: number;
  /** Upgrades refused before a WebSocket existed (401, 403, 404, 503…). */
  rejectedUpgrades: number;
  /** In-band authentications refused or expired (each closed with 4001). */
  authFailures: number;
  /** Messages skipped for a slow consumer (policy `'drop'`). */
  slowConsumerDrops: number;
  /** Slow consumers closed with 1013 (policy `'close'`). */
  slowConsumerCloses: number;
  /** Dead peers terminated by the heartbeat. */
  heartbeatTimeouts: number;
  /** Connections closed with 1008 for abuse (rate limit, malformed frames, auth timeout). */
  policyCloses: number;
  /** Errors reported on `'error'` (hooks that threw, broker failures). */
  errors: number;
  /** The broker's link to its shared store: `'degraded'` while e.g. Redis is unreachable. */
  broker: BrokerHealth;
}

const BROKER_OK: BrokerHealth = Object.freeze({ status: 'ok' });

/** What `metrics().broker` shows for a broker without `health()`. */
export function brokerHealthOf(health: (() => BrokerHealth) | undefined): BrokerHealth {
  return health === undefined ? BROKER_OK : health();
}

export function emptyCounters(): ServerMetrics {
  return {
    connections: 0,
    channels: 0,
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
    published: 0,
    duplicates: 0,
    rateLimited: 0,
    malformedFrames: 0,
    oversizeFrames: 0,
    rejectedUpgrades: 0,
    authFailures: 0,
    slowConsumerDrops: 0,
    slowConsumerCloses: 0,
    heartbeatTimeouts: 0,
    policyCloses: 0,
    errors: 0,
    broker: BROKER_OK,
  };
}

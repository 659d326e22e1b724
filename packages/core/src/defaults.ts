import { defaultClassifyClose } from './backoff';
import type { BackpressureOptions, HeartbeatOptions, MetricsOptions, QueueOptions, ReconnectOptions } from './options';

/**
 * Every default of `createConnection` in one place. Each value is documented on its option type;
 * the reasoning for the less obvious ones is here.
 */
export const DEFAULT_CONNECTION_OPTIONS = Object.freeze({
  /** Backoff: 500 ms × 2ⁿ with full jitter, capped at 30 s; unlimited retries; stable after 5 s open. */
  reconnect: Object.freeze<ReconnectOptions>({
    initialDelayMs: 500,
    maxDelayMs: 30_000,
    factor: 2,
    maxRetries: Infinity,
    minStableMs: 5_000,
    // 10 s covers a slow TLS handshake on a bad mobile link without leaving users staring at "connecting".
    connectTimeoutMs: 10_000,
    classifyClose: defaultClassifyClose,
  }),
  /**
   * Ping after 15 s of silence, dead 10 s later: a dead link is noticed within 25 s, well under the
   * 60 s idle timeout of most proxies and load balancers (nginx `proxy_read_timeout` default).
   */
  heartbeat: Object.freeze<HeartbeatOptions>({ intervalMs: 15_000, timeoutMs: 10_000, rttSampleMs: 15_000 }),
  /** 1 000 frames queued while down; the oldest go first, since live data goes stale. */
  queue: Object.freeze<QueueOptions>({
    max: 1_000,
    overflow: 'drop-oldest',
    persist: undefined,
  }),
  /** Hold sends while more than 1 MiB sits in the socket's buffer; resume under 256 KiB. */
  backpressure: Object.freeze<BackpressureOptions>({
    highWaterMark: 1_048_576,
    lowWaterMark: 262_144,
    pollMs: 50,
  }),
  /** Inbound frames over 1 MiB are dropped and counted. */
  maxMessageBytes: 1_048_576,
  /** A channel stays subscribed 1 s after its last listener left, so route changes and StrictMode do not churn. */
  channelGraceMs: 1_000,
  /** Acked publishes reject after 10 s without an ack. */
  ackTimeoutMs: 10_000,
  /** Sample once a second, keep 5 minutes, RTT percentiles over the last 100 pongs. */
  metrics: Object.freeze<MetricsOptions>({ sampleIntervalMs: 1_000, samples: 300, rttWindow: 100 }),
  /** The token travels in an `auth` frame, never in the URL. */
  auth: Object.freeze({ via: 'frame' as const, subprotocolPrefix: 'socketboard.auth.' }),
});

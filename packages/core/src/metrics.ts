import { SocketboardConfigError } from './errors';
import type { MetricsOptions } from './options';
import { RingBuffer } from './ring-buffer';
import { RttStats } from './rtt-stats';

/** One reading of the connection's counters, rates and gauges. Immutable. */
export interface MetricsSnapshot {
  /** Clock time (ms) when the snapshot was taken. */
  readonly at: number;
  /** Messages received since creation or `reset()`. */
  readonly messagesIn: number;
  /** Messages written to the socket since creation or `reset()`. */
  readonly messagesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Rate over the interval since the previous sample; 0 when no time has passed. */
  readonly messagesInPerSec: number;
  readonly messagesOutPerSec: number;
  readonly bytesInPerSec: number;
  readonly bytesOutPerSec: number;
  /** The newest round-trip time (ms). */
  readonly rttMs: number | undefined;
  /** Moving average of the round-trip time (alpha 0.2). */
  readonly rttEwmaMs: number | undefined;
  /** Median round-trip time over the last `rttWindow` samples. */
  readonly rttP50Ms: number | undefined;
  readonly rttP95Ms: number | undefined;
  /** Successful re-opens after a drop. */
  readonly reconnects: number;
  /** Time from the last drop to the reopen that followed it (ms). */
  readonly lastReconnectMs: number | undefined;
  /** How long the current socket has been open (ms); 0 when not open. */
  readonly uptimeMs: number;
  /** Outbound frames waiting in the queue. */
  readonly queueDepth: number;
  /** The socket's `bufferedAmount` (bytes). */
  readonly bufferedAmount: number;
  /** Acknowledged publishes still waiting for their ack. */
  readonly inFlight: number;
  /** Outbound messages dropped (queue overflow, closed, ack timeout, unserializable). */
  readonly dropped: number;
  /** Inbound frames dropped (bad JSON, unknown type, too large, schema). */
  readonly decodeErrors: number;
  /** Inbound messages dropped as already seen (`seq` ≤ the last seen `seq`). */
  readonly duplicates: number;
}

/** Values the collector reads from the engine when a snapshot is taken, rather than tracking them itself. */
export interface MetricsGauges {
  queueDepth: number;
  bufferedAmount: number;
  inFlight: number;
  /** Clock time (ms) the current socket opened, or `undefined` when it is not open. */
  openedAt: number | undefined;
}

/** The snapshot of a connection that never ran: what server rendering and idle connections show. */
export const EMPTY_METRICS: MetricsSnapshot = Object.freeze({
  at: 0,
  messagesIn: 0,
  messagesOut: 0,
  bytesIn: 0,
  bytesOut: 0,
  messagesInPerSec: 0,
  messagesOutPerSec: 0,
  bytesInPerSec: 0,
  bytesOutPerSec: 0,
  rttMs: undefined,
  rttEwmaMs: undefined,
  rttP50Ms: undefined,
  rttP95Ms: undefined,
  reconnects: 0,
  lastReconnectMs: undefined,
  uptimeMs: 0,
  queueDepth: 0,
  bufferedAmount: 0,
  inFlight: 0,
  dropped: 0,
  decodeErrors: 0,
  duplicates: 0,
});

function checkCount(option: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new SocketboardConfigError(option, `expected a whole number ≥ 1, got ${value}.`);
  }
}

/**
 * Counts traffic and health of one connection. The `record*` methods sit on the message path and
 * only bump numeric fields; everything derived (rates, percentiles, the snapshot object) is computed
 * in `snapshot()`/`sample()`, which run about once a second.
 */
export class MetricsCollector {
  private readonly now: () => number;
  private readonly gauges: () => MetricsGauges;
  private readonly rtt: RttStats;
  private readonly history: RingBuffer<MetricsSnapshot>;

  private messagesIn = 0;
  private messagesOut = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private reconnects = 0;
  private lastReconnectMs: number | undefined = undefined;
  private dropped = 0;
  private decodeErrors = 0;
  private duplicates = 0;

  // Rate baseline: the counters as of the previous sample (or construction / reset).
  private baseAt: number;
  private baseMessagesIn = 0;
  private baseMessagesOut = 0;
  private baseBytesIn = 0;
  private baseBytesOut = 0;

  constructor(options: Pick<MetricsOptions, 'samples' | 'rttWindow'>, now: () => number, gauges: () => MetricsGauges) {
    checkCount('metrics.samples', options.samples);
    checkCount('metrics.rttWindow', options.rttWindow);
    this.now = now;
    this.gauges = gauges;
    this.rtt = new RttStats(options.rttWindow);
    this.history = new RingBuffer<MetricsSnapshot>(options.samples);
    this.baseAt = now();
  }

  /** One inbound message of `bytes` bytes. */
  recordIn(bytes: number): void {
    this.messagesIn++;
    this.bytesIn += bytes;
  }

  /** One outbound message of `bytes` bytes, written to the socket. */
  recordOut(bytes: number): void {
    this.messagesOut++;
    this.bytesOut += bytes;
  }

  /** One round-trip time sample (ms). Negative or non-finite values are ignored (clock steps). */
  recordRtt(ms: number): void {
    this.rtt.add(ms);
  }

  /** A successful reopen after the link was down for `downForMs`. */
  recordReconnect(downForMs: number): void {
    this.reconnects++;
    this.lastReconnectMs = downForMs;
  }

  /** `count` outbound messages were dropped instead of sent. */
  recordDropped(count = 1): void {
    this.dropped += count;
  }

  /** One inbound frame was dropped because it failed to decode or validate. */
  recordDecodeError(): void {
    this.decodeErrors++;
  }

  /** One inbound message was dropped as already seen. */
  recordDuplicate(): void {
    this.duplicates++;
  }

  /** Current values; rates are relative to the previous `sample()`. Does not move the rate baseline. */
  snapshot(): MetricsSnapshot {
    const at = this.now();
    const g = this.gauges();
    // A clock that stood still or stepped backwards gives no usable interval; report 0 rather than ±Infinity.
    const seconds = (at - this.baseAt) / 1000;
    const rate = (current: number, base: number): number => (seconds > 0 ? (current - base) / seconds : 0);
    return Object.freeze({
      at,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      messagesInPerSec: rate(this.messagesIn, this.baseMessagesIn),
      messagesOutPerSec: rate(this.messagesOut, this.baseMessagesOut),
      bytesInPerSec: rate(this.bytesIn, this.baseBytesIn),
      bytesOutPerSec: rate(this.bytesOut, this.baseBytesOut),
      rttMs: this.rtt.last,
      rttEwmaMs: this.rtt.ewma,
      rttP50Ms: this.rtt.percentile(50),
      rttP95Ms: this.rtt.percentile(95),
      reconnects: this.reconnects,
      lastReconnectMs: this.lastReconnectMs,
      uptimeMs: g.openedAt === undefined ? 0 : Math.max(0, at - g.openedAt),
      queueDepth: g.queueDepth,
      bufferedAmount: g.bufferedAmount,
      inFlight: g.inFlight,
      dropped: this.dropped,
      decodeErrors: this.decodeErrors,
      duplicates: this.duplicates,
    });
  }

  /** Takes a snapshot, keeps it in the history and makes it the baseline of the next rates. */
  sample(): MetricsSnapshot {
    const s = this.snapshot();
    this.history.push(s);
    this.baseAt = s.at;
    this.baseMessagesIn = s.messagesIn;
    this.baseMessagesOut = s.messagesOut;
    this.baseBytesIn = s.bytesIn;
    this.baseBytesOut = s.bytesOut;
    return s;
  }

  /** The kept samples, oldest first, at most `options.samples` of them. A new array on each call. */
  samples(): readonly MetricsSnapshot[] {
    return this.history.toArray();
  }

  /** Zeroes every counter, forgets RTT samples and history, and restarts the rate interval now. */
  reset(): void {
    this.messagesIn = 0;
    this.messagesOut = 0;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.reconnects = 0;
    this.lastReconnectMs = undefined;
    this.dropped = 0;
    this.decodeErrors = 0;
    this.duplicates = 0;
    this.rtt.clear();
    this.history.clear();
    this.baseAt = this.now();
    this.baseMessagesIn = 0;
    this.baseMessagesOut = 0;
    this.baseBytesIn = 0;
    this.baseBytesOut = 0;
  }
}

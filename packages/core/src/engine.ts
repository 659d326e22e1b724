import type { Ack, ConnectionEvents } from './connection';
import type { ChannelEntry } from './channel';
import type { Emitter } from './emitter';
import type { WebSocketLike } from './environment';
import { SocketboardError } from './errors';
import type { Heartbeat } from './heartbeat';
import type { MetricsCollector } from './metrics';
import type { OutboundFrame, Protocol } from './protocol/types';
import type { OutboundQueue } from './queue';
import type { ResolvedOptions } from './resolve-options';
import { downSinceAfter } from './state';
import type { ConnectionState } from './state';
import type { Store } from './store';
import type { TrackedTimers } from './tracked-timers';

/** An acked publish waiting for its ack, nack or timeout. */
export interface InFlight {
  readonly id: string;
  readonly channel: string;
  readonly frame: OutboundFrame;
  /** Written to a socket at least once (so it is resent after a drop, and persisted). */
  sent: boolean;
  timer: unknown;
  resolve(ack: Ack): void;
  reject(error: SocketboardError): void;
}

/**
 * What the parts of a connection share: the lifecycle (connection.ts), inbound handling (inbound.ts),
 * outbound writes and acks (outbound.ts, acks.ts), channels (channels.ts) and queue persistence
 * (persistence.ts) all read and write this one object. The connection class is its only implementation;
 * none of it is public API.
 */
export interface Engine {
  readonly o: ResolvedOptions;
  readonly protocol: Protocol;
  readonly store: Store<ConnectionState>;
  readonly timers: TrackedTimers<string>;
  readonly events: Emitter<ConnectionEvents>;
  readonly queue: OutboundQueue;
  readonly inFlight: Map<string, InFlight>;
  readonly channels: Map<string, ChannelEntry>;
  readonly collector: MetricsCollector;
  readonly heartbeat: Heartbeat | undefined;
  /** Whether `protocol` is the built-in v1 protocol, whose `msg` frames take the allocation-free path. */
  readonly v1: boolean;
  /** Whether the server may batch frames (PROTOCOL.md, batches): any protocol on the v1 subprotocol. */
  readonly batches: boolean;
  /** Reports a throwing channel listener; made once, so delivering a message allocates no callback. */
  readonly onListenerError: (error: unknown, where: string) => void;

  socket: WebSocketLike | undefined;
  /** The app wants the connection up (between `connect()` and `close()`). */
  wanted: boolean;
  lastInboundAt: number | undefined;
  /** When `lastMessageAt` was last written to the store, and whether a trailing write is pending. */
  lastStateWriteAt: number;
  trailingWrite: boolean;
  /** Set while queue persistence runs; see persistence.ts. */
  persistence: { flush(): void; stop(): void } | undefined;
  restoring: Promise<void> | undefined;
  readonly persistListeners: Set<() => void>;
  readonly idPrefix: string;
  idCounter: number;
}

/** Patches the connection store and emits `status` when the status changed. */
export function setState(e: Engine, patch: Partial<ConnectionState>): void {
  const before = e.store.getState();
  const previous = before.status;
  e.store.setState(
    patch.status === undefined || patch.status === previous
      ? patch
      : { ...patch, downSince: downSinceAfter(before, patch.status, e.o.now()) },
  );
  const next = e.store.getState();
  if (next.status !== previous) e.events.emit('status', next, previous);
}

export function report(e: Engine, error: SocketboardError): void {
  e.events.emit('error', error);
}

export function reportListenerError(e: Engine, error: unknown, where: string): void {
  const wrapped = new SocketboardError(
    'listener',
    `${where} threw: ${errorMessage(error)}. Fix the listener; the connection carries on.`,
    { cause: error },
  );
  if (where.startsWith("an on('error')")) {
    // Reporting an error listener's failure to itself would loop.
    setState(e, { lastError: wrapped });
    return;
  }
  report(e, wrapped);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

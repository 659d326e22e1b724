import type { SocketboardError } from './errors';

/**
 * Where the connection is. `closed`: the app closed it. `failed`: the engine gave up (retries
 * exhausted, a terminal close code, or no usable WebSocket); `reconnect()` starts over.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** Clock ms when the close was seen. */
  readonly at: number;
}

/**
 * The connection store's state: `status` plus facts with timestamps, so the UI can tell "open but
 * silent for 30 s" from "reconnecting, next try in 4 s".
 */
export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Consecutive failed attempts; back to 0 once a socket stayed open `minStableMs`. */
  readonly attempt: number;
  /** When the next attempt starts (clock ms); undefined when none is scheduled (e.g. offline). */
  readonly nextRetryAt: number | undefined;
  /** When the current socket opened; undefined when not open. */
  readonly openedAt: number | undefined;
  /**
   * When the link was lost and not back since: the first drop after an open, or the first failed
   * attempt of a first connect (clock ms). Unlike `lastClose.at` it does not move with each failed
   * retry, so "down for 30 s" and grace periods are measured from the outage's start. Undefined while
   * open, and when idle or closed by the app.
   */
  readonly downSince: number | undefined;
  /**
   * When the last inbound frame arrived. Written to the store at most every 250 ms (with a trailing
   * write) so subscribers are not woken at message rate; per-channel stores are exact.
   */
  readonly lastMessageAt: number | undefined;
  readonly lastClose: CloseInfo | undefined;
  readonly lastError: SocketboardError | undefined;
  readonly online: boolean;
  readonly visible: boolean;
  /** The server's session id (protocol v1), kept across reconnects so resent acked publishes are deduplicated. */
  readonly sessionId: string | undefined;
  /** True while `bufferedAmount` is above the high-water mark and sends wait in the queue. */
  readonly backpressured: boolean;
}

export const INITIAL_CONNECTION_STATE: ConnectionState = Object.freeze({
  status: 'idle',
  attempt: 0,
  nextRetryAt: undefined,
  openedAt: undefined,
  downSince: undefined,
  lastMessageAt: undefined,
  lastClose: undefined,
  lastError: undefined,
  online: true,
  visible: true,
  sessionId: undefined,
  backpressured: false,
});

/** `downSince` once the status becomes `status` at `now` (see {@link ConnectionState.downSince}). */
export function downSinceAfter(before: ConnectionState, status: ConnectionStatus, now: number): number | undefined {
  switch (status) {
    case 'reconnecting':
    case 'failed':
      return before.downSince ?? now;
    case 'connecting':
      // A retry's own attempt keeps the outage's start; a first connect is not an outage yet.
      return before.downSince;
    default:
      return undefined;
  }
}

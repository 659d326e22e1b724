import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Broker } from './broker';
import type { SocketServerError } from './errors';
import type { ServerMetrics } from './metrics';
import type { ConnectionInfo } from './options';

export interface CloseOptions {
  /** Close code sent to every client: 1001 (going away, default) or 1012 (service restart). Both make clients reconnect with jittered backoff. */
  code?: 1001 | 1012;
  /** Close reason sent with the code. Default `'server shutting down'`. */
  reason?: string;
  /** How long clients get to complete the close handshake before they are terminated (ms). Default `5_000`. */
  drainMs?: number;
}

export interface Refusal {
  /** HTTP status of the refusal: 400, 401, 403, 404 or 503. */
  readonly status: number;
  readonly reason: string;
  readonly request: IncomingMessage;
}

export interface SocketServerEvents<P> {
  connection: (connection: ConnectionInfo<P>) => void;
  disconnect: (connection: ConnectionInfo<P>, close: { readonly code: number; readonly reason: string }) => void;
  /** Hooks that threw, broker failures, listener errors. The connection concerned, if any, comes second. */
  error: (error: SocketServerError, connection?: ConnectionInfo<P>) => void;
  /** An upgrade refused before a WebSocket existed. */
  rejected: (refusal: Refusal) => void;
}

export interface SocketServer<P = unknown> {
  /** Resolves with the bound address once listening (attached: once the given server listens). Rejects if listening fails. */
  readonly ready: Promise<AddressInfo>;
  /** The broker in use (the default in-memory one unless `broker` was given). */
  readonly broker: Broker;
  /**
   * Publishes `data` on `channel` to every subscriber (on every node sharing the broker) and resolves
   * with its seq. A Promise because the broker assigns the seq and may be remote.
   * Rejects with `SocketServerError` (`bad-channel`, `unserializable`, `closed`, or the broker's error).
   */
  publish(channel: string, data: unknown): Promise<number>;
  /**
   * Graceful shutdown: stops accepting, closes every client with `code` (they reconnect with jitter),
   * terminates the ones still there after `drainMs`, unsubscribes from the broker (and closes it if
   * the server created it). Idempotent.
   */
  close(options?: CloseOptions): Promise<void>;
  metrics(): ServerMetrics;
  on<E extends keyof SocketServerEvents<P>>(event: E, listener: SocketServerEvents<P>[E]): () => void;
}

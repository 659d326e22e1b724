/**
 * The broker owns everything that must stay consistent when several server nodes share the load:
 * per-channel `seq` assignment, the replay buffer, sessions and their publish-id dedupe store. The
 * server only keeps per-connection state. `createMemoryBroker()` is the default (one process);
 * a Redis broker implements the same interface, e.g. with one Lua script per publish doing
 * `INCR seq` + `XADD … MAXLEN` (replay) + `PUBLISH` (fan-out), so that every node sees a channel's
 * messages in seq order and a client can resume on any node.
 *
 * Every method is async so that a networked implementation fits. Methods may reject; the server
 * turns a rejection into an `unavailable` nack or `err` for the client and reports it on `'error'`.
 */

/** One channel message as the broker stores and fans it out. */
export interface BrokerMessage {
  readonly channel: string;
  /** Per channel, from 1, strictly increasing, never reused while the channel's state is kept. */
  readonly seq: number;
  /** The message data (`d`) as JSON text: serialized once, stored and sent as is. */
  readonly payload: string;
}

/** What `sub {ch, since}` gets: the messages after `since` that are still held, and the channel's current seq. */
export interface ReplayResult {
  /** The channel's current (latest assigned) seq; `0` when nothing was ever published or the state is gone. */
  readonly seq: number;
  /** Held messages with `since < seq ≤ ReplayResult.seq`, oldest first. Empty without `since`. */
  readonly messages: readonly BrokerMessage[];
  /**
   * `true` when `messages` holds everything after `since` (or no `since` was given). `false` when
   * the buffer no longer reaches back to `since + 1`, or `since` is above the current seq (the
   * broker lost the channel's state): the client missed messages and should refetch.
   */
  readonly complete: boolean;
}

export interface SessionResult {
  readonly sid: string;
  /** `true` when `sid` was known and still alive; `false` when a new session was issued. */
  readonly resumed: boolean;
}

/**
 * `'new'`: the caller now holds the claim on this publish id and must `settle` it.
 * `'accepted'`: this id was already accepted in this session; ack it again, do not deliver it twice.
 */
export type ClaimResult = 'new' | 'accepted';

/** Receives a channel's messages in seq order. Must not throw (the server's fan-out never does). */
export type BrokerListener = (message: BrokerMessage) => void;

/**
 * How the broker's link to its shared store is doing; `metrics().broker` shows it. A broker that
 * keeps everything in process is always `'ok'`.
 */
export interface BrokerHealth {
  /**
   * `'ok'`: working. `'connecting'`: not connected yet since creation. `'degraded'`: the store is
   * unreachable; what needs it is refused with `unavailable` (nothing is queued silently) while the
   * broker reconnects.
   */
  readonly status: 'ok' | 'connecting' | 'degraded';
  /** What is wrong, when not `'ok'`. */
  readonly reason?: string;
  /** When the current non-`'ok'` status began (ms since the epoch). */
  readonly since?: number;
}

/** Reported on every change of `BrokerHealth.status`; `error` says what went wrong when it got worse. */
export type BrokerHealthListener = (health: BrokerHealth, error: Error | undefined) => void;

export interface Broker {
  /** Assigns the channel's next seq, stores the message for replay, then fans it out to every subscriber. */
  publish(channel: string, payload: string): Promise<BrokerMessage>;
  /**
   * Delivers every message published on `channel` after the returned promise resolved, in seq
   * order, to `listener`. The server subscribes once per channel per node, however many clients
   * listen. Resolves to the function that stops delivery.
   *
   * A networked broker can lose part of the live feed (its link was cut) and be unable to fill the
   * gap (the messages are no longer held, or the store lost its state). It then calls
   * `onInterrupted`, and keeps delivering what comes next: the subscriber must resubscribe from
   * its last seq (the server closes the channel's connections with 1012, so clients resume with `since`).
   */
  subscribe(channel: string, listener: BrokerListener, onInterrupted?: () => void): Promise<() => Promise<void>>;
  /**
   * The current seq and what is held after `since`. Called after `subscribe` resolved, so a message
   * is either in this result, or delivered to the listener, or both (the server drops the overlap by seq).
   */
  replay(channel: string, since: number | undefined): Promise<ReplayResult>;
  /**
   * Resumes `sid` if it is known and alive, else issues a new, unguessable session id. Either way
   * the session is held by one more connection until `releaseSession`.
   */
  openSession(sid: string | undefined): Promise<SessionResult>;
  /** A connection holding the session ended; once none holds it, the session expires after its TTL. */
  releaseSession(sid: string): Promise<void>;
  /**
   * Claims a publish id within a session, atomically across nodes. If another connection holds an
   * unsettled claim on the same id (a resend racing the original), waits for it to settle: then
   * `'accepted'` if it was accepted, or `'new'` (the claim passes to this caller) if it was not.
   * An unknown or expired session claims `'new'`: dedupe is best effort within the session TTL.
   */
  claim(sid: string, id: string): Promise<ClaimResult>;
  /**
   * Ends a claim. Accepted ids are remembered (bounded per session, oldest forgotten first) so a
   * resend is acked without a second delivery; a refused one is forgotten so a resend is judged afresh.
   */
  settle(sid: string, id: string, accepted: boolean): Promise<void>;
  /** Releases timers and connections. The server calls it only for a broker it created itself. */
  close(): Promise<void>;
  /** The link's health right now. Absent: always `{ status: 'ok' }`. */
  health?(): BrokerHealth;
  /** Watches `health()`; returns the function that stops watching. The server reports a worsening on `'error'`. */
  onHealthChange?(listener: BrokerHealthListener): () => void;
}

import { randomBytes } from 'node:crypto';
import type { Broker, BrokerListener, BrokerMessage, ClaimResult, ReplayResult, SessionResult } from './broker';
import { Deque } from './deque';
import { SocketServerConfigError, SocketServerError } from './errors';

export interface MemoryBrokerOptions {
  replay?: {
    /** Messages kept per channel for `sub {since}`. `0` turns replay off. Default `1_000`. */
    perChannel?: number;
    /** Messages older than this (ms) are no longer replayed. Default `300_000` (5 minutes). */
    ttlMs?: number;
  };
  sessions?: {
    /** A session no connection holds expires after this many ms. Default `300_000` (5 minutes). */
    ttlMs?: number;
    /** Accepted publish ids remembered per session for duplicate suppression. Default `1_000`. */
    dedupeWindow?: number;
    /** Sessions kept at most; past it the longest-idle released session is forgotten first. Default `100_000`. */
    max?: number;
  };
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_MEMORY_BROKER_OPTIONS = Object.freeze({
  replay: Object.freeze({ perChannel: 1_000, ttlMs: 300_000 }),
  sessions: Object.freeze({ ttlMs: 300_000, dedupeWindow: 1_000, max: 100_000 }),
});

/** Expired buffers and sessions are found lazily on use; this sweep only gives their memory back. */
const SWEEP_INTERVAL_MS = 30_000;

class StoredMessage implements BrokerMessage {
  constructor(
    readonly channel: string,
    readonly seq: number,
    readonly payload: string,
    /** When it was published, for the replay TTL. */
    readonly at: number,
  ) {}
}

interface ChannelState {
  seq: number;
  readonly buffer: Deque<StoredMessage>;
  readonly listeners: Set<{ readonly listener: BrokerListener }>;
}

/** A claim in progress; resends racing it wait here. */
interface Pending {
  waiters: Array<() => void> | undefined;
}

const ACCEPTED = true;

interface Session {
  holders: number;
  releasedAt: number;
  /** Insertion order is acceptance order, so the oldest accepted id is evicted first. */
  readonly ids: Map<string, Pending | typeof ACCEPTED>;
  accepted: number;
}

/**
 * The default broker: everything in this process. Seq counters live as long as the broker (a channel
 * costs ~100 bytes once used); replay buffers are bounded by count and age; sessions expire after
 * their TTL. Share one instance between servers in the same process to model a persistent broker
 * (e.g. across a restart in tests).
 */
export function createMemoryBroker(options: MemoryBrokerOptions = {}): Broker {
  const perChannel = options.replay?.perChannel ?? DEFAULT_MEMORY_BROKER_OPTIONS.replay.perChannel;
  const replayTtlMs = options.replay?.ttlMs ?? DEFAULT_MEMORY_BROKER_OPTIONS.replay.ttlMs;
  const sessionTtlMs = options.sessions?.ttlMs ?? DEFAULT_MEMORY_BROKER_OPTIONS.sessions.ttlMs;
  const dedupeWindow = options.sessions?.dedupeWindow ?? DEFAULT_MEMORY_BROKER_OPTIONS.sessions.dedupeWindow;
  const maxSessions = options.sessions?.max ?? DEFAULT_MEMORY_BROKER_OPTIONS.sessions.max;
  requireCount('replay.perChannel', perChannel, 0);
  requirePositive('replay.ttlMs', replayTtlMs);
  requirePositive('sessions.ttlMs', sessionTtlMs);
  requireCount('sessions.dedupeWindow', dedupeWindow, 1);
  requireCount('sessions.max', maxSessions, 1);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new SocketServerConfigError('now', 'must be a function returning ms.');

  const channels = new Map<string, ChannelState>();
  const sessions = new Map<string, Session>();
  let closed = false;
  // Deliveries started from inside a listener wait their turn, so every listener sees seq order.
  const deliveryQueue = new Deque<StoredMessage>();
  let delivering = false;

  const sweep = setInterval(() => {
    const t = now();
    for (const state of channels.values()) expireBuffer(state, t);
    for (const [sid, session] of sessions) if (isExpired(session, t)) sessions.delete(sid);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  const channelState = (channel: string): ChannelState => {
    let state = channels.get(channel);
    if (state === undefined) {
      state = { seq: 0, buffer: new Deque(), listeners: new Set() };
      channels.set(channel, state);
    }
    return state;
  };

  const expireBuffer = (state: ChannelState, t: number): void => {
    const cutoff = t - replayTtlMs;
    while (state.buffer.size > 0 && state.buffer.peek()!.at < cutoff) state.buffer.shift();
  };

  const isExpired = (session: Session, t: number): boolean =>
    session.holders === 0 && t - session.releasedAt >= sessionTtlMs;

  const deliver = (message: StoredMessage): void => {
    deliveryQueue.push(message);
    if (delivering) return;
    delivering = true;
    try {
      for (let next = deliveryQueue.shift(); next !== undefined; next = deliveryQueue.shift()) {
        const state = channels.get(next.channel);
        if (state === undefined) continue;
        for (const entry of state.listeners) {
          try {
            entry.listener(next);
          } catch {
            // The contract says listeners do not throw; one that does must not starve the others.
          }
        }
      }
    } finally {
      delivering = false;
    }
  };

  const assertOpen = (): void => {
    if (closed) throw new SocketServerError('closed', 'The memory broker was closed; create a new one.');
  };

  const newSession = (t: number): string => {
    if (sessions.size >= maxSessions) {
      for (const [sid, session] of sessions) if (isExpired(session, t)) sessions.delete(sid);
      if (sessions.size >= maxSessions) {
        // Map order is creation order: the first released session found is the oldest idle one.
        for (const [sid, session] of sessions) {
          if (session.holders === 0) {
            sessions.delete(sid);
            break;
          }
        }
      }
    }
    // 128 random bits: the id is a bearer value for dedupe, so it must not be guessable.
    const sid = randomBytes(16).toString('base64url');
    sessions.set(sid, { holders: 1, releasedAt: t, ids: new Map(), accepted: 0 });
    return sid;
  };

  const broker: Broker = {
    publish(channel, payload) {
      return settled(() => {
        assertOpen();
        const state = channelState(channel);
        const t = now();
        state.seq += 1;
        const message = new StoredMessage(channel, state.seq, payload, t);
        if (perChannel > 0) {
          state.buffer.push(message);
          if (state.buffer.size > perChannel) state.buffer.shift();
          expireBuffer(state, t);
        }
        // Fan-out happens inside the call, so publishes are delivered in the order they were made.
        deliver(message);
        return message;
      });
    },

    subscribe(channel, listener) {
      return settled(() => {
        assertOpen();
        const entry = { listener };
        const state = channelState(channel);
        state.listeners.add(entry);
        return () => {
          state.listeners.delete(entry);
          return Promise.resolve();
        };
      });
    },

    replay(channel, since) {
      return settled(() => {
        assertOpen();
        return replay(channel, since);
      });
    },

    openSession(sid) {
      return settled((): SessionResult => {
        assertOpen();
        const t = now();
        const known = sid === undefined ? undefined : sessions.get(sid);
        if (known !== undefined && sid !== undefined && !isExpired(known, t)) {
          known.holders += 1;
          return { sid, resumed: true };
        }
        if (known !== undefined && sid !== undefined) sessions.delete(sid);
        return { sid: newSession(t), resumed: false };
      });
    },

    releaseSession(sid) {
      const session = sessions.get(sid);
      if (session !== undefined && session.holders > 0) {
        session.holders -= 1;
        if (session.holders === 0) session.releasedAt = now();
      }
      return Promise.resolve();
    },

    async claim(sid, id): Promise<ClaimResult> {
      assertOpen();
      for (;;) {
        const session = sessions.get(sid);
        if (session === undefined) return 'new';
        const entry = session.ids.get(id);
        if (entry === undefined) {
          session.ids.set(id, { waiters: undefined });
          return 'new';
        }
        if (entry === ACCEPTED) return 'accepted';
        await new Promise<void>((resolve) => (entry.waiters ??= []).push(resolve));
      }
    },

    settle(sid, id, accepted) {
      const session = sessions.get(sid);
      const entry = session?.ids.get(id);
      if (session === undefined || entry === undefined || entry === ACCEPTED) return Promise.resolve();
      session.ids.delete(id);
      if (accepted) {
        session.ids.set(id, ACCEPTED);
        session.accepted += 1;
        if (session.accepted > dedupeWindow) {
          for (const [oldest, value] of session.ids) {
            if (value === ACCEPTED) {
              session.ids.delete(oldest);
              session.accepted -= 1;
              break;
            }
          }
        }
      }
      if (entry.waiters !== undefined) for (const wake of entry.waiters) wake();
      return Promise.resolve();
    },

    close() {
      closed = true;
      clearInterval(sweep);
      return Promise.resolve();
    },
  };

  function replay(channel: string, since: number | undefined): ReplayResult {
    const state = channels.get(channel);
    const current = state?.seq ?? 0;
    if (since === undefined || since === current) return { seq: current, messages: [], complete: true };
    if (state === undefined || since > current) return { seq: current, messages: [], complete: false };
    expireBuffer(state, now());
    const { buffer } = state;
    const oldest = buffer.peek()?.seq;
    if (oldest === undefined) return { seq: current, messages: [], complete: false };
    // Buffered seqs are contiguous, so the first one after `since` is found by arithmetic.
    const start = Math.max(0, since + 1 - oldest);
    const messages: BrokerMessage[] = [];
    for (let i = start; i < buffer.size; i++) messages.push(buffer.get(i)!);
    return { seq: current, messages, complete: oldest <= since + 1 };
  }

  return broker;
}

/** Runs `fn` now (synchronously, so ordering is kept) and returns its outcome as a promise. */
function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function requireCount(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new SocketServerConfigError(option, `must be a whole number >= ${min}, got ${String(value)}.`);
  }
}

function requirePositive(option: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new SocketServerConfigError(option, `must be a number of ms > 0, got ${String(value)}.`);
  }
}

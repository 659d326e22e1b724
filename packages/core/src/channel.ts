import type { ServerError } from './errors';
import type { StandardSchemaV1 } from './standard-schema';
import { createStore } from './store';
import type { Store } from './store';

/**
 * `idle`: nobody listens, not subscribed on the wire. `subscribing`: asked (or will ask once open) and
 * waiting for the server's confirmation. `subscribed`: confirmed (raw protocols: sent). `error`: the
 * server refused the subscription (see `error`).
 */
export type ChannelStatus = 'idle' | 'subscribing' | 'subscribed' | 'error';

export interface ChannelState<T = unknown> {
  readonly name: string;
  readonly status: ChannelStatus;
  /** The latest message, undefined until the first. */
  readonly data: T | undefined;
  /** The latest message's seq (protocol v1); what a resubscription asks the server to replay after. */
  readonly seq: number | undefined;
  readonly lastMessageAt: number | undefined;
  /**
   * The last messages, oldest first, bounded by the largest `history` any current subscriber asked for
   * (kept through `channelGraceMs` after the last one left, so a quick remount finds it).
   */
  readonly history: readonly T[];
  /**
   * After a subscription that asked for a replay (a resubscription, or a first one with `since`): `true`
   * when the server replayed everything after the seq asked for, `false` when its replay buffer no longer
   * reached back that far (after a drop: messages were lost, refetch; for a backfill with `since: 0`: the
   * normal answer once the channel published more than the server keeps). Undefined before any replay.
   */
  readonly resumed: boolean | undefined;
  readonly error: ServerError | undefined;
  /** Messages received on this channel since the connection was created. */
  readonly count: number;
}

/** A read-only view of a store: only the engine writes. Fits zustand's `useStore` and `useSyncExternalStore`. */
export interface ReadonlyStore<T> {
  // Function properties, not methods: they are passed around unbound (`useSyncExternalStore(store.subscribe, …)`).
  readonly getState: () => T;
  readonly getInitialState: () => T;
  /** Calls `listener` after every change with the new and the previous state; returns the unsubscribe function. */
  readonly subscribe: (listener: (state: T, previous: T) => void) => () => void;
}

export interface MessageMeta {
  readonly channel: string;
  readonly seq: number | undefined;
  readonly receivedAt: number;
  /**
   * The server replayed this message from its buffer (a backfill asked for with `since`, or what was
   * missed while reconnecting) rather than sending it live. `receivedAt` is still the arrival time.
   */
  readonly replayed: boolean;
}

export type ChannelListener<T = unknown> = (data: T, meta: MessageMeta) => void;

export interface SubscribeOptions<T = unknown> {
  /** Keep the last `history` messages in the channel store (the largest request of current subscribers wins). */
  history?: number;
  /** Validate (and possibly transform) each payload; failures are dropped, counted and reported. */
  schema?: StandardSchemaV1<unknown, T>;
  /**
   * Backfill: when this subscription starts the channel on the wire, ask the server to replay the
   * messages it still holds after this seq, `0` for all of them (bounded by its replay buffer). They
   * reach the store and the listeners in order before live ones, with `meta.replayed` set. A channel
   * already live (another subscriber, or within `channelGraceMs`) is not asked again: the new subscriber
   * starts from the store's state (`data`, `history`). Ignored by protocols without replay (raw JSON).
   */
  since?: number;
}

interface Subscriber {
  readonly listener: ChannelListener;
  readonly history: number;
}

/** Engine-side bookkeeping of one channel. Its store is what hooks and components read. */
export class ChannelEntry {
  readonly store: Store<ChannelState>;
  readonly subscribers = new Set<Subscriber>();
  schema: StandardSchemaV1 | undefined;
  /** Subscribed (or subscribe sent) on the current socket. */
  onWire = false;
  /** Transient refusals (e.g. `unavailable`) in a row; drives the resubscription backoff. */
  refusals = 0;
  /** Serialises async schema validation so messages still arrive in order. */
  validation: Promise<void> | undefined;
  /**
   * The channel has subscribers but has not asked the server yet since it (re)started: subscribers'
   * `since` still counts. Once the `sub` is out, the store's seq is what the next one continues from.
   */
  starting = false;
  /** The earliest `since` asked for while `starting`. */
  since: number | undefined;
  /** Between a `sub` carrying `since` and its `subd`: arriving messages are replays. */
  replaying = false;
  private historyLimit = 0;

  constructor(readonly name: string) {
    const initial: ChannelState = {
      name,
      status: 'idle',
      data: undefined,
      seq: undefined,
      lastMessageAt: undefined,
      history: [],
      resumed: undefined,
      error: undefined,
      count: 0,
    };
    this.store = createStore(initial);
  }

  get refs(): number {
    return this.subscribers.size;
  }

  add(listener: ChannelListener, history: number): Subscriber {
    const subscriber = { listener, history };
    this.subscribers.add(subscriber);
    this.recomputeHistoryLimit();
    return subscriber;
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    // The last one leaving keeps the history (and its limit) for the grace period: a remount within it
    // finds what a fresh subscription with `since` would have replayed. `release()` drops it.
    if (this.subscribers.size > 0) this.recomputeHistoryLimit();
  }

  /** Nobody listens any more: the history goes, the rest of the state stays. */
  release(): void {
    this.historyLimit = 0;
    this.starting = false;
    this.since = undefined;
    this.replaying = false;
  }

  private recomputeHistoryLimit(): void {
    let limit = 0;
    for (const s of this.subscribers) if (s.history > limit) limit = s.history;
    this.historyLimit = limit;
    const { history } = this.store.getState();
    if (history.length > limit)
      this.store.setState({ history: limit === 0 ? [] : history.slice(history.length - limit) });
  }

  /**
   * Writes the message into the store, then calls the listeners, so a listener (and anything it
   * triggers) reads a store that already holds this message. The hot path: one new state object per
   * message, written whole (no partial to merge), and one meta object when anyone listens.
   */
  deliver(
    data: unknown,
    seq: number | undefined,
    at: number,
    replayed: boolean,
    onError: (error: unknown, where: string) => void,
  ): void {
    const state = this.store.getState();
    let history = state.history;
    const limit = this.historyLimit;
    if (limit > 0) {
      // A new array per message keeps snapshots immutable for selectors; bounded by `limit`.
      const start = history.length >= limit ? history.length - limit + 1 : 0;
      const next = history.slice(start);
      next.push(data);
      history = next;
    }
    // Same keys in the same order as the initial state, so every snapshot shares one shape.
    this.store.replace({
      name: state.name,
      status: state.status,
      data,
      seq: seq ?? state.seq,
      lastMessageAt: at,
      history,
      resumed: state.resumed,
      error: state.error,
      count: state.count + 1,
    });
    if (this.subscribers.size === 0) return;
    const meta: MessageMeta = { channel: this.name, seq, receivedAt: at, replayed };
    for (const s of this.subscribers) {
      try {
        s.listener(data, meta);
      } catch (error) {
        onError(error, `a listener of channel "${this.name}"`);
      }
    }
  }
}

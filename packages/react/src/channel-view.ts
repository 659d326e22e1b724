import { defaultTimers } from '@socketboard/core';
import type {
  ChannelListener,
  ChannelState,
  Connection,
  MessageMeta,
  ReadonlyStore,
  StandardSchemaV1,
  Timers,
} from '@socketboard/core';
import { shallow } from 'zustand/vanilla/shallow';
import { createFrameScheduler } from './frame-scheduler';
import type { FrameScheduler } from './frame-scheduler';
import { createSelection, identity } from './selection';
import type { EqualityFn } from './selection';

/**
 * How channel changes reach the view's listeners (and so React renders):
 * - `'frame'` (default): at most once per animation frame, showing the newest state.
 * - `'every'`: every state in order, one at a time; the consumer confirms each with `rendered()`.
 * - `{ throttleMs }`: at once, then at most once per `throttleMs` (the last state of a burst always shows).
 */
export type Deliver = 'frame' | 'every' | { readonly throttleMs: number };

export interface ChannelViewOptions<T, S> {
  /** Default `'frame'`. */
  deliver?: Deliver | undefined;
  /** Keep the last `history` messages in the snapshot's `history`. Default `0`. */
  history?: number | undefined;
  /** Backfill: the `since` handed to `connection.subscribe`. Default none (live from now). */
  since?: number | undefined;
  /** Standard Schema validator for the payloads, handed to `connection.subscribe`. Default none. */
  schema?: StandardSchemaV1<unknown, T> | undefined;
  /** `false`: the view never subscribes and shows the idle snapshot. Default `true`. */
  enabled?: boolean | undefined;
  /** Called for every message, whatever `deliver` says. Replace it with `setOnMessage`. */
  onMessage?: ChannelListener<T> | undefined;
  /** Maps the channel state to what the consumer reads. Default the state itself. */
  select?: ((state: ChannelState<T>) => S) | undefined;
  /** Decides whether a new selection differs from the last. Default `shallow`. */
  isEqual?: EqualityFn<S> | undefined;
  /** Shared by all views of a provider so they flush in one frame. Default a scheduler of its own. */
  scheduler?: FrameScheduler | undefined;
  /** Timers for `{ throttleMs }`. Default the global ones. */
  timers?: Timers | undefined;
}

/**
 * An external store over one channel of a connection, for `useSyncExternalStore` or any other
 * consumer. It subscribes to the connection when its first listener arrives and lets go after its
 * last one leaves (so creating a view has no effect), and it decides when listeners hear of changes
 * (`deliver`) and what they see (`select`), so that the React hook only adapts it.
 */
export interface ChannelView<T = unknown, S = ChannelState<T>> {
  readonly name: string;
  /** Adds a listener (the first one subscribes to the channel). Returns the function that removes it. */
  readonly subscribe: (listener: () => void) => () => void;
  /** The current selection. Stable until a listener is told of a change. */
  readonly getSnapshot: () => S;
  /** The selection of the idle channel: what server rendering and hydration show. */
  readonly getServerSnapshot: () => S;
  /** The channel state the current selection was made from. */
  getState(): ChannelState<T>;
  /** Replaces the selector and equality (e.g. a new inline function each render); the last selection is kept when equal. */
  setSelector(select: ((state: ChannelState<T>) => S) | undefined, isEqual?: EqualityFn<S>): void;
  setOnMessage(listener: ChannelListener<T> | undefined): void;
  /** `'every'` mode: the consumer has shown `value`; the next state follows. Ignored in other modes. */
  rendered(value: S): void;
  /** Subscribed to the connection now (has listeners and is enabled). */
  readonly active: boolean;
  /** States received but not shown yet (`'every'` mode). */
  readonly backlog: number;
}

/** The state of a channel nobody listens to: what server rendering shows. */
export function idleChannelState<T>(name: string): ChannelState<T> {
  return Object.freeze({
    name,
    status: 'idle',
    data: undefined,
    seq: undefined,
    lastMessageAt: undefined,
    history: Object.freeze([]),
    resumed: undefined,
    error: undefined,
    count: 0,
  });
}

export function createChannelView<T = unknown, S = ChannelState<T>>(
  connection: Connection,
  name: string,
  options: ChannelViewOptions<T, S> = {},
): ChannelView<T, S> {
  return new ChannelViewImpl<T, S>(connection, name, options);
}

class ChannelViewImpl<T, S> implements ChannelView<T, S> {
  readonly name: string;
  private readonly connection: Connection;
  private readonly store: ReadonlyStore<ChannelState<T>>;
  private readonly deliver: Deliver;
  private readonly history: number;
  private readonly since: number | undefined;
  private readonly schema: StandardSchemaV1<unknown, T> | undefined;
  private readonly enabled: boolean;
  private readonly scheduler: FrameScheduler;
  private readonly timers: Timers;
  private readonly idle: ChannelState<T>;
  private readonly listeners = new Set<() => void>();
  private readonly selection = createSelection<ChannelState<T>, S>();
  private readonly serverSelection = createSelection<ChannelState<T>, S>();
  private select: (state: ChannelState<T>) => S;
  private isEqual: EqualityFn<S>;
  private onMessage: ChannelListener<T> | undefined;

  /** What listeners were last told about; undefined while not subscribed (the live state is shown). */
  private shown: ChannelState<T> | undefined;
  private unsubscribeChannel: (() => void) | undefined;
  private unsubscribeStore: (() => void) | undefined;
  private cancelFrame: (() => void) | undefined;
  private throttleTimer: unknown;
  private throttleDirty = false;
  // 'every' mode: a FIFO of states not shown yet, and whether the shown one awaits `rendered()`.
  private readonly queue: ChannelState<T>[] = [];
  private queueHead = 0;
  private waiting = false;
  private drainScheduled = false;

  constructor(connection: Connection, name: string, options: ChannelViewOptions<T, S>) {
    this.connection = connection;
    this.name = name;
    this.store = connection.channel(name) as ReadonlyStore<ChannelState<T>>;
    this.deliver = options.deliver ?? 'frame';
    this.history = options.history ?? 0;
    this.since = options.since;
    this.schema = options.schema;
    this.enabled = options.enabled ?? true;
    this.scheduler = options.scheduler ?? createFrameScheduler();
    this.timers = options.timers ?? defaultTimers;
    this.idle = idleChannelState<T>(name);
    this.select = options.select ?? (identity as (state: ChannelState<T>) => S);
    this.isEqual = options.isEqual ?? shallow;
    this.onMessage = options.onMessage;
  }

  get active(): boolean {
    return this.unsubscribeChannel !== undefined;
  }

  get backlog(): number {
    return this.queue.length - this.queueHead;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    if (!this.enabled) return noop;
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.setup();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.teardown();
    };
  };

  readonly getSnapshot = (): S => this.selection.get(this.getState(), this.select, this.isEqual);

  readonly getServerSnapshot = (): S => this.serverSelection.get(this.idle, this.select, this.isEqual);

  getState(): ChannelState<T> {
    if (!this.enabled) return this.idle;
    return this.shown ?? this.store.getState();
  }

  setSelector(select: ((state: ChannelState<T>) => S) | undefined, isEqual?: EqualityFn<S>): void {
    this.select = select ?? (identity as (state: ChannelState<T>) => S);
    this.isEqual = isEqual ?? shallow;
  }

  setOnMessage(listener: ChannelListener<T> | undefined): void {
    this.onMessage = listener;
  }

  rendered(value: S): void {
    if (!this.waiting || !Object.is(value, this.getSnapshot())) return;
    this.waiting = false;
    this.scheduleDrain();
  }

  private setup(): void {
    // Channel first: it moves the store to `subscribing`, which the view then starts from.
    this.unsubscribeChannel = this.connection.subscribe(this.name, this.handleMessage as ChannelListener, {
      history: this.history,
      since: this.since,
      schema: this.schema as StandardSchemaV1 | undefined,
    });
    this.unsubscribeStore = this.store.subscribe(this.handleChange);
    this.shown = this.store.getState();
  }

  private teardown(): void {
    this.unsubscribeStore?.();
    this.unsubscribeChannel?.();
    this.unsubscribeStore = undefined;
    this.unsubscribeChannel = undefined;
    this.cancelFrame?.();
    this.cancelFrame = undefined;
    if (this.throttleTimer !== undefined) this.timers.clearTimeout(this.throttleTimer);
    this.throttleTimer = undefined;
    this.throttleDirty = false;
    this.queue.length = 0;
    this.queueHead = 0;
    this.waiting = false;
    this.shown = undefined;
  }

  private readonly handleMessage = (data: T, meta: MessageMeta): void => {
    this.onMessage?.(data, meta);
  };

  private readonly handleChange = (state: ChannelState<T>): void => {
    const deliver = this.deliver;
    if (deliver === 'frame') {
      this.cancelFrame ??= this.scheduler.schedule(this.flushFrame);
    } else if (deliver === 'every') {
      this.queue.push(state);
      if (!this.waiting && !this.drainScheduled) this.drain();
    } else if (this.throttleTimer === undefined) {
      this.show(state);
      this.throttleTimer = this.timers.setTimeout(this.throttleEnd, deliver.throttleMs);
    } else {
      this.throttleDirty = true;
    }
  };

  private readonly flushFrame = (): void => {
    this.cancelFrame = undefined;
    if (this.active) this.show(this.store.getState());
  };

  private readonly throttleEnd = (): void => {
    this.throttleTimer = undefined;
    if (!this.throttleDirty || !this.active) return;
    this.throttleDirty = false;
    this.show(this.store.getState());
    this.throttleTimer = this.timers.setTimeout(this.throttleEnd, (this.deliver as { throttleMs: number }).throttleMs);
  };

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Not synchronously: `rendered()` runs inside React's commit, and a store change there counts as a
    // nested update; a thousand in a row would trip React's "Maximum update depth" guard.
    queueMicrotask(() => {
      this.drainScheduled = false;
      if (this.active) this.drain();
    });
  }

  private drain(): void {
    while (!this.waiting && this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead++]!;
      const before = this.getSnapshot();
      this.shown = next;
      // Only a state that changes the selection is worth a render (and a wait for it).
      if (!Object.is(this.getSnapshot(), before)) {
        this.waiting = true;
        this.notify();
      }
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }

  private show(state: ChannelState<T>): void {
    if (state === this.shown) return;
    this.shown = state;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function noop(): void {}

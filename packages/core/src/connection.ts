import { failInFlight } from './acks';
import { backoffDelay } from './backoff';
import type { ChannelEntry, ChannelListener, ChannelState, ReadonlyStore, SubscribeOptions } from './channel';
import { channelEntry, idleChannels, markChannelsPending, resubscribeAll, subscribe } from './channels';
import { Emitter } from './emitter';
import { errorMessage, report, reportListenerError, setState } from './engine';
import type { Engine, InFlight } from './engine';
import type { SignalEvent, WebSocketLike } from './environment';
import { SocketboardError, TransportError } from './errors';
import { Heartbeat } from './heartbeat';
import { onFrame } from './inbound';
import { EMPTY_METRICS, MetricsCollector } from './metrics';
import type { MetricsSnapshot } from './metrics';
import type { CloseAction, ConnectionOptions } from './options';
import { drain, enqueueOrSend, publish, write, writeControl } from './outbound';
import { startPersistence, stopPersistence } from './persistence';
import { decode as decodeV1, SOCKETBOARD_V1 } from './protocol/socketboard';
import type { OutboundFrame, Protocol } from './protocol/types';
import { OutboundQueue } from './queue';
import { resolveOptions } from './resolve-options';
import { createStore } from './store';
import type { Store } from './store';
import type { ResolvedOptions } from './resolve-options';
import { INITIAL_CONNECTION_STATE } from './state';
import type { CloseInfo, ConnectionState, ConnectionStatus } from './state';
import { TrackedTimers } from './tracked-timers';

/** Payload types per channel name, e.g. `{ cpu: { load: number }; chat: ChatMessage }`. */
export type ChannelMap = Record<string, unknown>;
export type ChannelName<TChannels extends ChannelMap> = keyof TChannels & string;

/** `sent`: written to the socket. `queued`: waits for the socket (or for backpressure to clear). `dropped`: discarded and reported. */
export type SendResult = 'sent' | 'queued' | 'dropped';

export interface Ack {
  readonly id: string;
  readonly channel: string;
}

export interface PublishOptions {
  /** Wait for the server's ack. Protocol v1 only. */
  ack?: boolean;
  /** Reject with `AckTimeoutError` after this many ms. Default `ackTimeoutMs` (10 000). */
  timeoutMs?: number;
}

export interface InboundMessage {
  /** undefined when a raw protocol could not route the message to a channel. */
  readonly channel: string | undefined;
  readonly data: unknown;
  readonly seq: number | undefined;
  readonly receivedAt: number;
}

export interface MetricsState {
  readonly current: MetricsSnapshot;
  /** One snapshot per `sampleIntervalMs`, oldest first, bounded by `metrics.samples`. */
  readonly samples: readonly MetricsSnapshot[];
}

export interface ConnectionEvents {
  status: (state: ConnectionState, previous: ConnectionStatus) => void;
  message: (message: InboundMessage) => void;
  error: (error: SocketboardError) => void;
}

/** What is alive inside a connection; `close()` must bring the first three to zero/false. */
export interface ConnectionInspection {
  readonly timers: number;
  readonly socket: boolean;
  readonly signalListeners: boolean;
  readonly eventListeners: number;
  readonly channelListeners: number;
  readonly wireChannels: readonly string[];
  readonly inFlight: number;
  readonly queued: number;
}

/** One shared, self-healing socket for the whole app. Create with {@link createConnection}. */
export interface Connection<TChannels extends ChannelMap = ChannelMap> {
  /** Connection state (status plus timestamped facts). Only the engine writes. */
  readonly store: ReadonlyStore<ConnectionState>;
  /** Metrics sampled once per `metrics.sampleIntervalMs` while connecting or connected. */
  readonly metrics: ReadonlyStore<MetricsState>;
  readonly protocol: Protocol;
  /** Opens the socket (no-op when already open or connecting). Never throws; problems show in `store` and `on('error')`. */
  connect(): void;
  /** Closes for good (status `closed`); pending acks reject, queued frames are kept for a later `connect()`. */
  close(code?: number, reason?: string): void;
  /** Drops the current socket (if any) and connects again now, resetting the attempt count. */
  reconnect(): void;
  /**
   * Listens to a channel; the first listener subscribes on the wire (replaying what the server still
   * holds after `options.since`, when given), the last one unsubscribes after `channelGraceMs`.
   */
  subscribe<K extends ChannelName<TChannels>>(
    channel: K,
    listener: ChannelListener<TChannels[K]>,
    options?: SubscribeOptions<TChannels[K]>,
  ): () => void;
  publish<K extends ChannelName<TChannels>>(channel: K, data: TChannels[K], options?: { ack?: false }): SendResult;
  publish<K extends ChannelName<TChannels>>(
    channel: K,
    data: TChannels[K],
    options: { ack: true; timeoutMs?: number },
  ): Promise<Ack>;
  publish<K extends ChannelName<TChannels>>(
    channel: K,
    data: TChannels[K],
    options?: PublishOptions,
  ): SendResult | Promise<Ack>;
  /** Sends a raw frame (text or binary) as is, through the same queue and backpressure. */
  send(frame: OutboundFrame): SendResult;
  /** That channel's store (created on first use; does not subscribe on the wire). */
  channel<K extends ChannelName<TChannels>>(name: K): ReadonlyStore<ChannelState<TChannels[K]>>;
  on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): () => void;
  /** Metrics right now (the store holds the last sample). */
  getMetrics(): MetricsSnapshot;
  /** What is alive inside (timers, socket, listeners): for leak tests and debugging. */
  inspect(): ConnectionInspection;
}

const CLIENT_CLOSE_RECONNECT = 4000;

/**
 * Creates the connection engine. Nothing happens until `connect()`; no global is touched before it,
 * so this is safe during server rendering.
 *
 * @throws {SocketboardConfigError} when an option is invalid, naming the option.
 */
export function createConnection<TChannels extends ChannelMap = ChannelMap>(
  options: ConnectionOptions,
): Connection<TChannels> {
  return new ConnectionImpl(resolveOptions(options)) as unknown as Connection<TChannels>;
}

/**
 * The connection: its lifecycle and socket live here; inbound frames (inbound.ts), outbound writes
 * and acks (outbound.ts, acks.ts), channels (channels.ts) and persistence (persistence.ts) work on
 * the {@link Engine} state it holds.
 */
class ConnectionImpl implements Engine {
  readonly store: Store<ConnectionState>;
  readonly metrics: Store<MetricsState>;
  readonly protocol: Protocol;

  readonly o: ResolvedOptions;
  readonly timers: TrackedTimers<string>;
  readonly events: Emitter<ConnectionEvents>;
  readonly queue: OutboundQueue;
  readonly inFlight = new Map<string, InFlight>();
  readonly channels = new Map<string, ChannelEntry>();
  readonly collector: MetricsCollector;
  readonly heartbeat: Heartbeat | undefined;
  readonly v1: boolean;
  readonly batches: boolean;
  readonly onListenerError = (error: unknown, where: string): void => reportListenerError(this, error, where);

  socket: WebSocketLike | undefined;
  wanted = false;
  lastInboundAt: number | undefined;
  lastStateWriteAt = 0;
  trailingWrite = false;
  persistence: { flush(): void; stop(): void } | undefined;
  restoring: Promise<void> | undefined;
  readonly persistListeners = new Set<() => void>();
  readonly idPrefix: string;
  idCounter = 0;

  /** Bumped for every socket; events of an older socket are ignored. */
  private generation = 0;
  private authReason: 'connect' | 'reauth' = 'connect';
  private droppedAt: number | undefined;
  private unsubscribeSignals: (() => void) | undefined;

  constructor(options: ResolvedOptions) {
    this.o = options;
    this.protocol = options.protocol;
    this.v1 = options.protocol.decode === decodeV1;
    this.batches = this.v1 || options.protocol.subprotocol === SOCKETBOARD_V1;
    this.timers = new TrackedTimers(options.timers);
    this.events = new Emitter<ConnectionEvents>((error, event) =>
      reportListenerError(this, error, `an on('${String(event)}') listener`),
    );
    this.store = createStore<ConnectionState>(INITIAL_CONNECTION_STATE);
    this.metrics = createStore<MetricsState>({ current: EMPTY_METRICS, samples: [] });
    this.queue = new OutboundQueue(options.queue.max, options.queue.overflow);
    this.collector = new MetricsCollector(options.metrics, options.now, () => ({
      queueDepth: this.queue.size,
      bufferedAmount: this.socket?.bufferedAmount ?? 0,
      inFlight: this.inFlight.size,
      openedAt: this.store.getState().openedAt,
    }));
    this.idPrefix = Math.floor(options.random() * 2 ** 32).toString(36) + '-';
    if (options.heartbeat !== false) {
      this.heartbeat = new Heartbeat(options.heartbeat, options.timers, options.now, {
        sendPing: (ts) => writeControl(this, () => this.protocol.encodePing(ts)),
        onDead: (silentForMs) => this.onHeartbeatDead(silentForMs),
        onRtt: (ms) => this.collector.recordRtt(ms),
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  connect(): void {
    const { status } = this.store.getState();
    if (this.wanted && (status === 'open' || status === 'connecting' || status === 'reconnecting')) return;
    this.wanted = true;
    this.startEnvironment();
    setState(this, { status: 'connecting', lastError: undefined, nextRetryAt: undefined });
    this.openSocket();
  }

  close(code = 1000, reason = 'closed by the app'): void {
    const wasWanted = this.wanted;
    this.wanted = false;
    this.teardownSocket(code, reason);
    this.clearTimers();
    this.stopEnvironment();
    idleChannels(this);
    failInFlight(this, 'The connection was closed by the app before the server acked it.');
    stopPersistence(this);
    this.collector.sample();
    this.metrics.setState({ current: this.collector.snapshot() });
    if (wasWanted || this.store.getState().status !== 'idle') {
      setState(this, {
        status: 'closed',
        nextRetryAt: undefined,
        openedAt: undefined,
        lastClose: { code, reason, wasClean: true, at: this.o.now() },
      });
    }
  }

  reconnect(): void {
    this.teardownSocket(CLIENT_CLOSE_RECONNECT, 'reconnect requested by the app');
    this.timers.clear('retry');
    this.wanted = true;
    this.startEnvironment();
    setState(this, { status: 'connecting', attempt: 0, nextRetryAt: undefined, lastError: undefined });
    this.openSocket();
  }

  subscribe(channel: string, listener: ChannelListener, options?: SubscribeOptions): () => void {
    return subscribe(this, channel, listener, options);
  }

  channel(name: string): ReadonlyStore<ChannelState> {
    return channelEntry(this, name).store;
  }

  publish(channel: string, data: unknown, options?: PublishOptions): SendResult | Promise<Ack> {
    return publish(this, channel, data, options);
  }

  send(frame: OutboundFrame): SendResult {
    return enqueueOrSend(this, { frame });
  }

  on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  getMetrics(): MetricsSnapshot {
    return this.collector.snapshot();
  }

  inspect(): ConnectionInspection {
    let channelListeners = 0;
    const wireChannels: string[] = [];
    for (const entry of this.channels.values()) {
      channelListeners += entry.refs;
      if (entry.onWire) wireChannels.push(entry.name);
    }
    return {
      timers: this.timers.active + (this.heartbeat?.active === true ? 1 : 0) + this.inFlight.size,
      socket: this.socket !== undefined,
      signalListeners: this.unsubscribeSignals !== undefined,
      eventListeners: this.events.size,
      channelListeners,
      wireChannels,
      inFlight: this.inFlight.size,
      queued: this.queue.size,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Environment

  private startEnvironment(): void {
    if (this.unsubscribeSignals === undefined) {
      this.unsubscribeSignals = this.o.signals.subscribe((event) => this.onSignal(event));
      setState(this, { online: this.o.signals.isOnline(), visible: this.o.signals.isVisible() });
    }
    if (!this.timers.has('sample')) this.scheduleSample();
    if (this.o.queue.persist !== undefined) startPersistence(this, this.o.queue.persist);
  }

  private stopEnvironment(): void {
    this.unsubscribeSignals?.();
    this.unsubscribeSignals = undefined;
  }

  private clearTimers(): void {
    this.timers.clearAll();
    this.trailingWrite = false;
  }

  private scheduleSample(): void {
    this.timers.set('sample', this.o.metrics.sampleIntervalMs, () => {
      const current = this.collector.sample();
      this.metrics.setState({ current, samples: this.collector.samples() });
      if (this.wanted) this.scheduleSample();
    });
  }

  private onSignal(event: SignalEvent): void {
    switch (event) {
      case 'online':
        setState(this, { online: true });
        if (this.socket === undefined && this.wanted && this.store.getState().status === 'reconnecting') {
          // The network is back: try now rather than wait out a backoff computed while it was gone.
          this.timers.clear('retry');
          this.openSocket();
        } else {
          this.heartbeat?.probe();
        }
        return;
      case 'offline':
        setState(this, { online: false });
        if (this.timers.has('retry')) {
          // Retrying offline only burns attempts; wait for `online` instead.
          this.timers.clear('retry');
          setState(this, { nextRetryAt: undefined });
        }
        this.heartbeat?.probe();
        return;
      case 'visible':
      case 'pageshow':
        setState(this, { visible: true });
        this.heartbeat?.probe();
        return;
      case 'hidden':
        setState(this, { visible: false });
        return;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Socket

  private openSocket(): void {
    const generation = ++this.generation;
    void this.openSocketAsync(generation);
  }

  private async openSocketAsync(generation: number): Promise<void> {
    // The restored queue and session id must be in place before hello and the queue flush.
    if (this.restoring !== undefined) await this.restoring;
    const { attempt } = this.store.getState();
    let url: string;
    let token: string | undefined;
    try {
      url = typeof this.o.url === 'function' ? await this.o.url() : this.o.url;
      if (typeof url !== 'string' || url.length === 0) throw new Error(`got ${String(url)}`);
    } catch (error) {
      if (generation !== this.generation) return;
      this.failAttempt(new TransportError('url', `The url provider failed: ${errorMessage(error)}. Retrying.`, error));
      return;
    }
    if (this.o.auth !== undefined) {
      try {
        token = await this.o.auth.getToken({ reason: this.authReason, attempt });
        if (typeof token !== 'string') throw new Error(`expected a string token, got ${typeof token}`);
      } catch (error) {
        if (generation !== this.generation) return;
        this.failAttempt(new TransportError('auth', `auth.getToken failed: ${errorMessage(error)}. Retrying.`, error));
        return;
      }
    }
    if (generation !== this.generation || !this.wanted) return;

    const Ctor = this.o.WebSocket ?? (globalThis as { WebSocket?: ResolvedOptions['WebSocket'] }).WebSocket;
    if (Ctor === undefined) {
      this.giveUp(
        new SocketboardError(
          'no-websocket',
          'No WebSocket constructor is available here. Pass one as the `WebSocket` option (in Node 20: `import { WebSocket } from "ws"`).',
        ),
      );
      return;
    }

    const protocols = [...this.o.protocols];
    if (this.protocol.subprotocol !== undefined) protocols.unshift(this.protocol.subprotocol);
    if (token !== undefined && this.o.auth?.via === 'subprotocol')
      protocols.push(this.o.auth.subprotocolPrefix + token);

    let socket: WebSocketLike;
    try {
      socket = new Ctor(url, protocols.length > 0 ? protocols : undefined);
    } catch (error) {
      const problem = new TransportError(
        'socket-error',
        `Could not create a WebSocket for ${url}: ${errorMessage(error)}`,
        error,
      );
      // A fixed, malformed URL will never work; a URL provider might return a good one next time.
      if (typeof this.o.url === 'string') this.giveUp(problem);
      else this.failAttempt(problem);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    const frameToken = token !== undefined && this.o.auth?.via === 'frame' ? token : undefined;

    socket.onopen = () => {
      if (generation === this.generation) this.onOpen(frameToken);
    };
    socket.onmessage = (event) => {
      if (generation === this.generation) onFrame(this, event.data);
    };
    socket.onerror = () => {
      // Browsers give no detail here and always follow with `close`; just remember it happened.
      if (generation === this.generation) {
        setState(this, { lastError: new TransportError('socket-error', 'The WebSocket reported an error.') });
      }
    };
    socket.onclose = (event) => {
      if (generation !== this.generation) return;
      this.onSocketClosed({ code: event.code, reason: event.reason, wasClean: event.wasClean, at: this.o.now() });
    };

    this.timers.set('connect', this.o.reconnect.connectTimeoutMs, () => {
      if (generation !== this.generation || this.store.getState().status === 'open') return;
      const error = new TransportError(
        'connect-timeout',
        `The socket did not open within ${this.o.reconnect.connectTimeoutMs} ms; retrying.`,
      );
      this.teardownSocket(CLIENT_CLOSE_RECONNECT, 'connect timeout');
      setState(this, { lastError: error });
      report(this, error);
      this.handleDrop({ code: 1006, reason: 'connect timeout', wasClean: false, at: this.o.now() }, 'retry');
    });
  }

  private onOpen(token: string | undefined): void {
    const socket = this.socket;
    if (socket === undefined) return;
    const now = this.o.now();
    this.timers.clear('connect');
    this.authReason = 'connect';
    if (this.droppedAt !== undefined) {
      this.collector.recordReconnect(now - this.droppedAt);
      this.droppedAt = undefined;
    }
    this.lastInboundAt = now;
    setState(this, {
      status: 'open',
      openedAt: now,
      nextRetryAt: undefined,
      lastError: undefined,
      backpressured: false,
    });
    this.timers.set('stable', this.o.reconnect.minStableMs, () => setState(this, { attempt: 0 }));

    // Fixed order after every (re)open: auth, session, resubscriptions, resent acked publishes, queue.
    if (token !== undefined) writeControl(this, () => this.protocol.encodeAuth(token));
    writeControl(this, () => this.protocol.encodeHello(this.store.getState().sessionId));
    resubscribeAll(this);
    for (const flight of this.inFlight.values()) {
      if (flight.sent) write(this, { frame: flight.frame, channel: flight.channel, ackId: flight.id });
    }
    this.heartbeat?.start();
    drain(this);
  }

  private onSocketClosed(close: CloseInfo): void {
    this.detachSocket();
    let action: CloseAction;
    try {
      action = this.o.reconnect.classifyClose(close.code, close.reason);
    } catch (error) {
      reportListenerError(this, error, 'reconnect.classifyClose');
      action = 'retry';
    }
    this.handleDrop(close, action);
  }

  /** The socket is gone (closed, timed out or declared dead): decide what happens next. */
  private handleDrop(close: CloseInfo, action: CloseAction): void {
    this.heartbeat?.stop();
    this.timers.clear('connect');
    this.timers.clear('stable');
    this.timers.clear('backpressure');
    this.droppedAt ??= close.at;
    markChannelsPending(this);
    setState(this, { lastClose: close, openedAt: undefined, backpressured: false });
    if (!this.wanted) return;
    if (action === 'stop') {
      this.giveUp(
        new SocketboardError(
          'closed-by-server',
          `The server closed the connection with ${close.code}${close.reason ? ` (${close.reason})` : ''}, which means do not retry. Call reconnect() to try again.`,
        ),
      );
      return;
    }
    if (action === 'reauth') this.authReason = 'reauth';
    this.scheduleRetry();
  }

  private failAttempt(error: SocketboardError): void {
    setState(this, { lastError: error });
    report(this, error);
    this.teardownSocket(CLIENT_CLOSE_RECONNECT, 'attempt failed');
    this.droppedAt ??= this.o.now();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const attempt = this.store.getState().attempt + 1;
    if (attempt > this.o.reconnect.maxRetries) {
      this.giveUp(
        new SocketboardError(
          'retries-exhausted',
          `Gave up after ${this.o.reconnect.maxRetries} attempt(s) (reconnect.maxRetries). Call reconnect() to try again.`,
        ),
      );
      return;
    }
    if (!this.store.getState().online) {
      setState(this, { status: 'reconnecting', nextRetryAt: undefined });
      return;
    }
    const delay = backoffDelay(attempt, this.o.reconnect, this.o.random);
    setState(this, { status: 'reconnecting', attempt, nextRetryAt: this.o.now() + delay });
    this.timers.set('retry', delay, () => {
      setState(this, { nextRetryAt: undefined });
      this.openSocket();
    });
  }

  private giveUp(error: SocketboardError): void {
    this.teardownSocket(1000, 'giving up');
    this.clearTimers();
    this.heartbeat?.stop();
    this.wanted = false;
    this.stopEnvironment();
    failInFlight(this, `The connection failed (${error.code}) before the server acked it.`);
    setState(this, { status: 'failed', nextRetryAt: undefined, openedAt: undefined, lastError: error });
    report(this, error);
  }

  private onHeartbeatDead(silentForMs: number): void {
    const error = new TransportError(
      'heartbeat-timeout',
      `No frame for ${silentForMs} ms, including the answer to a ping: the link is dead. Reconnecting.`,
    );
    setState(this, { lastError: error });
    report(this, error);
    this.teardownSocket(CLIENT_CLOSE_RECONNECT, 'heartbeat timeout');
    this.handleDrop({ code: 1006, reason: 'heartbeat timeout', wasClean: false, at: this.o.now() }, 'retry');
  }

  /** Forgets the socket without waiting for its close event (which would be ignored anyway). */
  private teardownSocket(code: number, reason: string): void {
    const socket = this.socket;
    if (socket === undefined) {
      this.generation++;
      return;
    }
    this.detachSocket();
    try {
      socket.close(code, reason);
    } catch {
      // Already closing or never opened: nothing left to release.
    }
  }

  private detachSocket(): void {
    const socket = this.socket;
    this.generation++;
    this.socket = undefined;
    this.heartbeat?.stop();
    if (socket === undefined) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    // Keep a no-op error handler: some implementations throw on an unhandled 'error' after close.
    socket.onerror = () => {};
  }
}

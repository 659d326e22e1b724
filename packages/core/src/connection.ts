import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { backoffDelay } from './backoff';
import { ChannelEntry } from './channel';
import type { ChannelListener, ChannelState, ReadonlyStore, SubscribeOptions } from './channel';
import { Emitter } from './emitter';
import type { SignalEvent, StorageAdapter, WebSocketLike } from './environment';
import {
  AckTimeoutError,
  ConnectionClosedError,
  DecodeError,
  MessageDroppedError,
  NackError,
  ServerError,
  SocketboardError,
  TransportError,
} from './errors';
import type { DropReason } from './errors';
import { Heartbeat } from './heartbeat';
import { EMPTY_METRICS, MetricsCollector } from './metrics';
import type { MetricsSnapshot } from './metrics';
import type { CloseAction, ConnectionOptions } from './options';
import type { InboundEvent, InboundFrame, OutboundFrame, Protocol } from './protocol/types';
import { excerpt } from './protocol/excerpt';
import { frameByteLength, utf8ByteLength } from './protocol/utf8';
import { OutboundQueue } from './queue';
import type { QueueEntry } from './queue';
import { loadPersistedQueue, persistQueue } from './queue-storage';
import type { PersistSource } from './queue-storage';
import { resolveOptions } from './resolve-options';
import type { ResolvedOptions } from './resolve-options';
import { describeIssues } from './standard-schema';
import type { StandardSchemaResult, StandardSchemaV1 } from './standard-schema';
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
  /** Listens to a channel; the first listener subscribes on the wire, the last one unsubscribes after `channelGraceMs`. */
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

interface InFlight {
  readonly id: string;
  readonly channel: string;
  readonly frame: OutboundFrame;
  sent: boolean;
  timer: unknown;
  resolve(ack: Ack): void;
  reject(error: SocketboardError): void;
}

const CLIENT_CLOSE_RECONNECT = 4000;
/** `err` codes for a refused subscription that may succeed if asked again (PROTOCOL.md, error codes). */
const TRANSIENT_REFUSALS = new Set(['unavailable', 'rate-limited']);
const OPEN = 1;
const STATE_WRITE_INTERVAL_MS = 250;

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

class ConnectionImpl {
  readonly store: StoreApi<ConnectionState>;
  readonly metrics: StoreApi<MetricsState>;
  readonly protocol: Protocol;

  private readonly o: ResolvedOptions;
  private readonly timers: TrackedTimers<string>;
  private readonly events: Emitter<ConnectionEvents>;
  private readonly queue: OutboundQueue;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly channels = new Map<string, ChannelEntry>();
  private readonly collector: MetricsCollector;
  private readonly heartbeat: Heartbeat | undefined;

  private socket: WebSocketLike | undefined;
  /** Bumped for every socket; events of an older socket are ignored. */
  private generation = 0;
  /** The app wants the connection up (between `connect()` and `close()`). */
  private wanted = false;
  private authReason: 'connect' | 'reauth' = 'connect';
  private droppedAt: number | undefined;
  private lastInboundAt: number | undefined;
  private lastStateWriteAt = 0;
  private unsubscribeSignals: (() => void) | undefined;
  private persistence: { flush(): void; stop(): void } | undefined;
  private restoring: Promise<void> | undefined;
  private readonly persistListeners = new Set<() => void>();
  private idPrefix: string;
  private idCounter = 0;

  constructor(options: ResolvedOptions) {
    this.o = options;
    this.protocol = options.protocol;
    this.timers = new TrackedTimers(options.timers);
    this.events = new Emitter<ConnectionEvents>((error, event) =>
      this.reportListenerError(error, `an on('${String(event)}') listener`),
    );
    this.store = createStore<ConnectionState>()(() => INITIAL_CONNECTION_STATE);
    this.metrics = createStore<MetricsState>()(() => ({ current: EMPTY_METRICS, samples: [] }));
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
        sendPing: (ts) => this.sendPing(ts),
        onDead: (silentForMs) => this.onHeartbeatDead(silentForMs),
        onRtt: (ms) => this.collector.recordRtt(ms),
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  connect(): void {
    const { status } = this.store.getState();
    if (this.wanted && (status === 'open' || status === 'connecting' || status === 'reconnecting')) return;
    this.wanted = true;
    this.startEnvironment();
    this.setState({ status: 'connecting', lastError: undefined, nextRetryAt: undefined });
    this.openSocket();
  }

  close(code = 1000, reason = 'closed by the app'): void {
    const wasWanted = this.wanted;
    this.wanted = false;
    this.teardownSocket(code, reason);
    this.timers.clearAll();
    this.stopEnvironment();
    for (const entry of this.channels.values()) {
      if (entry.refs === 0) this.retireChannel(entry);
      else if (entry.store.getState().status !== 'idle') entry.store.setState({ status: 'idle' });
    }
    this.failInFlight('closed', 'The connection was closed by the app before the server acked it.');
    this.persistence?.flush();
    this.persistence?.stop();
    this.persistence = undefined;
    this.collector.sample();
    this.metrics.setState({ current: this.collector.snapshot() });
    if (wasWanted || this.store.getState().status !== 'idle') {
      this.setState({
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
    this.setState({ status: 'connecting', attempt: 0, nextRetryAt: undefined, lastError: undefined });
    this.openSocket();
  }

  private startEnvironment(): void {
    if (this.unsubscribeSignals === undefined) {
      this.unsubscribeSignals = this.o.signals.subscribe((event) => this.onSignal(event));
      this.setState({ online: this.o.signals.isOnline(), visible: this.o.signals.isVisible() });
    }
    if (!this.timers.has('sample')) this.scheduleSample();
    const storage = this.o.queue.storage;
    if (storage !== undefined && this.persistence === undefined) {
      // Restore before persisting: the first write replaces what is stored.
      this.restoring ??= this.restoreQueue(storage);
      void this.restoring.then(() => {
        if (!this.wanted || this.persistence !== undefined) return;
        this.persistence = persistQueue(
          this.persistSource(),
          storage,
          this.o.queue.storageKey,
          this.o.timers,
          (error) =>
            this.report(
              new SocketboardError('storage', `Could not persist the outbound queue: ${errorMessage(error)}`),
            ),
        );
        // Publishes made while restoring are not saved yet.
        this.persistChanged();
      });
    }
  }

  /**
   * What survives a reload: publishes written but not yet acked (they would be lost otherwise), then
   * the queue, plus the session id so the server recognises resent ids.
   */
  private persistSource(): PersistSource {
    return {
      toArray: () => {
        const entries: QueueEntry[] = [];
        for (const flight of this.inFlight.values()) {
          if (flight.sent) entries.push({ frame: flight.frame, channel: flight.channel, ackId: flight.id });
        }
        for (const entry of this.queue.toArray()) entries.push(entry);
        return entries;
      },
      subscribe: (listener) => {
        const offQueue = this.queue.subscribe(listener);
        this.persistListeners.add(listener);
        return () => {
          offQueue();
          this.persistListeners.delete(listener);
        };
      },
      sessionId: () => this.store.getState().sessionId,
    };
  }

  private persistChanged(): void {
    for (const listener of this.persistListeners) listener();
  }

  private stopEnvironment(): void {
    this.unsubscribeSignals?.();
    this.unsubscribeSignals = undefined;
  }

  private async restoreQueue(storage: StorageAdapter): Promise<void> {
    const { entries, discarded, sessionId } = await loadPersistedQueue(storage, this.o.queue.storageKey, (error) =>
      this.report(new SocketboardError('storage', `Could not read the persisted queue: ${errorMessage(error)}`)),
    );
    if (discarded > 0) {
      this.collector.recordDropped(discarded);
      this.report(new MessageDroppedError('unserializable', `${discarded} persisted frame(s) were unreadable.`));
    }
    if (sessionId !== undefined && this.store.getState().sessionId === undefined) this.setState({ sessionId });
    if (entries.length === 0) return;
    for (const entry of entries) {
      // The promise of a restored acked publish died with the previous page; track it anyway so it is
      // resent after a drop, and report its fate through on('error') instead.
      if (entry.ackId !== undefined && !this.inFlight.has(entry.ackId)) {
        this.track(
          entry.ackId,
          entry.channel ?? '',
          entry.frame,
          this.o.ackTimeoutMs,
          () => {},
          (error) => this.report(error),
        );
      }
    }
    const removed = this.queue.unshiftMany(entries);
    for (const entry of removed) this.reportDrop(entry, 'queue-overflow', 'the restored queue exceeded queue.max.');
    this.drain();
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
        this.setState({ online: true });
        if (this.socket === undefined && this.wanted && this.store.getState().status === 'reconnecting') {
          // The network is back: try now rather than wait out a backoff computed while it was gone.
          this.timers.clear('retry');
          this.openSocket();
        } else {
          this.heartbeat?.probe();
        }
        return;
      case 'offline':
        this.setState({ online: false });
        if (this.timers.has('retry')) {
          // Retrying offline only burns attempts; wait for `online` instead.
          this.timers.clear('retry');
          this.setState({ nextRetryAt: undefined });
        }
        this.heartbeat?.probe();
        return;
      case 'visible':
      case 'pageshow':
        this.setState({ visible: true });
        this.heartbeat?.probe();
        return;
      case 'hidden':
        this.setState({ visible: false });
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
      if (generation === this.generation) this.onFrame(event.data);
    };
    socket.onerror = () => {
      // Browsers give no detail here and always follow with `close`; just remember it happened.
      if (generation === this.generation) {
        this.setState({ lastError: new TransportError('socket-error', 'The WebSocket reported an error.') });
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
      this.setState({ lastError: error });
      this.report(error);
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
    this.setState({
      status: 'open',
      openedAt: now,
      nextRetryAt: undefined,
      lastError: undefined,
      backpressured: false,
    });
    this.timers.set('stable', this.o.reconnect.minStableMs, () => this.setState({ attempt: 0 }));

    // Fixed order after every (re)open: auth, session, resubscriptions, resent acked publishes, queue.
    if (token !== undefined) this.writeControl(() => this.protocol.encodeAuth(token));
    this.writeControl(() => this.protocol.encodeHello(this.store.getState().sessionId));
    for (const entry of this.channels.values()) {
      entry.onWire = false;
      if (entry.refs > 0) this.subscribeOnWire(entry);
    }
    for (const flight of this.inFlight.values()) {
      if (flight.sent) this.write({ frame: flight.frame, channel: flight.channel, ackId: flight.id });
    }
    this.heartbeat?.start();
    this.drain();
  }

  private onSocketClosed(close: CloseInfo): void {
    this.detachSocket();
    let action: CloseAction;
    try {
      action = this.o.reconnect.classifyClose(close.code, close.reason);
    } catch (error) {
      this.reportListenerError(error, 'reconnect.classifyClose');
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
    this.markChannelsPending();
    this.setState({ lastClose: close, openedAt: undefined, backpressured: false });
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
    this.setState({ lastError: error });
    this.report(error);
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
      this.setState({ status: 'reconnecting', nextRetryAt: undefined });
      return;
    }
    const delay = backoffDelay(attempt, this.o.reconnect, this.o.random);
    this.setState({ status: 'reconnecting', attempt, nextRetryAt: this.o.now() + delay });
    this.timers.set('retry', delay, () => {
      this.setState({ nextRetryAt: undefined });
      this.openSocket();
    });
  }

  private giveUp(error: SocketboardError): void {
    this.teardownSocket(1000, 'giving up');
    this.timers.clearAll();
    this.heartbeat?.stop();
    this.wanted = false;
    this.stopEnvironment();
    this.failInFlight('closed', `The connection failed (${error.code}) before the server acked it.`);
    this.setState({ status: 'failed', nextRetryAt: undefined, openedAt: undefined, lastError: error });
    this.report(error);
  }

  private onHeartbeatDead(silentForMs: number): void {
    const error = new TransportError(
      'heartbeat-timeout',
      `No frame for ${silentForMs} ms, including the answer to a ping: the link is dead. Reconnecting.`,
    );
    this.setState({ lastError: error });
    this.report(error);
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

  private markChannelsPending(): void {
    for (const entry of this.channels.values()) {
      entry.onWire = false;
      if (entry.refs > 0 && entry.store.getState().status === 'subscribed')
        entry.store.setState({ status: 'subscribing' });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Outbound

  send(frame: OutboundFrame): SendResult {
    return this.enqueueOrSend({ frame });
  }

  publish(channel: string, data: unknown, options?: PublishOptions): SendResult | Promise<Ack> {
    if (options?.ack === true) return this.publishAcked(channel, data, options.timeoutMs ?? this.o.ackTimeoutMs);
    let frame: OutboundFrame;
    try {
      frame = this.protocol.encodePublish(channel, data);
    } catch (error) {
      this.reportDrop({ frame: '', channel }, 'unserializable', errorMessage(error));
      return 'dropped';
    }
    return this.enqueueOrSend({ frame, channel });
  }

  private publishAcked(channel: string, data: unknown, timeoutMs: number): Promise<Ack> {
    if (!this.protocol.acks) {
      return Promise.reject(
        new SocketboardError(
          'acks-unsupported',
          `The ${this.protocol.name} protocol has no acks; publish without { ack: true }, or use socketboardProtocol().`,
        ),
      );
    }
    const id = this.idPrefix + (++this.idCounter).toString(36);
    let frame: OutboundFrame;
    try {
      frame = this.protocol.encodePublish(channel, data, id);
    } catch (error) {
      const dropped = new MessageDroppedError('unserializable', errorMessage(error), channel);
      this.collector.recordDropped();
      this.report(dropped);
      return Promise.reject(dropped);
    }
    return new Promise<Ack>((resolve, reject) => {
      this.track(id, channel, frame, timeoutMs, resolve, reject);
      const result = this.enqueueOrSendChecked({ frame, channel, ackId: id });
      if (result instanceof MessageDroppedError) this.settleFlight(id, undefined, result);
    });
  }

  /** Registers an acked publish as in flight until its ack, nack or timeout. */
  private track(
    id: string,
    channel: string,
    frame: OutboundFrame,
    timeoutMs: number,
    resolve: (ack: Ack) => void,
    reject: (error: SocketboardError) => void,
  ): void {
    const flight: InFlight = { id, channel, frame, sent: false, timer: undefined, resolve, reject };
    this.inFlight.set(id, flight);
    flight.timer = this.o.timers.setTimeout(() => {
      if (this.inFlight.get(id) !== flight) return;
      this.inFlight.delete(id);
      // Still queued: it will never be wanted now, so do not send it later.
      this.queue.removeWhere((entry) => entry.ackId === id);
      this.persistChanged();
      reject(new AckTimeoutError(id, channel, timeoutMs));
    }, timeoutMs);
  }

  private enqueueOrSend(entry: QueueEntry): SendResult {
    const result = this.enqueueOrSendChecked(entry);
    if (result instanceof MessageDroppedError) {
      if (this.o.queue.overflow === 'reject') throw result;
      return 'dropped';
    }
    return result;
  }

  /** Writes now when possible, else queues; every refusal or eviction is counted and reported. */
  private enqueueOrSendChecked(entry: QueueEntry): SendResult | MessageDroppedError {
    if (this.canWrite() && this.queue.size === 0) {
      if (this.write(entry)) return 'sent';
    }
    const result = this.queue.push(entry);
    if (result.accepted) {
      if (result.evicted !== undefined) {
        this.reportDrop(
          result.evicted,
          'queue-overflow',
          `the queue is full (queue.max = ${this.queue.max}); evicted the oldest.`,
        );
      }
      return 'queued';
    }
    const error = new MessageDroppedError(
      'queue-overflow',
      `the queue is full (queue.max = ${this.queue.max}, overflow '${result.policy}').`,
      entry.channel,
    );
    this.collector.recordDropped();
    this.report(error);
    return error;
  }

  private canWrite(): boolean {
    const { status, backpressured } = this.store.getState();
    return this.socket !== undefined && status === 'open' && !backpressured && this.socket.readyState === OPEN;
  }

  /** Writes one frame to the open socket. Returns false (and leaves the entry unsent) when the socket refused it. */
  private write(entry: QueueEntry): boolean {
    const socket = this.socket;
    // A socket whose close frame arrived but whose close event has not fired yet is CLOSING: a send
    // now would be lost (and browsers log an error), so the frame stays queued for the next socket.
    if (socket === undefined || socket.readyState !== OPEN) return false;
    try {
      socket.send(entry.frame);
    } catch {
      return false;
    }
    this.collector.recordOut(
      typeof entry.frame === 'string' ? utf8ByteLength(entry.frame) : frameByteLength(entry.frame),
    );
    if (entry.ackId !== undefined) {
      const flight = this.inFlight.get(entry.ackId);
      if (flight !== undefined && !flight.sent) {
        flight.sent = true;
        this.persistChanged();
      }
    }
    if (socket.bufferedAmount > this.o.backpressure.highWaterMark) this.startBackpressure();
    return true;
  }

  /**
   * Control frames (auth, hello, sub, ping) skip the queue: they must lead, and are tiny. A protocol's
   * encoder may throw (a user callback of the raw protocol); that is reported, never thrown.
   */
  private writeControl(encode: () => OutboundFrame | undefined): boolean {
    if (this.socket === undefined) return false;
    let frame: OutboundFrame | undefined;
    try {
      frame = encode();
    } catch (error) {
      this.reportDrop({ frame: '' }, 'unserializable', `a control frame could not be encoded: ${errorMessage(error)}`);
      return false;
    }
    if (frame === undefined) return false;
    return this.write({ frame });
  }

  private drain(): void {
    while (this.queue.size > 0 && this.canWrite()) {
      const entry = this.queue.peek()!;
      if (!this.write(entry)) return;
      this.queue.shift();
    }
  }

  private startBackpressure(): void {
    if (this.store.getState().backpressured) return;
    this.setState({ backpressured: true });
    const poll = () => {
      const socket = this.socket;
      if (socket === undefined) return;
      if (socket.bufferedAmount <= this.o.backpressure.lowWaterMark) {
        this.setState({ backpressured: false });
        this.drain();
      } else {
        this.timers.set('backpressure', this.o.backpressure.pollMs, poll);
      }
    };
    this.timers.set('backpressure', this.o.backpressure.pollMs, poll);
  }

  private sendPing(ts: number): boolean {
    return this.writeControl(() => this.protocol.encodePing(ts));
  }

  private reportDrop(entry: QueueEntry, reason: DropReason, detail: string): void {
    const error = new MessageDroppedError(reason, detail, entry.channel);
    this.collector.recordDropped();
    if (entry.ackId !== undefined) this.settleFlight(entry.ackId, undefined, error);
    this.report(error);
  }

  private settleFlight(id: string, ack: Ack | undefined, error?: SocketboardError): void {
    const flight = this.inFlight.get(id);
    if (flight === undefined) return;
    this.inFlight.delete(id);
    this.o.timers.clearTimeout(flight.timer);
    if (flight.sent) this.persistChanged();
    if (error !== undefined) flight.reject(error);
    else flight.resolve(ack ?? { id, channel: flight.channel });
  }

  private failInFlight(reason: DropReason, detail: string): void {
    if (this.inFlight.size === 0) return;
    const ids = new Set(this.inFlight.keys());
    this.queue.removeWhere((entry) => entry.ackId !== undefined && ids.has(entry.ackId));
    for (const id of ids) {
      const flight = this.inFlight.get(id)!;
      this.collector.recordDropped();
      this.settleFlight(id, undefined, new ConnectionClosedError(`Message ${id} on "${flight.channel}": ${detail}`));
    }
    void reason;
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound

  private onFrame(raw: unknown): void {
    const now = this.o.now();
    this.lastInboundAt = now;
    this.heartbeat?.inbound(now);
    this.touchLastMessageAt(now);
    if (typeof raw !== 'string' && !(raw instanceof ArrayBuffer)) {
      // `binaryType = 'arraybuffer'` makes this impossible in browsers; some Node shims hand over Buffers.
      if (ArrayBuffer.isView(raw)) raw = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
      else {
        this.decodeFailed(`unsupported frame type ${typeof raw}`, '');
        return;
      }
    }
    const frame = raw as InboundFrame;
    const bytes = typeof frame === 'string' ? utf8ByteLength(frame) : frame.byteLength;
    this.collector.recordIn(bytes);
    if (bytes > this.o.maxMessageBytes) {
      this.decodeFailed(`${bytes} bytes is over maxMessageBytes (${this.o.maxMessageBytes})`, excerpt(frame));
      return;
    }
    const result = this.protocol.decode(frame);
    if (!result.ok) {
      this.decodeFailed(result.reason, excerpt(frame), result.channel);
      return;
    }
    this.onEvent(result.event, now);
  }

  private onEvent(event: InboundEvent, now: number): void {
    switch (event.type) {
      case 'message':
        this.onMessage(event.channel, event.data, event.seq, now);
        return;
      case 'subscribed': {
        const entry = this.channels.get(event.channel);
        if (entry === undefined) return;
        const resumed = entry.store.getState().seq === undefined && event.resumed !== false ? undefined : event.resumed;
        entry.refusals = 0;
        entry.store.setState({
          status: entry.refs > 0 ? 'subscribed' : entry.store.getState().status,
          seq: event.seq ?? entry.store.getState().seq,
          resumed: resumed ?? entry.store.getState().resumed,
          error: undefined,
        });
        return;
      }
      case 'ack': {
        const flight = this.inFlight.get(event.id);
        if (flight !== undefined) this.settleFlight(event.id, { id: event.id, channel: flight.channel });
        return;
      }
      case 'nack': {
        const flight = this.inFlight.get(event.id);
        if (flight !== undefined) {
          this.settleFlight(event.id, undefined, new NackError(event.id, flight.channel, event.code, event.reason));
        }
        return;
      }
      case 'pong':
        this.heartbeat?.pong(event.ts);
        return;
      case 'welcome':
        this.setState({ sessionId: event.sessionId });
        this.persistChanged();
        return;
      case 'error': {
        const error = new ServerError(event.code, event.reason, event.channel);
        if (event.channel !== undefined) {
          const entry = this.channels.get(event.channel);
          if (entry !== undefined && entry.store.getState().status === 'subscribing') {
            entry.store.setState({ status: 'error', error });
            if (TRANSIENT_REFUSALS.has(event.code)) this.retrySubscription(entry);
          }
        }
        this.setState({ lastError: error });
        this.report(error);
        return;
      }
    }
  }

  private onMessage(channel: string | undefined, data: unknown, seq: number | undefined, now: number): void {
    const entry = channel === undefined ? undefined : this.channels.get(channel);
    if (entry !== undefined) {
      const last = entry.store.getState().seq;
      if (seq !== undefined && last !== undefined && seq <= last) {
        // Replay overlapping what we already have: exactly-once as far as the app can tell.
        this.collector.recordDuplicate();
        return;
      }
      if (entry.schema !== undefined || entry.validation !== undefined) {
        this.validateThenDeliver(entry, data, seq, now);
        return;
      }
      entry.deliver(data, seq, now, (error) =>
        this.reportListenerError(error, `a listener of channel "${entry.name}"`),
      );
    }
    if (this.events.has('message')) this.events.emit('message', { channel, data, seq, receivedAt: now });
  }

  private validateThenDeliver(entry: ChannelEntry, data: unknown, seq: number | undefined, now: number): void {
    const finish = (result: StandardSchemaResult<unknown>) => {
      if (result.issues !== undefined) {
        this.decodeFailed(
          `schema rejected the payload (${describeIssues(result.issues)})`,
          safeExcerpt(data),
          entry.name,
        );
        return;
      }
      entry.deliver(result.value, seq, now, (error) =>
        this.reportListenerError(error, `a listener of channel "${entry.name}"`),
      );
      if (this.events.has('message'))
        this.events.emit('message', { channel: entry.name, data: result.value, seq, receivedAt: now });
    };
    const fail = (error: unknown) =>
      this.decodeFailed(`schema threw: ${errorMessage(error)}`, safeExcerpt(data), entry.name);
    const run = (schema: StandardSchemaV1 | undefined) => {
      if (schema === undefined) return finish({ value: data });
      try {
        return schema['~standard'].validate(data);
      } catch (error) {
        fail(error);
        return undefined;
      }
    };
    if (entry.validation === undefined) {
      const result = run(entry.schema);
      if (result === undefined) return;
      if (!(result instanceof Promise)) {
        finish(result);
        return;
      }
      // An async validator: later messages on this channel wait their turn so order is kept.
      const chained = result.then(finish, fail).finally(() => {
        if (entry.validation === chained) entry.validation = undefined;
      });
      entry.validation = chained;
      return;
    }
    const chained: Promise<void> = entry.validation
      .then(async () => {
        const result = run(entry.schema);
        if (result === undefined) return;
        finish(await result);
      })
      .catch(fail)
      .finally(() => {
        if (entry.validation === chained) entry.validation = undefined;
      });
    entry.validation = chained;
  }

  private decodeFailed(reason: string, frameExcerpt: string, channel?: string): void {
    this.collector.recordDecodeError();
    const error = new DecodeError(reason, frameExcerpt, channel);
    this.setState({ lastError: error });
    this.report(error);
  }

  private touchLastMessageAt(now: number): void {
    if (now - this.lastStateWriteAt >= STATE_WRITE_INTERVAL_MS) {
      this.lastStateWriteAt = now;
      this.setState({ lastMessageAt: now });
      return;
    }
    if (!this.timers.has('lastMessage')) {
      // Trailing write, so the store never lags the truth by more than the interval.
      this.timers.set('lastMessage', STATE_WRITE_INTERVAL_MS - (now - this.lastStateWriteAt), () => {
        this.lastStateWriteAt = this.o.now();
        this.setState({ lastMessageAt: this.lastInboundAt });
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Channels

  subscribe(channel: string, listener: ChannelListener, options?: SubscribeOptions): () => void {
    if (typeof channel !== 'string' || channel.length === 0) {
      throw new SocketboardError(
        'bad-channel',
        `subscribe() needs a non-empty channel name, got ${JSON.stringify(channel)}.`,
      );
    }
    if (typeof listener !== 'function') {
      throw new SocketboardError('bad-listener', `subscribe("${channel}", listener) needs a function as listener.`);
    }
    const history = options?.history ?? 0;
    if (!Number.isInteger(history) || history < 0) {
      throw new SocketboardError(
        'bad-history',
        `subscribe("${channel}") history must be a whole number >= 0, got ${String(history)}.`,
      );
    }
    const entry = this.entry(channel);
    if (options?.schema !== undefined) entry.schema = options.schema;
    const subscriber = entry.add(listener, history);
    this.timers.clear(`grace:${channel}`);
    if (entry.refs === 1 && !entry.onWire) {
      entry.store.setState({ status: 'subscribing', error: undefined });
      if (this.store.getState().status === 'open') this.subscribeOnWire(entry);
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      entry.remove(subscriber);
      if (entry.refs > 0) return;
      if (!this.wanted) {
        // Not connected (idle, closed, failed): nothing on the wire to keep warm, and a grace timer
        // armed now would outlive close() (e.g. components unmounting after their provider closed).
        this.retireChannel(entry);
        return;
      }
      this.timers.set(`grace:${channel}`, this.o.channelGraceMs, () => {
        if (entry.refs === 0) this.retireChannel(entry);
      });
    };
  }

  channel(name: string): ReadonlyStore<ChannelState> {
    return this.entry(name).store;
  }

  private entry(name: string): ChannelEntry {
    let entry = this.channels.get(name);
    if (entry === undefined) {
      entry = new ChannelEntry(name);
      this.channels.set(name, entry);
    }
    return entry;
  }

  private subscribeOnWire(entry: ChannelEntry): void {
    const since = this.protocol.replay ? entry.store.getState().seq : undefined;
    let frame: OutboundFrame | undefined;
    try {
      frame = this.protocol.encodeSubscribe(entry.name, since);
    } catch (error) {
      this.reportDrop({ frame: '', channel: entry.name }, 'unserializable', `subscribe: ${errorMessage(error)}`);
      return;
    }
    entry.onWire = true;
    if (frame === undefined) {
      // This protocol has no subscriptions: the channel is live as soon as the socket is.
      entry.store.setState({ status: 'subscribed' });
      return;
    }
    entry.store.setState({ status: 'subscribing' });
    this.writeControl(() => frame);
  }

  /**
   * The server refused a subscription for a reason that passes (its broker is down, a rate limit):
   * ask again with backoff on this socket, instead of leaving the channel dead until a reconnect.
   */
  private retrySubscription(entry: ChannelEntry): void {
    entry.refusals++;
    entry.onWire = false;
    const delay = backoffDelay(entry.refusals, this.o.reconnect, this.o.random);
    this.timers.set(`resubscribe:${entry.name}`, delay, () => {
      if (entry.refs > 0 && !entry.onWire && this.store.getState().status === 'open') this.subscribeOnWire(entry);
    });
  }

  /** Nobody listens any more: unsubscribe on the wire and release the history. The store and its last value stay. */
  private retireChannel(entry: ChannelEntry): void {
    this.timers.clear(`grace:${entry.name}`);
    this.timers.clear(`resubscribe:${entry.name}`);
    entry.refusals = 0;
    if (entry.onWire && this.store.getState().status === 'open') {
      this.writeControl(() => this.protocol.encodeUnsubscribe(entry.name));
    }
    entry.onWire = false;
    entry.schema = undefined;
    entry.store.setState({ status: 'idle', history: [] });
  }

  // ---------------------------------------------------------------------------------------------
  // Events, state, reporting

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

  private setState(patch: Partial<ConnectionState>): void {
    const previous = this.store.getState().status;
    this.store.setState(patch);
    const next = this.store.getState();
    if (next.status !== previous) this.events.emit('status', next, previous);
  }

  private report(error: SocketboardError): void {
    this.events.emit('error', error);
  }

  private reportListenerError(error: unknown, where: string): void {
    const wrapped = new SocketboardError(
      'listener',
      `${where} threw: ${errorMessage(error)}. Fix the listener; the connection carries on.`,
      {
        cause: error,
      },
    );
    if (where.startsWith("an on('error')")) {
      // Reporting an error listener's failure to itself would loop.
      this.setState({ lastError: wrapped });
      return;
    }
    this.report(wrapped);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeExcerpt(data: unknown): string {
  try {
    return excerpt(JSON.stringify(data) ?? String(data));
  } catch {
    return '<unprintable>';
  }
}

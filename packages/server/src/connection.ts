import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { BrokerMessage } from './broker';
import type { ClientFrame } from './codec';
import { Deque } from './deque';
import type { ServerMetrics } from './metrics';
import type { BatchOptions, ConnectionInfo, SlowConsumerOptions } from './options';
import { TokenBucket, WindowCounter } from './token-bucket';

/** One channel subscription of one connection. */
export interface Subscription {
  readonly connection: ClientConnection<unknown>;
  readonly channel: string;
  /**
   * Live messages that arrived while the replay was being fetched; sent after `subd`, those above
   * the replay's seq. `undefined` once live.
   */
  pending: BrokerMessage[] | undefined;
  pendingBytes: number;
  /**
   * The seq sent in `subd`: live messages at or below it were replayed or predate the subscription.
   * A networked broker can deliver such a message after the replay that held it (two connections).
   */
  floor: number;
}

/** Handles one frame; returns a promise when it had to wait (the next frame waits for it). */
export type FrameHandler = (connection: ClientConnection<unknown>, frame: ClientFrame) => Promise<void> | undefined;

const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

// The socket is paused above the high mark of frames waiting to be handled and resumed below the
// low one, so a client that sends faster than hooks and the broker answer cannot grow memory.
const QUEUE_HIGH_WATER = 1_024;
const QUEUE_LOW_WATER = 256;

export interface ConnectionSetup {
  readonly id: string;
  readonly ws: WebSocket;
  readonly request: IncomingMessage;
  readonly principal: unknown;
  readonly authenticated: boolean;
  readonly metrics: ServerMetrics;
  readonly slowConsumer: SlowConsumerOptions;
  readonly rateLimit: { readonly messagesPerSecond: number; readonly burst: number } | undefined;
  readonly now: number;
  /** Coalesce the frames of one event-loop turn into one array message; `undefined`: one message per frame. */
  readonly batch: BatchOptions | undefined;
  readonly handle: FrameHandler;
  readonly onHandlerError: (error: unknown, connection: ClientConnection<unknown>) => void;
}

/**
 * Server-side state of one client connection: auth, session, subscriptions, rate limits, and the
 * in-order frame queue. Frames are handled one at a time in arrival order, so a publish never
 * overtakes the one before it even when hooks or the broker are slow.
 */
export class ClientConnection<P> implements ConnectionInfo<P> {
  readonly id: string;
  readonly ws: WebSocket;
  readonly request: IncomingMessage;
  readonly remoteAddress: string | undefined;
  principal: P | undefined;
  authenticated: boolean;
  sessionId: string | undefined;
  /** `welcome` was sent: a second `hello` is a protocol error. */
  sessionAnnounced = false;
  /** This connection holds `sessionId` in the broker and must release it. */
  sessionHeld = false;
  readonly subscriptions = new Map<string, Subscription>();
  state: 'open' | 'closing' | 'closed' = 'open';
  /** Seen something (frame or pong) since the last heartbeat ping. */
  alive = true;
  readonly bucket: TokenBucket | undefined;
  readonly refused = new WindowCounter();
  readonly malformed = new WindowCounter();
  authTimer: NodeJS.Timeout | undefined;
  expiryTimer: NodeJS.Timeout | undefined;

  private readonly metrics: ServerMetrics;
  private readonly slowConsumer: SlowConsumerOptions;
  private readonly handle: FrameHandler;
  private readonly onHandlerError: ConnectionSetup['onHandlerError'];
  private readonly queue = new Deque<ClientFrame>();
  private busy = false;
  private paused = false;
  private readonly batch: BatchOptions | undefined;
  /** Frames written this turn, not yet on the socket (batching only); their bytes, brackets excluded. */
  private outbox: Array<Buffer | string> = [];
  private outboxBytes = 0;
  private flushArmed = false;
  private readonly flushOutbox = () => {
    this.flushArmed = false;
    this.flush();
  };

  constructor(setup: ConnectionSetup) {
    this.id = setup.id;
    this.ws = setup.ws;
    this.request = setup.request;
    this.remoteAddress = setup.request.socket.remoteAddress;
    this.principal = setup.principal as P | undefined;
    this.authenticated = setup.authenticated;
    this.metrics = setup.metrics;
    this.slowConsumer = setup.slowConsumer;
    this.handle = setup.handle;
    this.onHandlerError = setup.onHandlerError;
    this.batch = setup.batch;
    this.bucket =
      setup.rateLimit === undefined
        ? undefined
        : new TokenBucket(setup.rateLimit.messagesPerSecond, setup.rateLimit.burst, setup.now);
  }

  get channels(): ReadonlySet<string> {
    return new Set(this.subscriptions.keys());
  }

  /** Sends a control frame (never subject to the slow-consumer policy: they are small and say what happened). */
  send(frame: string): void {
    if (this.state !== 'open') return;
    this.write(frame, Buffer.byteLength(frame));
  }

  /**
   * Sends a channel message, unless the client cannot keep up: then the slow-consumer policy decides.
   * A Buffer is sent as a text frame as is, so a fan-out encodes the frame once for all its clients.
   */
  sendMessage(frame: Buffer | string, bytes: number): void {
    if (this.state !== 'open') return;
    // Frames waiting in the outbox are as good as buffered: they reach the socket at the end of the turn.
    if (this.ws.bufferedAmount + this.outboxBytes + bytes > this.slowConsumer.maxBufferedBytes) {
      this.onSlow();
      return;
    }
    this.write(frame, bytes);
  }

  /**
   * Every frame to this client goes through here, so frames keep their order whether batched or not.
   * With batching, the frames of one turn wait in the outbox and leave in one message when the turn's
   * microtasks run out (see `BatchOptions`).
   */
  private write(frame: Buffer | string, bytes: number): void {
    const batch = this.batch;
    if (batch === undefined) {
      this.ws.send(frame, { binary: false });
      this.metrics.messagesOut += 1;
      this.metrics.bytesOut += bytes;
      return;
    }
    // A batch never grows past maxBytes (brackets and commas included), so a client whose message size
    // limit accepts each frame alone also accepts the batches: flush what is there and start a new one.
    if (this.outbox.length > 0 && this.outboxBytes + this.outbox.length + bytes + 2 > batch.maxBytes) this.flush();
    this.outbox.push(frame);
    this.outboxBytes += bytes;
    if (!this.flushArmed) {
      this.flushArmed = true;
      queueMicrotask(this.flushOutbox);
    }
  }

  /** Sends what the outbox holds: one frame as itself, several as one JSON array (PROTOCOL.md, batches). */
  private flush(): void {
    const frames = this.outbox;
    const count = frames.length;
    if (count === 0) return;
    const bytes = this.outboxBytes;
    this.outbox = [];
    this.outboxBytes = 0;
    if (this.state !== 'open') return;
    // Counted as frames: a batch of n is n messages out, and its bytes are what went on the wire.
    this.metrics.messagesOut += count;
    if (count === 1) {
      this.ws.send(frames[0]!, { binary: false });
      this.metrics.bytesOut += bytes;
      return;
    }
    // Frames are JSON objects, so "[" + frames joined by "," + "]" is the array without re-encoding.
    const total = bytes + count + 1;
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    for (let i = 0; i < count; i++) {
      out[at++] = i === 0 ? OPEN_BRACKET : COMMA;
      const frame = frames[i]!;
      at += typeof frame === 'string' ? out.write(frame, at, 'utf8') : frame.copy(out, at);
    }
    out[at++] = CLOSE_BRACKET;
    this.ws.send(at === total ? out : out.subarray(0, at), { binary: false });
    this.metrics.bytesOut += at;
  }

  /** Parks a live message until the subscription's replay has been sent. */
  park(subscription: Subscription, message: BrokerMessage): void {
    const bytes = message.payload.length;
    if (subscription.pendingBytes + bytes > this.slowConsumer.maxBufferedBytes) {
      this.onSlow();
      return;
    }
    subscription.pending!.push(message);
    subscription.pendingBytes += bytes;
  }

  private onSlow(): void {
    if (this.slowConsumer.policy === 'drop') {
      this.metrics.slowConsumerDrops += 1;
      return;
    }
    this.metrics.slowConsumerCloses += 1;
    // Its buffer is dropped (PROTOCOL.md, close 1013): the client resumes with `since` instead.
    this.discardOutbox();
    // 1013 "try again later": the client reconnects with backoff and resumes from its last seq.
    this.close(1013, 'slow consumer: too much data buffered');
  }

  close(code = 1000, reason = ''): void {
    if (this.state !== 'open') return;
    // Frames of this turn go before the close frame, e.g. the `err` that says why the connection closes.
    this.flush();
    this.state = 'closing';
    this.queue.clear();
    try {
      this.ws.close(code, reason);
    } catch {
      // An invalid code from a caller of ConnectionInfo.close must not leave the socket open.
      this.ws.terminate();
    }
  }

  terminate(): void {
    if (this.state === 'open') this.state = 'closing';
    this.discardOutbox();
    this.queue.clear();
    this.ws.terminate();
  }

  private discardOutbox(): void {
    this.outbox = [];
    this.outboxBytes = 0;
  }

  enqueue(frame: ClientFrame): void {
    this.queue.push(frame);
    if (!this.paused && this.queue.size > QUEUE_HIGH_WATER) {
      this.paused = true;
      this.ws.pause();
    }
    if (!this.busy) this.pump();
  }

  private pump(): void {
    for (;;) {
      if (this.state !== 'open') {
        // A closed connection's unhandled frames are dropped: a client resends unacked publishes.
        this.queue.clear();
        return;
      }
      const frame = this.queue.shift();
      if (frame === undefined) return;
      if (this.paused && this.queue.size < QUEUE_LOW_WATER) {
        this.paused = false;
        this.ws.resume();
      }
      let pending: Promise<void> | undefined;
      try {
        pending = this.handle(this, frame);
      } catch (error) {
        this.onHandlerError(error, this);
      }
      if (pending !== undefined) {
        this.busy = true;
        pending.then(
          () => this.resumePump(),
          (error: unknown) => {
            this.onHandlerError(error, this);
            this.resumePump();
          },
        );
        return;
      }
    }
  }

  private resumePump(): void {
    this.busy = false;
    this.pump();
  }

  clearTimers(): void {
    clearTimeout(this.authTimer);
    clearTimeout(this.expiryTimer);
    this.authTimer = undefined;
    this.expiryTimer = undefined;
  }
}

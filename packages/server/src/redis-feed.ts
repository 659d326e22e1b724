import type { BrokerListener, BrokerMessage } from './broker';

/** What a feed reads from the store to fill a gap. */
export interface FeedSource {
  /** The channel's current seq and the held messages above `after`, oldest first. */
  read(channel: string, after: number): Promise<{ readonly seq: number; readonly messages: readonly BrokerMessage[] }>;
}

export interface FeedEvents {
  /** Messages fetched from the store because the live feed skipped them. */
  filled(count: number): void;
  /** The feed lost messages it could not fetch; every listener was told. */
  interrupted(channel: string): void;
  /** A fetch failed (the store is unreachable): the feed waits, suspended, for `resync`. */
  failed(error: unknown): void;
}

interface FeedListener {
  readonly listener: BrokerListener;
  readonly onInterrupted: (() => void) | undefined;
}

/**
 * One channel's live feed on this node: turns what pub/sub brings (which may skip messages while
 * the link is down) into an exact, in-order stream for its listeners. A message is delivered when
 * its seq is the next one; a gap is filled from the store's log; a gap the log cannot fill is
 * reported to every listener (`onInterrupted`) and delivery goes on after it.
 *
 * Modes: `starting` (buffering until the current seq is known), `live`, `catching` (reading the log;
 * live messages are buffered), `suspended` (the link is down: live messages are dropped, the log
 * has them, and `resync` reads them once the link is back).
 */
export class ChannelFeed {
  readonly listeners = new Set<FeedListener>();
  /** Subscribers still waiting for `ready`: the feed is kept while there are any. */
  waiting = 0;
  ready: Promise<void> = Promise.resolve();

  private last = 0;
  /** The link dropped (or came back) while starting: read the log once started. */
  private missed = false;
  private mode: 'starting' | 'live' | 'catching' | 'suspended' = 'starting';
  private buffer: BrokerMessage[] = [];
  /** Another read is needed after the current one (a gap seen meanwhile, or a resync). */
  private again = false;
  /** Bumped by `suspend` and `close`, so a read in flight from before is ignored. */
  private generation = 0;
  private closed = false;

  constructor(
    readonly channel: string,
    private readonly source: FeedSource,
    private readonly events: FeedEvents,
  ) {}

  add(listener: BrokerListener, onInterrupted: (() => void) | undefined): FeedListener {
    const entry = { listener, onInterrupted };
    this.listeners.add(entry);
    return entry;
  }

  /** The subscription is on and `seq` was read after it: deliver what comes after `seq`. */
  start(seq: number): void {
    if (this.closed) return;
    this.last = seq;
    this.mode = 'live';
    if (this.missed) {
      // The link dropped while starting: pub/sub may have skipped some; read them from the log.
      this.missed = false;
      void this.catchUp();
    } else {
      this.drain();
    }
  }

  /** Needs a read from the log before it can be trusted again (suspended, or a read failed). */
  get stale(): boolean {
    return this.mode === 'suspended';
  }

  /** A message from pub/sub. */
  receive(message: BrokerMessage): void {
    switch (this.mode) {
      case 'live':
        if (message.seq === this.last + 1) {
          this.last = message.seq;
          this.deliver(message);
        } else if (message.seq > this.last) {
          this.buffer.push(message);
          void this.catchUp();
        }
        return;
      case 'starting':
      case 'catching':
        this.buffer.push(message);
        return;
      case 'suspended':
        return;
    }
  }

  /** The pub/sub link is down: what it misses will be read from the log by `resync`. */
  suspend(): void {
    if (this.closed) return;
    this.generation += 1;
    this.buffer = [];
    this.again = false;
    if (this.mode === 'starting') this.missed = true;
    else this.mode = 'suspended';
  }

  /**
   * The link is back. `lost`: the store lost its state (a restart without persistence), so the
   * numbering restarted and nothing after `last` can be trusted: interrupt, then follow the new
   * numbering. Otherwise read the log from `last` and deliver what was missed.
   */
  async resync(lost: boolean): Promise<void> {
    if (this.closed) return;
    if (this.mode === 'starting') {
      // No listener yet, nothing delivered: `start` reads the log once it knows where to begin.
      this.missed = true;
      return;
    }
    if (lost) {
      this.generation += 1;
      this.buffer = [];
      this.mode = 'catching';
      this.interrupt();
      const generation = this.generation;
      try {
        const { seq } = await this.source.read(this.channel, -1);
        if (generation !== this.generation || this.closed) return;
        this.last = seq;
        this.mode = 'live';
        this.drain();
      } catch (error) {
        if (generation !== this.generation || this.closed) return;
        this.fail(error);
      }
      return;
    }
    if (this.mode === 'suspended') this.mode = 'live';
    await this.catchUp();
  }

  close(): void {
    this.closed = true;
    this.generation += 1;
    this.buffer = [];
    this.listeners.clear();
  }

  /** Reads the log from `last` until nothing is missing, then goes live. */
  private async catchUp(): Promise<void> {
    if (this.mode === 'catching') {
      this.again = true;
      return;
    }
    if (this.mode !== 'live' || this.closed) return;
    this.mode = 'catching';
    const generation = this.generation;
    try {
      do {
        this.again = false;
        const after = this.last;
        const { seq, messages } = await this.source.read(this.channel, after);
        if (generation !== this.generation || this.closed) return;
        this.apply(after, seq, messages);
        this.again = this.drain() || this.again;
      } while (this.again);
      this.mode = 'live';
    } catch (error) {
      if (generation !== this.generation || this.closed) return;
      this.fail(error);
    }
  }

  private apply(after: number, seq: number, messages: readonly BrokerMessage[]): void {
    if (seq < after) {
      // The counter went backwards: the store lost the channel's state.
      this.interrupt();
      this.last = seq;
      return;
    }
    if (seq === after) return;
    const first = messages[0]?.seq;
    if (first === undefined || first > after + 1) this.interrupt();
    let filled = 0;
    for (const message of messages) {
      if (message.seq <= this.last) continue;
      this.last = message.seq;
      filled += 1;
      this.deliver(message);
    }
    if (filled > 0) this.events.filled(filled);
    // Nothing held up to `seq` (the log is off, or expired): go on after it.
    if (this.last < seq) this.last = seq;
  }

  /** Delivers buffered messages in order; `true` when one of them is past a gap (read again). */
  private drain(): boolean {
    if (this.buffer.length === 0) return false;
    const buffered = this.buffer;
    this.buffer = [];
    // Pub/sub brings messages in seq order, but a buffer can hold two runs (before and after a gap).
    buffered.sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < buffered.length; i++) {
      const message = buffered[i]!;
      if (message.seq <= this.last) continue;
      if (message.seq !== this.last + 1) {
        this.buffer = buffered.slice(i);
        if (this.mode === 'live') void this.catchUp();
        return true;
      }
      this.last = message.seq;
      this.deliver(message);
    }
    return false;
  }

  private deliver(message: BrokerMessage): void {
    for (const entry of this.listeners) {
      try {
        entry.listener(message);
      } catch {
        // The contract says listeners do not throw; one that does must not starve the others.
      }
    }
  }

  private interrupt(): void {
    this.events.interrupted(this.channel);
    for (const entry of this.listeners) {
      try {
        entry.onInterrupted?.();
      } catch {
        // as in deliver
      }
    }
  }

  private fail(error: unknown): void {
    this.mode = 'suspended';
    this.buffer = [];
    this.events.failed(error);
  }
}

import { SocketboardConfigError } from './errors';
import type { OverflowPolicy } from './options';
import type { OutboundFrame } from './protocol/types';

/** One frame waiting to be written to the socket. */
export interface QueueEntry {
  readonly frame: OutboundFrame;
  /** The channel it was published on, for drop reports. */
  readonly channel?: string;
  /** Set for acked publishes, so a timed-out one can be taken out before it is sent. */
  readonly ackId?: string;
}

export type EnqueueResult =
  /** Taken. With `drop-oldest` on a full queue, `evicted` is the oldest entry, pushed out to make room. */
  | { readonly accepted: true; readonly evicted: QueueEntry | undefined }
  /** The queue was full and its policy refused the new entry. */
  | { readonly accepted: false; readonly policy: 'drop-newest' | 'reject' };

const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['drop-oldest', 'drop-newest', 'reject'];

// `push` runs per message: the common outcomes are shared frozen objects so it allocates nothing.
const ACCEPTED: EnqueueResult = Object.freeze({ accepted: true, evicted: undefined });
const REFUSED_DROP_NEWEST: EnqueueResult = Object.freeze({ accepted: false, policy: 'drop-newest' });
const REFUSED_REJECT: EnqueueResult = Object.freeze({ accepted: false, policy: 'reject' });

/** Storage starts small (most queues stay near empty) and grows by doubling up to `max`. */
const INITIAL_CAPACITY = 16;

/**
 * A bounded FIFO of outbound frames with an explicit overflow policy. It never holds more than `max`
 * entries, and every entry it refuses or evicts is counted in `dropped`, so nothing is lost silently:
 * the caller reports each one.
 *
 * A growable ring buffer keeps `push` and `shift` O(1) amortised at thousands of frames per second.
 */
export class OutboundQueue {
  readonly max: number;
  readonly overflow: OverflowPolicy;

  // Ring storage: `length` entries starting at `head`, wrapping at `items.length`. Slots outside that
  // range hold `undefined` so shifted entries can be garbage-collected.
  private items: (QueueEntry | undefined)[] = [];
  private head = 0;
  private length = 0;
  private droppedCount = 0;
  private readonly listeners = new Set<() => void>();

  /**
   * @param max Most entries held: a whole number ≥ 1, or `Infinity` for an unbounded queue.
   * @param overflow What `push` does when the queue is full.
   */
  constructor(max: number, overflow: OverflowPolicy) {
    if (!((Number.isSafeInteger(max) && max >= 1) || max === Infinity)) {
      throw new SocketboardConfigError('queue.max', `must be a whole number ≥ 1 (or Infinity), got ${String(max)}.`);
    }
    if (!OVERFLOW_POLICIES.includes(overflow)) {
      throw new SocketboardConfigError(
        'queue.overflow',
        `must be one of ${OVERFLOW_POLICIES.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(overflow)}.`,
      );
    }
    this.max = max;
    this.overflow = overflow;
  }

  get size(): number {
    return this.length;
  }

  /** Total entries refused or evicted since creation (by `push` and by `unshiftMany`). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Appends `entry`, applying the overflow policy when the queue is full. */
  push(entry: QueueEntry): EnqueueResult {
    if (this.length < this.max) {
      if (this.length === this.items.length) this.grow();
      this.items[(this.head + this.length) % this.items.length] = entry;
      this.length++;
      this.notify();
      return ACCEPTED;
    }
    this.droppedCount++;
    if (this.overflow === 'drop-oldest') {
      // Full means `items.length === max === length`: the new entry takes the oldest one's slot.
      const evicted = this.items[this.head];
      this.items[this.head] = entry;
      this.head = (this.head + 1) % this.items.length;
      this.notify();
      return { accepted: true, evicted };
    }
    return this.overflow === 'reject' ? REFUSED_REJECT : REFUSED_DROP_NEWEST;
  }

  /**
   * Puts `entries` (e.g. restored from storage, or sent but unconfirmed before a reconnect) in front
   * of what is queued, in their order, as if they had been pushed first. When the total would exceed
   * `max`, the policy decides which part of that combined sequence stays: `drop-oldest` keeps the
   * newest `max`, `drop-newest` and `reject` keep the oldest `max`. The entries that did not stay are
   * returned in queue order (they may include entries that were already queued) and counted in
   * `dropped`; the caller reports them.
   */
  unshiftMany(entries: readonly QueueEntry[]): QueueEntry[] {
    if (entries.length === 0) return [];
    const queued = this.toArray();
    const excess = Math.max(0, queued.length + entries.length - this.max);
    let kept: QueueEntry[];
    let removed: QueueEntry[];
    if (excess === 0) {
      kept = [...entries, ...queued];
      removed = [];
    } else if (this.overflow === 'drop-oldest') {
      // The queue never exceeds `max`, so the excess is at most `entries.length`: only front entries go.
      kept = [...entries.slice(excess), ...queued];
      removed = entries.slice(0, excess);
    } else {
      const combined = [...entries, ...queued];
      kept = combined.slice(0, this.max);
      removed = combined.slice(this.max);
    }
    this.droppedCount += removed.length;
    // Only `drop-oldest` can refuse every front entry and leave the contents as they were.
    if (this.overflow === 'drop-oldest' && excess === entries.length) return removed;
    this.replace(kept);
    this.notify();
    return removed;
  }

  /** The oldest entry, left in place. */
  peek(): QueueEntry | undefined {
    return this.length === 0 ? undefined : this.items[this.head];
  }

  /** Removes and returns the oldest entry. */
  shift(): QueueEntry | undefined {
    if (this.length === 0) return undefined;
    const entry = this.items[this.head];
    this.items[this.head] = undefined;
    this.length--;
    if (this.length === 0) {
      // A drained backlog gives its memory back instead of keeping its peak size forever.
      if (this.items.length > INITIAL_CAPACITY) this.items = [];
      this.head = 0;
    } else {
      this.head = (this.head + 1) % this.items.length;
    }
    this.notify();
    return entry;
  }

  /**
   * Removes every entry `predicate` matches (e.g. an acked publish that timed out while queued) and
   * returns them in order. Not counted in `dropped`: the caller chose to take them out. If `predicate`
   * throws, the queue is left unchanged.
   */
  removeWhere(predicate: (entry: QueueEntry) => boolean): QueueEntry[] {
    const kept: QueueEntry[] = [];
    const removed: QueueEntry[] = [];
    for (let i = 0; i < this.length; i++) {
      const entry = this.items[(this.head + i) % this.items.length]!;
      (predicate(entry) ? removed : kept).push(entry);
    }
    if (removed.length > 0) {
      this.replace(kept);
      this.notify();
    }
    return removed;
  }

  /** Removes and returns every entry, oldest first. */
  drain(): QueueEntry[] {
    const all = this.toArray();
    if (all.length > 0) {
      this.replace([]);
      this.notify();
    }
    return all;
  }

  /** A copy of the entries, oldest first. */
  toArray(): QueueEntry[] {
    const out = new Array<QueueEntry>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.items[(this.head + i) % this.items.length]!;
    return out;
  }

  /**
   * Calls `listener` (with no arguments) after every change of the contents, e.g. to persist them.
   * A listener that throws does not disturb the queue or the other listeners; its error is rethrown
   * in a microtask so it still surfaces.
   */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private notify(): void {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private grow(): void {
    const capacity = Math.min(this.max, Math.max(INITIAL_CAPACITY, this.items.length * 2));
    const next = this.toArray() as (QueueEntry | undefined)[];
    next.length = capacity;
    this.items = next.fill(undefined, this.length);
    this.head = 0;
  }

  private replace(entries: QueueEntry[]): void {
    this.items = entries;
    this.head = 0;
    this.length = entries.length;
  }
}

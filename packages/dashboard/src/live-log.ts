import { RingBuffer } from '@socketboard/core';
import { LiveSource } from './live-source';
import type { LiveSourceOptions, LiveViewBase } from './live-source';

/** A kept item with its arrival number: a stable React key even when items repeat. */
export interface LogEntry<T> {
  readonly seq: number;
  readonly value: T;
}

export interface LiveLogView<T> extends LiveViewBase {
  /** The kept items, oldest first, at most `capacity`. */
  readonly entries: readonly LogEntry<T>[];
  /** Items accepted up to this view (evicted ones included): the difference between two views is what arrived. */
  readonly total: number;
}

export interface LiveLogOptions extends LiveSourceOptions {
  /** Most items kept. Default 200. */
  readonly capacity?: number;
}

export const DEFAULT_LOG_CAPACITY = 200;

/**
 * A bounded, pausable list of events (the {@link EventLog}'s engine): a ring buffer published at most
 * once per frame, frozen while paused while new items are still kept and counted.
 */
export class LiveLog<T> extends LiveSource<LiveLogView<T>> {
  readonly capacity: number;
  private readonly buffer: RingBuffer<LogEntry<T>>;
  private total = 0;

  constructor(options: LiveLogOptions = {}) {
    super({ version: 0, entries: [], total: 0, updatedAt: undefined }, options);
    this.capacity = options.capacity ?? DEFAULT_LOG_CAPACITY;
    this.buffer = new RingBuffer<LogEntry<T>>(this.capacity);
  }

  get size(): number {
    return this.buffer.size;
  }

  push(item: T): void {
    this.buffer.push({ seq: this.total++, value: item });
    this.accepted();
  }

  /**
   * Brings the log up to date with an array (the `items` prop, oldest first): items after the newest
   * kept one (by identity, or by `isSame`) are appended; when it is not found, the list was replaced
   * and the log starts over. Publishes at once.
   */
  syncItems(items: readonly T[], isSame: (a: T, b: T) => boolean = Object.is): void {
    const last = this.buffer.last();
    let from = 0;
    if (last !== undefined) {
      let found = -1;
      for (let i = items.length - 1; i >= 0; i--) {
        if (isSame(items[i]!, last.value)) {
          found = i;
          break;
        }
      }
      if (found === items.length - 1) return;
      if (found < 0) {
        this.buffer.clear();
        this.total = 0;
        this.resetted();
      } else {
        from = found + 1;
      }
    }
    // Only the newest `capacity` items can survive: count the rest as arrived, store none of them.
    const start = Math.max(from, items.length - this.capacity);
    this.total += start - from;
    for (let i = start; i < items.length; i++) this.buffer.push({ seq: this.total++, value: items[i]! });
    this.acceptedNow(items.length - from);
  }

  clear(): void {
    this.buffer.clear();
    this.total = 0;
    this.resetted();
  }

  protected acceptedTotal(): number {
    return this.total;
  }

  protected computeView(hidden: number, version: number, updatedAt: number | undefined): LiveLogView<T> {
    const all = this.buffer.toArray();
    const entries = hidden > 0 ? all.slice(0, Math.max(0, all.length - hidden)) : all;
    return { version, entries, total: this.total - hidden, updatedAt };
  }
}

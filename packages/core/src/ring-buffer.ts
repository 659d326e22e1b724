import { SocketboardConfigError } from './errors';

/**
 * A fixed-capacity FIFO that overwrites its oldest item when full.
 *
 * Storage is allocated once in the constructor so `push` on a hot path allocates nothing.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  // `undefined` marks slots not yet written (or released by `clear`); reads only touch written slots.
  private readonly items: (T | undefined)[];
  /** Index of the oldest item. */
  private head = 0;
  private length = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new SocketboardConfigError('capacity', `a ring buffer needs a whole number of slots ≥ 1, got ${capacity}.`);
    }
    this.capacity = capacity;
    this.items = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** How many items it holds, at most `capacity`. */
  get size(): number {
    return this.length;
  }

  /** Appends `item`; when full, the oldest item is overwritten. */
  push(item: T): void {
    if (this.length < this.capacity) {
      this.items[(this.head + this.length) % this.capacity] = item;
      this.length++;
      return;
    }
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
  }

  /** The item at position `index`, 0 being the oldest; negative counts back from the newest (-1). */
  at(index: number): T | undefined {
    if (!Number.isInteger(index)) return undefined;
    const i = index < 0 ? this.length + index : index;
    if (i < 0 || i >= this.length) return undefined;
    return this.items[(this.head + i) % this.capacity];
  }

  /** The newest item, or `undefined` when empty. */
  last(): T | undefined {
    return this.length === 0 ? undefined : this.items[(this.head + this.length - 1) % this.capacity];
  }

  /** A new array, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.items[(this.head + i) % this.capacity] as T;
    return out;
  }

  /** Empties the buffer and drops its references so the old items can be garbage-collected. */
  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.length = 0;
  }

  *[Symbol.iterator](): Generator<T, void, undefined> {
    for (let i = 0; i < this.length; i++) yield this.items[(this.head + i) % this.capacity] as T;
  }
}

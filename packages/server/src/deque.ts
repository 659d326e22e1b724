/**
 * A FIFO on a power-of-two ring that grows by doubling: O(1) push and shift without the O(n) copy of
 * `Array.prototype.shift`, and no allocation per element once it has grown to its working size.
 */
export class Deque<T> {
  private buffer: Array<T | undefined>;
  private head = 0;
  private length = 0;

  constructor(initialCapacity = 8) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.buffer = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(value: T): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[(this.head + this.length) & (this.buffer.length - 1)] = value;
    this.length += 1;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const value = this.buffer[this.head];
    this.buffer[this.head] = undefined;
    this.head = (this.head + 1) & (this.buffer.length - 1);
    this.length -= 1;
    return value;
  }

  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buffer[this.head];
  }

  /** The element `index` places after the oldest (0 = oldest). */
  get(index: number): T | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.buffer[(this.head + index) & (this.buffer.length - 1)];
  }

  clear(): void {
    this.buffer.fill(undefined);
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buffer.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.buffer[(this.head + i) & (this.buffer.length - 1)];
    this.buffer = next;
    this.head = 0;
  }
}

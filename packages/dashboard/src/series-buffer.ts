/** Options of a {@link SeriesBuffer}. */
export interface SeriesBufferOptions {
  /** The series held per point, in order (Tremor's `categories`). At least one. */
  readonly categories: readonly string[];
  /** Most points kept; the oldest is evicted first. Default {@link DEFAULT_SERIES_CAPACITY} (10 000). */
  readonly capacity?: number;
  /** Oldest point kept, in ms before the newest point's time. Default `Infinity` (bounded by count only). */
  readonly windowMs?: number;
}

/** Default number of points a series buffer holds: a few minutes at tens of messages a second. */
export const DEFAULT_SERIES_CAPACITY = 10_000;

/**
 * A bounded time series with several value columns: a ring buffer by count and by time window.
 *
 * Storage is columnar (one `Float64Array` for times, one per category), allocated once in the
 * constructor, so `push` on the message path allocates nothing and memory stays flat however many
 * points go through. A missing or non-numeric value is stored as `NaN` (a gap in the line).
 *
 * Times must not go backwards: a point older than the newest is refused and counted in `rejected`,
 * because charts need sorted x values and the time window is enforced by evicting from the front.
 */
export class SeriesBuffer {
  readonly capacity: number;
  readonly categories: readonly string[];
  private window: number;
  private readonly times: Float64Array;
  private readonly columns: Float64Array[];
  /** Index of the oldest point. */
  private head = 0;
  private length = 0;
  private accepted = 0;
  private refused = 0;

  constructor(options: SeriesBufferOptions) {
    const capacity = options.capacity ?? DEFAULT_SERIES_CAPACITY;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`SeriesBuffer capacity must be a whole number ≥ 1, got ${capacity}.`);
    }
    if (options.categories.length === 0) {
      throw new RangeError('SeriesBuffer needs at least one category (the name of the series to keep).');
    }
    this.capacity = capacity;
    this.categories = [...options.categories];
    this.window = checkWindow(options.windowMs ?? Infinity);
    this.times = new Float64Array(capacity);
    this.columns = this.categories.map(() => new Float64Array(capacity));
  }

  /** Points currently held: at most `capacity`, all within `windowMs` of the newest. */
  get size(): number {
    return this.length;
  }

  /** Points accepted since creation or `clear()`, including those evicted since. */
  get total(): number {
    return this.accepted;
  }

  /** Points refused because their time was not a finite number or was older than the newest point. */
  get rejected(): number {
    return this.refused;
  }

  get windowMs(): number {
    return this.window;
  }

  /** Changes the time window; a smaller window evicts at once, a larger one cannot bring back evicted points. */
  setWindow(windowMs: number): void {
    this.window = checkWindow(windowMs);
    if (this.length > 0) this.evictBefore(this.lastTime - this.window);
  }

  /** Time of the oldest point, or `NaN` when empty. */
  get firstTime(): number {
    return this.length === 0 ? NaN : this.times[this.head]!;
  }

  /** Time of the newest point, or `NaN` when empty. */
  get lastTime(): number {
    return this.length === 0 ? NaN : this.times[(this.head + this.length - 1) % this.capacity]!;
  }

  /**
   * Appends one point. `values[c]` is the value of `categories[c]`; missing entries become `NaN`.
   * Returns false (and counts it in `rejected`) when `time` is not finite or older than the newest point.
   */
  push(time: number, values: ArrayLike<number>): boolean {
    const slot = this.claim(time);
    if (slot < 0) return false;
    for (let c = 0; c < this.columns.length; c++) {
      const v = c < values.length ? values[c]! : NaN;
      this.columns[c]![slot] = typeof v === 'number' ? v : NaN;
    }
    return true;
  }

  /** Appends one point read from `record[category]` for each category; anything but a number becomes `NaN`. */
  pushRecord(time: number, record: Readonly<Record<string, unknown>>): boolean {
    const slot = this.claim(time);
    if (slot < 0) return false;
    for (let c = 0; c < this.columns.length; c++) {
      const v = record[this.categories[c]!];
      this.columns[c]![slot] = typeof v === 'number' ? v : NaN;
    }
    return true;
  }

  /** Time of the point at `index` (0 = oldest), or `NaN` when out of range. */
  timeAt(index: number): number {
    if (index < 0 || index >= this.length) return NaN;
    return this.times[(this.head + index) % this.capacity]!;
  }

  /** Value of category number `category` at `index` (0 = oldest), or `NaN` when out of range or missing. */
  valueAt(index: number, category: number): number {
    const column = this.columns[category];
    if (column === undefined || index < 0 || index >= this.length) return NaN;
    return column[(this.head + index) % this.capacity]!;
  }

  /** Index of the first point whose time is ≥ `time` (`size` when none is). Binary search: times are sorted. */
  lowerBound(time: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[(this.head + mid) % this.capacity]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops every point older than `time` (e.g. to age data out by the wall clock while no new point arrives). */
  evictBefore(time: number): void {
    while (this.length > 0 && this.times[this.head]! < time) {
      this.head = (this.head + 1) % this.capacity;
      this.length--;
    }
  }

  /** Forgets every point and the counters. Storage is kept for reuse. */
  clear(): void {
    this.head = 0;
    this.length = 0;
    this.accepted = 0;
    this.refused = 0;
  }

  /** Reserves the slot for a point at `time`, evicting by count and window first; -1 when the point is refused. */
  private claim(time: number): number {
    if (!Number.isFinite(time) || (this.length > 0 && time < this.lastTime)) {
      this.refused++;
      return -1;
    }
    let slot: number;
    if (this.length < this.capacity) {
      slot = (this.head + this.length) % this.capacity;
      this.length++;
    } else {
      slot = this.head;
      this.head = (this.head + 1) % this.capacity;
    }
    this.times[slot] = time;
    this.accepted++;
    // The new point is never evicted by its own window: its age is 0.
    if (this.window !== Infinity) this.evictBefore(time - this.window);
    return slot;
  }
}

function checkWindow(windowMs: number): number {
  if (!(windowMs > 0)) {
    throw new RangeError(`SeriesBuffer windowMs must be > 0 (or Infinity), got ${windowMs}.`);
  }
  return windowMs;
}

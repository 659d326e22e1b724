import { SocketboardConfigError } from './errors';
import { RingBuffer } from './ring-buffer';

/** Weight of the newest sample in the moving average. */
const EWMA_ALPHA = 0.2;

/**
 * Round-trip-time statistics: the last sample, an exponentially weighted moving average over all
 * samples, and percentiles over the last `windowSize` samples.
 *
 * `add` is cheap (a ring-buffer write and a few assignments); percentiles sort lazily, once per batch of new
 * samples, because the dashboard asks for them about once a second while samples may arrive faster.
 */
export class RttStats {
  readonly windowSize: number;
  private readonly window: RingBuffer<number>;
  // Reused for sorting so `percentile` allocates nothing but a view.
  private readonly sorted: Float64Array;
  private sortedValid = false;
  private lastMs: number | undefined = undefined;
  private ewmaMs: number | undefined = undefined;
  private total = 0;

  constructor(windowSize: number) {
    if (!Number.isSafeInteger(windowSize) || windowSize < 1) {
      throw new SocketboardConfigError('windowSize', `RTT percentiles need a window of ≥ 1 sample, got ${windowSize}.`);
    }
    this.windowSize = windowSize;
    this.window = new RingBuffer<number>(windowSize);
    this.sorted = new Float64Array(windowSize);
  }

  /**
   * Records one round trip in ms. Negative or non-finite values are ignored: they come from a wall
   * clock stepping backwards (NTP, a sleeping laptop), not from the network, and would poison the EWMA.
   */
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.lastMs = ms;
    this.ewmaMs = this.ewmaMs === undefined ? ms : this.ewmaMs + EWMA_ALPHA * (ms - this.ewmaMs);
    this.window.push(ms);
    this.total++;
    this.sortedValid = false;
  }

  /** The newest sample, or `undefined` before the first. */
  get last(): number | undefined {
    return this.lastMs;
  }

  /** Moving average (alpha 0.2) seeded by the first sample, or `undefined` before it. */
  get ewma(): number | undefined {
    return this.ewmaMs;
  }

  /** Samples recorded since construction or the last `clear()`, including those that left the window. */
  get count(): number {
    return this.total;
  }

  /** Samples currently in the percentile window, at most `windowSize`. */
  get size(): number {
    return this.window.size;
  }

  /**
   * The `p`-th percentile (0–100, nearest-rank) of the samples in the window, or `undefined` when
   * there are none. `percentile(0)` is the minimum, `percentile(100)` the maximum.
   */
  percentile(p: number): number | undefined {
    if (!(p >= 0 && p <= 100)) {
      throw new RangeError(`RttStats.percentile expects p between 0 and 100, got ${p}.`);
    }
    const n = this.window.size;
    if (n === 0) return undefined;
    if (!this.sortedValid) {
      for (let i = 0; i < n; i++) this.sorted[i] = this.window.at(i)!;
      // Typed arrays sort numerically, unlike Array#sort's string order.
      this.sorted.subarray(0, n).sort();
      this.sortedValid = true;
    }
    // p * n first keeps the product exact for whole p, so p95 of 20 samples is rank 19, not 20.
    const rank = Math.max(1, Math.ceil((p * n) / 100));
    return this.sorted[rank - 1];
  }

  /** Forgets every sample. */
  clear(): void {
    this.window.clear();
    this.sortedValid = false;
    this.lastMs = undefined;
    this.ewmaMs = undefined;
    this.total = 0;
  }
}

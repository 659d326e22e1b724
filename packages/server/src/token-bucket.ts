/**
 * A token bucket: `burst` tokens at most, refilled continuously at `perSecond`. Each frame takes one;
 * a frame that finds the bucket empty is over the limit. Refill is computed from the clock on use,
 * so an idle connection costs no timer.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

/** Counts events in fixed one-second windows: "more than N in a second" for abuse detection. */
export class WindowCounter {
  private windowStart = -Infinity;
  private count = 0;

  /** Counts one event at `now` and returns how many fell in the current one-second window. */
  hit(now: number): number {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count;
  }
}

import { describe, expect, it } from 'vitest';
import { TokenBucket, WindowCounter } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst through at once, then refuses until time refills it', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    // 10 per second: one token every 100 ms.
    expect(bucket.take(99)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const bucket = new TokenBucket(10, 2, 0);
    const taken = [1, 2, 3].map(() => bucket.take(3_600_000));
    expect(taken).toEqual([true, true, false]);
  });

  it('sustains exactly the configured rate', () => {
    const bucket = new TokenBucket(50, 1, 0);
    let passed = 0;
    // One attempt per ms for 10 s: 50/s allows 500 (+1 initial token).
    for (let t = 0; t < 10_000; t++) if (bucket.take(t)) passed += 1;
    expect(passed).toBe(500);
  });
});

describe('WindowCounter', () => {
  it('counts hits within one second and starts over after it', () => {
    const counter = new WindowCounter();
    expect([counter.hit(0), counter.hit(500), counter.hit(999)]).toEqual([1, 2, 3]);
    expect(counter.hit(1000)).toBe(1);
  });
});

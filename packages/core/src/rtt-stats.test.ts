import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SocketboardConfigError } from './errors';
import { RttStats } from './rtt-stats';

describe('RttStats', () => {
  it('rejects a window that is not a whole number ≥ 1', () => {
    expect(() => new RttStats(0)).toThrow(SocketboardConfigError);
    expect(() => new RttStats(2.5)).toThrow(SocketboardConfigError);
  });

  it('reports undefined for every statistic before the first sample', () => {
    const rtt = new RttStats(10);
    expect(rtt.last).toBeUndefined();
    expect(rtt.ewma).toBeUndefined();
    expect(rtt.percentile(50)).toBeUndefined();
    expect(rtt.count).toBe(0);
    expect(rtt.size).toBe(0);
  });

  it('seeds the EWMA with the first sample, then moves it 20% towards each new one', () => {
    const rtt = new RttStats(10);
    rtt.add(100);
    expect(rtt.ewma).toBe(100);
    rtt.add(200);
    expect(rtt.ewma).toBeCloseTo(120, 10);
    rtt.add(20);
    expect(rtt.ewma).toBeCloseTo(100, 10);
    expect(rtt.last).toBe(20);
  });

  it('computes nearest-rank percentiles', () => {
    const rtt = new RttStats(100);
    // Added out of order to prove the statistic sorts.
    for (const ms of [15, 20, 35, 40, 50].reverse()) rtt.add(ms);
    expect(rtt.percentile(0)).toBe(15);
    expect(rtt.percentile(5)).toBe(15);
    expect(rtt.percentile(30)).toBe(20);
    expect(rtt.percentile(40)).toBe(20);
    expect(rtt.percentile(50)).toBe(35);
    expect(rtt.percentile(100)).toBe(50);
  });

  it('puts p95 of 1..20 at rank 19, not 20', () => {
    const rtt = new RttStats(20);
    for (let ms = 1; ms <= 20; ms++) rtt.add(ms);
    expect(rtt.percentile(95)).toBe(19);
    expect(rtt.percentile(50)).toBe(10);
  });

  it('sorts numerically, not as strings', () => {
    const rtt = new RttStats(10);
    for (const ms of [9, 100, 20]) rtt.add(ms);
    expect(rtt.percentile(0)).toBe(9);
    expect(rtt.percentile(100)).toBe(100);
  });

  it('computes percentiles over the last windowSize samples only, while the EWMA and count cover all', () => {
    const rtt = new RttStats(3);
    for (const ms of [1000, 1000, 1, 2, 3]) rtt.add(ms);
    expect(rtt.percentile(100)).toBe(3);
    expect(rtt.percentile(0)).toBe(1);
    expect(rtt.count).toBe(5);
    expect(rtt.size).toBe(3);
    expect(rtt.ewma).toBeGreaterThan(3);
  });

  it('reflects samples added after a percentile was computed', () => {
    const rtt = new RttStats(10);
    rtt.add(10);
    expect(rtt.percentile(100)).toBe(10);
    rtt.add(50);
    expect(rtt.percentile(100)).toBe(50);
  });

  it('ignores negative and non-finite samples, which come from clock steps', () => {
    const rtt = new RttStats(10);
    rtt.add(10);
    for (const bad of [-5, Number.NaN, Number.POSITIVE_INFINITY]) rtt.add(bad);
    expect(rtt.last).toBe(10);
    expect(rtt.ewma).toBe(10);
    expect(rtt.count).toBe(1);
    expect(rtt.percentile(0)).toBe(10);
  });

  it('rejects a percentile outside 0–100', () => {
    const rtt = new RttStats(10);
    rtt.add(1);
    expect(() => rtt.percentile(-1)).toThrow(RangeError);
    expect(() => rtt.percentile(101)).toThrow(RangeError);
    expect(() => rtt.percentile(Number.NaN)).toThrow(RangeError);
  });

  it('forgets everything on clear()', () => {
    const rtt = new RttStats(10);
    rtt.add(10);
    rtt.percentile(50);
    rtt.clear();
    expect(rtt.last).toBeUndefined();
    expect(rtt.ewma).toBeUndefined();
    expect(rtt.percentile(50)).toBeUndefined();
    expect(rtt.count).toBe(0);
    rtt.add(7);
    expect(rtt.percentile(50)).toBe(7);
  });

  it('matches a sort-based nearest-rank reference over the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 0, max: 100 }),
        (window, samples, p) => {
          const rtt = new RttStats(window);
          for (const ms of samples) rtt.add(ms);
          const sorted = samples.slice(-window).sort((a, b) => a - b);
          const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
          expect(rtt.percentile(p)).toBe(sorted[rank - 1]);
          expect(rtt.percentile(0)).toBe(sorted[0]);
          expect(rtt.percentile(100)).toBe(sorted.at(-1));
        },
      ),
    );
  });
});

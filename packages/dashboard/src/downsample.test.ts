import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arraySource, downsampleIndices, lttbIndices, minMaxIndices, pointsPerBucket, timeBucket } from './downsample';

/** Sorted times (with repeats) and one or two value columns, some gaps. */
const series = fc
  .record({
    steps: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 600 }),
    columns: fc.integer({ min: 1, max: 3 }),
    seed: fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e3, max: 1e3 }), fc.constant(NaN)), { minLength: 1 }),
  })
  .map(({ steps, columns, seed }) => {
    const xs: number[] = [];
    let t = 1_000;
    for (const s of steps) xs.push((t += s));
    const ys = Array.from({ length: columns }, (_, c) => xs.map((_, i) => seed[(i * (c + 1)) % seed.length]!));
    return { xs, ys };
  });

function isStrictlyAscending(indices: readonly number[]): boolean {
  return indices.every((v, i) => i === 0 || v > indices[i - 1]!);
}

describe('minMaxIndices', () => {
  it('keeps the first, last, min and max of every bucket of every column', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 120 }), ({ xs, ys }, maxPoints) => {
        const source = arraySource(xs, ...ys);
        const kept = new Set(minMaxIndices(source, maxPoints));
        if (xs.length <= maxPoints) {
          expect(kept.size).toBe(xs.length);
          return;
        }
        const buckets = Math.max(1, Math.floor(maxPoints / pointsPerBucket(ys.length)));
        const span = xs.at(-1)! - xs[0]!;
        const members = new Map<number, number[]>();
        xs.forEach((x, i) => {
          const b = timeBucket(x, xs[0]!, span, buckets);
          members.set(b, [...(members.get(b) ?? []), i]);
        });
        for (const indices of members.values()) {
          expect(kept.has(indices[0]!)).toBe(true);
          expect(kept.has(indices.at(-1)!)).toBe(true);
          for (const column of ys) {
            const values = indices.map((i) => column[i]!).filter((v) => !Number.isNaN(v));
            if (values.length === 0) continue;
            const min = Math.min(...values);
            const max = Math.max(...values);
            expect(indices.some((i) => kept.has(i) && column[i] === min)).toBe(true);
            expect(indices.some((i) => kept.has(i) && column[i] === max)).toBe(true);
          }
        }
      }),
    );
  });

  it('returns ascending unique indices, bounded by maxPoints (or one full bucket)', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 120 }), ({ xs, ys }, maxPoints) => {
        const out = minMaxIndices(arraySource(xs, ...ys), maxPoints);
        expect(isStrictlyAscending(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(Math.max(maxPoints, pointsPerBucket(ys.length)));
        expect(out[0]).toBe(0);
        expect(out.at(-1)).toBe(xs.length - 1);
      }),
    );
  });

  it('keeps a single spike that a plain every-nth decimation would drop', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i);
    const ys = xs.map((i) => (i === 4_321 ? 99 : 1));
    const out = minMaxIndices(arraySource(xs, ys), 100);
    expect(out).toContain(4_321);
    expect(out.length).toBeLessThanOrEqual(100);
  });
});

describe('lttbIndices', () => {
  it('keeps the first and last point and returns at most maxPoints ascending indices', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 120 }), ({ xs, ys }, maxPoints) => {
        const out = lttbIndices(arraySource(xs, ...ys), maxPoints);
        expect(isStrictlyAscending(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(Math.max(maxPoints, 2));
        expect(out[0]).toBe(0);
        expect(out.at(-1)).toBe(xs.length - 1);
      }),
    );
  });

  it('picks the peak of a triangle wave', () => {
    const xs = Array.from({ length: 101 }, (_, i) => i);
    const ys = xs.map((i) => 50 - Math.abs(i - 50));
    expect(lttbIndices(arraySource(xs, ys), 3)).toEqual([0, 50, 100]);
  });
});

describe('downsampleIndices', () => {
  it('returns every index when the data already fits or the method is none', () => {
    const source = arraySource([1, 2, 3, 4], [1, 2, 3, 4]);
    expect(downsampleIndices(source, 10, 'minmax')).toEqual([0, 1, 2, 3]);
    expect(downsampleIndices(source, 2, 'none')).toEqual([0, 1, 2, 3]);
  });

  it('merges LTTB picks of several columns into one ascending list', () => {
    const xs = Array.from({ length: 1_000 }, (_, i) => i);
    const out = downsampleIndices(
      arraySource(
        xs,
        xs.map((i) => Math.sin(i / 30)),
        xs.map((i) => Math.cos(i / 7)),
      ),
      100,
      'lttb',
    );
    expect(isStrictlyAscending(out)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(100);
  });
});

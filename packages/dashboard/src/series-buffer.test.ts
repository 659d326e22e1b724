import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from './series-buffer';

/** Non-decreasing times built from non-negative steps, each with a value. */
const points = fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 })), {
  maxLength: 400,
});

function fill(buffer: SeriesBuffer, steps: readonly (readonly [number, number])[]): [number, number][] {
  const pushed: [number, number][] = [];
  let t = 0;
  for (const [step, value] of steps) {
    t += step;
    buffer.push(t, [value]);
    pushed.push([t, value]);
  }
  return pushed;
}

function held(buffer: SeriesBuffer): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < buffer.size; i++) out.push([buffer.timeAt(i), buffer.valueAt(i, 0)]);
  return out;
}

describe('SeriesBuffer', () => {
  it('never holds more than its capacity, whatever is pushed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), points, (capacity, steps) => {
        const buffer = new SeriesBuffer({ categories: ['v'], capacity });
        fill(buffer, steps);
        expect(buffer.size).toBeLessThanOrEqual(capacity);
        expect(buffer.size).toBe(Math.min(capacity, steps.length));
      }),
    );
  });

  it('holds exactly the newest points that fit both the capacity and the time window, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 5_000 }),
        points,
        (capacity, windowMs, steps) => {
          const buffer = new SeriesBuffer({ categories: ['v'], capacity, windowMs });
          const pushed = fill(buffer, steps);
          const newest = pushed.at(-1)?.[0] ?? 0;
          const expected = pushed.filter(([t]) => t >= newest - windowMs).slice(-capacity);
          expect(held(buffer)).toEqual(expected);
          for (const [t] of held(buffer)) expect(newest - t).toBeLessThanOrEqual(windowMs);
        },
      ),
    );
  });

  it('refuses a point older than the newest and counts it, keeping the rest intact', () => {
    const buffer = new SeriesBuffer({ categories: ['v'], capacity: 4 });
    buffer.push(10, [1]);
    buffer.push(20, [2]);
    expect(buffer.push(15, [9])).toBe(false);
    expect(buffer.push(NaN, [9])).toBe(false);
    expect(buffer.rejected).toBe(2);
    expect(held(buffer)).toEqual([
      [10, 1],
      [20, 2],
    ]);
    expect(buffer.push(20, [3])).toBe(true);
  });

  it('stores a missing or non-numeric category value as NaN (a gap)', () => {
    const buffer = new SeriesBuffer({ categories: ['a', 'b', 'c'], capacity: 2 });
    buffer.pushRecord(1, { a: 1, b: 'x' });
    expect(buffer.valueAt(0, 0)).toBe(1);
    expect(buffer.valueAt(0, 1)).toBeNaN();
    expect(buffer.valueAt(0, 2)).toBeNaN();
    buffer.push(2, [5]);
    expect(buffer.valueAt(1, 1)).toBeNaN();
  });

  it('finds the first point at or after a time by binary search across the wrap-around', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        points,
        fc.integer({ min: -10, max: 400_000 }),
        (capacity, steps, probe) => {
          const buffer = new SeriesBuffer({ categories: ['v'], capacity });
          fill(buffer, steps);
          const times = held(buffer).map(([t]) => t);
          const expected = times.findIndex((t) => t >= probe);
          expect(buffer.lowerBound(probe)).toBe(expected < 0 ? times.length : expected);
        },
      ),
    );
  });

  it('evicts at once when the window shrinks', () => {
    const buffer = new SeriesBuffer({ categories: ['v'], capacity: 10 });
    for (let t = 0; t <= 9; t++) buffer.push(t * 1000, [t]);
    buffer.setWindow(2500);
    expect(held(buffer).map(([t]) => t)).toEqual([7000, 8000, 9000]);
  });

  it('holds only its capacity after a million pushes (storage is allocated once)', () => {
    const capacity = 1_000;
    const buffer = new SeriesBuffer({ categories: ['a', 'b'], capacity });
    const values = [0, 0];
    for (let i = 0; i < 1_000_000; i++) {
      values[0] = i;
      values[1] = -i;
      buffer.push(i, values);
    }
    expect(buffer.size).toBe(capacity);
    expect(buffer.total).toBe(1_000_000);
    expect(buffer.firstTime).toBe(1_000_000 - capacity);
    expect(buffer.valueAt(capacity - 1, 1)).toBe(-999_999);
  });

  it('rejects a capacity below one and an empty category list with a message that says what to pass', () => {
    expect(() => new SeriesBuffer({ categories: ['v'], capacity: 0 })).toThrow(/capacity must be a whole number/);
    expect(() => new SeriesBuffer({ categories: [] })).toThrow(/at least one category/);
  });
});

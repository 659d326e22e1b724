import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SocketboardConfigError } from './errors';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('rejects a capacity that is not a whole number ≥ 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new RingBuffer(bad)).toThrow(SocketboardConfigError);
    }
  });

  it('is empty when created', () => {
    const ring = new RingBuffer<string>(3);
    expect(ring.size).toBe(0);
    expect(ring.capacity).toBe(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    expect(ring.at(0)).toBeUndefined();
    expect([...ring]).toEqual([]);
  });

  it('keeps items oldest first until it is full', () => {
    const ring = new RingBuffer<string>(3);
    ring.push('a');
    ring.push('b');
    expect(ring.size).toBe(2);
    expect(ring.toArray()).toEqual(['a', 'b']);
    expect(ring.at(0)).toBe('a');
    expect(ring.at(1)).toBe('b');
    expect(ring.at(2)).toBeUndefined();
    expect(ring.last()).toBe('b');
  });

  it('overwrites the oldest item once full', () => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.at(0)).toBe(3);
    expect(ring.last()).toBe(5);
    expect([...ring]).toEqual([3, 4, 5]);
  });

  it('counts negative indexes back from the newest and rejects out-of-range or fractional ones', () => {
    const ring = new RingBuffer<number>(4);
    for (const n of [1, 2, 3, 4, 5, 6]) ring.push(n);
    expect(ring.at(-1)).toBe(6);
    expect(ring.at(-4)).toBe(3);
    expect(ring.at(-5)).toBeUndefined();
    expect(ring.at(4)).toBeUndefined();
    expect(ring.at(0.5)).toBeUndefined();
  });

  it('is reusable after clear()', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.push(2);
    ring.push(3);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    ring.push(9);
    expect(ring.toArray()).toEqual([9]);
  });

  it('returns a fresh array from toArray() that does not alias its storage', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    const snapshot = ring.toArray();
    ring.push(2);
    ring.push(3);
    expect(snapshot).toEqual([1]);
  });

  it('never holds more than its capacity and always holds the last `capacity` items pushed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer(), { maxLength: 100 }), (capacity, items) => {
        const ring = new RingBuffer<number>(capacity);
        for (const item of items) {
          ring.push(item);
          expect(ring.size).toBeLessThanOrEqual(capacity);
        }
        const expected = items.slice(-capacity);
        expect(ring.size).toBe(expected.length);
        expect(ring.toArray()).toEqual(expected);
        expect([...ring]).toEqual(expected);
        expect(ring.last()).toBe(expected.at(-1));
        for (let i = 0; i < expected.length; i++) expect(ring.at(i)).toBe(expected[i]);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from './deque';

describe('Deque', () => {
  it('behaves like an array used as a FIFO, across growth and wrap-around', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.constant<'shift'>('shift')), { maxLength: 300 }), (ops) => {
        const deque = new Deque<number>(2);
        const model: number[] = [];
        for (const op of ops) {
          if (op === 'shift') expect(deque.shift()).toBe(model.shift());
          else {
            deque.push(op);
            model.push(op);
          }
          expect(deque.size).toBe(model.length);
          expect(deque.peek()).toBe(model[0]);
          expect(deque.get(model.length - 1)).toBe(model[model.length - 1]);
        }
        expect(Array.from({ length: deque.size }, (_, i) => deque.get(i))).toEqual(model);
      }),
    );
  });

  it('is empty after clear and answers out-of-range reads with undefined', () => {
    const deque = new Deque<string>();
    deque.push('a');
    deque.clear();
    expect(deque.size).toBe(0);
    expect(deque.shift()).toBeUndefined();
    expect(deque.get(0)).toBeUndefined();
    expect(deque.get(-1)).toBeUndefined();
  });
});

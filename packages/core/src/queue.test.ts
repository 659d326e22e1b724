import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SocketboardConfigError } from './errors';
import type { OverflowPolicy } from './options';
import { OutboundQueue, type QueueEntry } from './queue';

const entry = (name: string, extra: Omit<QueueEntry, 'frame'> = {}): QueueEntry => ({ frame: name, ...extra });
const frames = (entries: readonly QueueEntry[]) => entries.map((e) => e.frame);

function filled(max: number, overflow: OverflowPolicy, names: string[]): OutboundQueue {
  const queue = new OutboundQueue(max, overflow);
  for (const name of names) queue.push(entry(name));
  return queue;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('OutboundQueue construction', () => {
  it.each([0, -1, 1.5, Number.NaN, -Infinity])('rejects max %s with a config error', (max) => {
    expect(() => new OutboundQueue(max, 'drop-oldest')).toThrow(SocketboardConfigError);
  });

  it('accepts Infinity as an unbounded max', () => {
    const queue = new OutboundQueue(Infinity, 'reject');
    let accepted = 0;
    for (let i = 0; i < 5_000; i++) if (queue.push(entry(`m${i}`)).accepted) accepted++;
    expect(accepted).toBe(5_000);
    expect(queue.size).toBe(5_000);
    expect(queue.dropped).toBe(0);
  });

  it('rejects an unknown overflow policy with a config error naming the option', () => {
    expect(() => new OutboundQueue(10, 'drop-random' as OverflowPolicy)).toThrow(/queue\.overflow/);
  });

  it('exposes max and overflow as given', () => {
    const queue = new OutboundQueue(7, 'drop-newest');
    expect([queue.max, queue.overflow]).toEqual([7, 'drop-newest']);
  });
});

describe('OutboundQueue FIFO', () => {
  it('shifts entries in the order they were pushed, and returns the same objects', () => {
    const queue = new OutboundQueue(10, 'reject');
    const a = entry('a', { channel: 'c' });
    const b = entry('b', { ackId: '1' });
    queue.push(a);
    queue.push(b);
    expect(queue.shift()).toBe(a);
    expect(queue.shift()).toBe(b);
    expect(queue.shift()).toBeUndefined();
  });

  it('peek shows the oldest entry without removing it', () => {
    const queue = filled(5, 'reject', ['a', 'b']);
    expect(queue.peek()?.frame).toBe('a');
    expect(queue.size).toBe(2);
    expect(new OutboundQueue(5, 'reject').peek()).toBeUndefined();
  });

  it('keeps order across ring wrap-around and storage growth', () => {
    const queue = new OutboundQueue(1_000, 'reject');
    const out: unknown[] = [];
    let next = 0;
    // Keep a backlog that wraps the ring at several capacities (16, 32, … 1000).
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 7; i++) queue.push(entry(String(next++)));
      for (let i = 0; i < 3; i++) out.push(queue.shift()!.frame);
    }
    out.push(...frames(queue.drain()));
    expect(out).toEqual(Array.from({ length: next }, (_, i) => String(i)));
  });

  it('still works after a drained backlog gave its storage back', () => {
    const queue = new OutboundQueue(100, 'reject');
    for (let i = 0; i < 100; i++) queue.push(entry(`a${i}`));
    while (queue.shift() !== undefined);
    queue.push(entry('x'));
    queue.push(entry('y'));
    expect(frames(queue.toArray())).toEqual(['x', 'y']);
  });
});

describe('OutboundQueue overflow', () => {
  it('drop-oldest evicts and returns the oldest entry to make room', () => {
    const queue = filled(3, 'drop-oldest', ['a', 'b', 'c']);
    const result = queue.push(entry('d'));
    expect(result).toEqual({ accepted: true, evicted: entry('a') });
    expect(frames(queue.toArray())).toEqual(['b', 'c', 'd']);
    expect(queue.dropped).toBe(1);
  });

  it('drop-oldest keeps evicting in order while full', () => {
    const queue = filled(2, 'drop-oldest', ['a', 'b']);
    const evicted = ['c', 'd', 'e'].map((name) => {
      const result = queue.push(entry(name));
      return result.accepted ? result.evicted?.frame : 'refused';
    });
    expect(evicted).toEqual(['a', 'b', 'c']);
    expect(frames(queue.toArray())).toEqual(['d', 'e']);
    expect(queue.dropped).toBe(3);
  });

  it('accepted pushes below max report no eviction', () => {
    expect(new OutboundQueue(2, 'drop-oldest').push(entry('a'))).toEqual({ accepted: true, evicted: undefined });
  });

  it.each(['drop-newest', 'reject'] as const)('%s refuses the new entry and leaves the queue as it was', (policy) => {
    const queue = filled(2, policy, ['a', 'b']);
    expect(queue.push(entry('c'))).toEqual({ accepted: false, policy });
    expect(frames(queue.toArray())).toEqual(['a', 'b']);
    expect(queue.dropped).toBe(1);
  });

  it('max 1 with drop-oldest always holds the newest entry', () => {
    const queue = new OutboundQueue(1, 'drop-oldest');
    for (const name of ['a', 'b', 'c']) queue.push(entry(name));
    expect(frames(queue.toArray())).toEqual(['c']);
    expect(queue.dropped).toBe(2);
  });
});

describe('OutboundQueue.unshiftMany', () => {
  it('puts entries in front, in their order, when they fit', () => {
    const queue = filled(10, 'reject', ['c', 'd']);
    expect(queue.unshiftMany([entry('a'), entry('b')])).toEqual([]);
    expect(frames(queue.toArray())).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.dropped).toBe(0);
  });

  it('drop-oldest keeps the newest max of the combined sequence and returns the oldest front entries', () => {
    const queue = filled(4, 'drop-oldest', ['d', 'e']);
    const removed = queue.unshiftMany([entry('a'), entry('b'), entry('c')]);
    expect(frames(removed)).toEqual(['a']);
    expect(frames(queue.toArray())).toEqual(['b', 'c', 'd', 'e']);
    expect(queue.dropped).toBe(1);
  });

  it('drop-oldest on a full queue refuses every front entry', () => {
    const queue = filled(2, 'drop-oldest', ['c', 'd']);
    expect(frames(queue.unshiftMany([entry('a'), entry('b')]))).toEqual(['a', 'b']);
    expect(frames(queue.toArray())).toEqual(['c', 'd']);
  });

  it.each(['drop-newest', 'reject'] as const)(
    '%s keeps the oldest max, pushing the newest queued entries out',
    (policy) => {
      const queue = filled(4, policy, ['c', 'd', 'e']);
      const removed = queue.unshiftMany([entry('a'), entry('b')]);
      expect(frames(removed)).toEqual(['e']);
      expect(frames(queue.toArray())).toEqual(['a', 'b', 'c', 'd']);
      expect(queue.dropped).toBe(1);
    },
  );

  it.each(['drop-newest', 'reject'] as const)('%s with more front entries than max keeps their first max', (policy) => {
    const queue = filled(2, policy, ['z']);
    const removed = queue.unshiftMany(['a', 'b', 'c'].map((n) => entry(n)));
    expect(frames(removed)).toEqual(['c', 'z']);
    expect(frames(queue.toArray())).toEqual(['a', 'b']);
    expect(queue.dropped).toBe(2);
  });

  it('new pushes go behind the restored entries', () => {
    const queue = new OutboundQueue(10, 'drop-oldest');
    queue.unshiftMany([entry('a')]);
    queue.push(entry('b'));
    expect(frames(queue.toArray())).toEqual(['a', 'b']);
  });
});

describe('OutboundQueue.removeWhere and drain', () => {
  it('removeWhere returns the matching entries in order and keeps the rest in order', () => {
    const queue = new OutboundQueue(10, 'reject');
    ['a', 'b', 'c', 'd'].forEach((n, i) => queue.push(entry(n, { ackId: String(i % 2) })));
    expect(frames(queue.removeWhere((e) => e.ackId === '1'))).toEqual(['b', 'd']);
    expect(frames(queue.toArray())).toEqual(['a', 'c']);
    expect(queue.dropped).toBe(0);
  });

  it('a throwing removeWhere predicate leaves the queue unchanged', () => {
    const queue = filled(10, 'reject', ['a', 'b', 'c']);
    expect(() =>
      queue.removeWhere((e) => {
        if (e.frame === 'b') throw new Error('boom');
        return true;
      }),
    ).toThrow('boom');
    expect(frames(queue.toArray())).toEqual(['a', 'b', 'c']);
  });

  it('drain returns everything in order and empties the queue', () => {
    const queue = filled(10, 'reject', ['a', 'b']);
    expect(frames(queue.drain())).toEqual(['a', 'b']);
    expect(queue.size).toBe(0);
    expect(queue.drain()).toEqual([]);
  });
});

describe('OutboundQueue.subscribe', () => {
  it('notifies after every change and not after operations that changed nothing', () => {
    const queue = new OutboundQueue(2, 'reject');
    const listener = vi.fn();
    queue.subscribe(listener);
    queue.push(entry('a')); // 1
    queue.push(entry('b')); // 2
    queue.push(entry('c')); // refused: no change
    queue.removeWhere(() => false); // no match
    queue.shift(); // 3
    queue.unshiftMany([]); // nothing
    queue.unshiftMany([entry('z')]); // 4
    queue.removeWhere((e) => e.frame === 'z'); // 5
    queue.drain(); // 6
    queue.drain(); // empty
    queue.shift(); // empty
    expect(listener).toHaveBeenCalledTimes(6);
    expect(listener.mock.calls.every((args) => args.length === 0)).toBe(true);
  });

  it('does not notify when drop-oldest refuses every restored entry', () => {
    const queue = filled(1, 'drop-oldest', ['a']);
    const listener = vi.fn();
    queue.subscribe(listener);
    queue.unshiftMany([entry('x')]);
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops notifying after unsubscribe', () => {
    const queue = new OutboundQueue(5, 'reject');
    const listener = vi.fn();
    const unsubscribe = queue.subscribe(listener);
    unsubscribe();
    queue.push(entry('a'));
    expect(listener).not.toHaveBeenCalled();
  });

  it('a throwing listener neither breaks the change nor silences other listeners, and its error surfaces later', () => {
    const deferred: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((cb) => deferred.push(cb));
    const queue = new OutboundQueue(5, 'reject');
    const other = vi.fn();
    queue.subscribe(() => {
      throw new Error('listener failed');
    });
    queue.subscribe(other);
    expect(queue.push(entry('a')).accepted).toBe(true);
    expect(queue.size).toBe(1);
    expect(other).toHaveBeenCalledTimes(1);
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]!()).toThrow('listener failed');
  });
});

// Every entry offered to the queue must end up in exactly one place: refused, evicted (by push or
// unshiftMany), taken out (shift, removeWhere, drain), or still queued. A simple array model says
// where each one should be.
type Op =
  | { kind: 'push' }
  | { kind: 'shift' }
  | { kind: 'removeWhere'; modulo: number; remainder: number }
  | { kind: 'unshiftMany'; count: number }
  | { kind: 'drain' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Op>({ kind: 'push' }) },
  { weight: 3, arbitrary: fc.constant<Op>({ kind: 'shift' }) },
  {
    weight: 1,
    arbitrary: fc
      .record({ modulo: fc.integer({ min: 2, max: 5 }), remainder: fc.nat(4) })
      .map(({ modulo, remainder }): Op => ({ kind: 'removeWhere', modulo, remainder: remainder % modulo })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((count): Op => ({ kind: 'unshiftMany', count })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'drain' }) },
);

describe('OutboundQueue invariants (property)', () => {
  it('stays within max, keeps FIFO order and accounts for every entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom<OverflowPolicy>('drop-oldest', 'drop-newest', 'reject'),
        fc.array(opArb, { maxLength: 300 }),
        (max, policy, ops) => {
          const queue = new OutboundQueue(max, policy);
          let model: QueueEntry[] = [];
          let nextId = 0;
          const make = () => ({ frame: `m${nextId++}`, ackId: String(nextId) });
          let offered = 0;
          let dropped = 0;
          let takenOut = 0;
          const seen = new Set<QueueEntry>();
          const account = (entries: readonly QueueEntry[]) => {
            for (const e of entries) {
              expect(seen.has(e)).toBe(false); // nothing comes out twice
              seen.add(e);
            }
          };

          for (const op of ops) {
            switch (op.kind) {
              case 'push': {
                const e = make();
                offered++;
                const result = queue.push(e);
                if (model.length < max) {
                  expect(result).toEqual({ accepted: true, evicted: undefined });
                  model.push(e);
                } else if (policy === 'drop-oldest') {
                  const oldest = model.shift()!;
                  expect(result.accepted && result.evicted).toBe(oldest);
                  account([oldest]);
                  model.push(e);
                  dropped++;
                } else {
                  expect(result).toEqual({ accepted: false, policy });
                  account([e]);
                  dropped++;
                }
                break;
              }
              case 'shift': {
                const got = queue.shift();
                expect(got).toBe(model.shift());
                if (got !== undefined) {
                  account([got]);
                  takenOut++;
                }
                break;
              }
              case 'removeWhere': {
                const matches = (e: QueueEntry) => Number(e.ackId) % op.modulo === op.remainder;
                const removed = queue.removeWhere(matches);
                expect(removed).toEqual(model.filter(matches));
                model = model.filter((e) => !matches(e));
                account(removed);
                takenOut += removed.length;
                break;
              }
              case 'unshiftMany': {
                const batch = Array.from({ length: op.count }, make);
                offered += batch.length;
                const removed = queue.unshiftMany(batch);
                const combined = [...batch, ...model];
                const keep = Math.min(max, combined.length);
                const expectedKept =
                  policy === 'drop-oldest' ? combined.slice(combined.length - keep) : combined.slice(0, keep);
                const expectedRemoved =
                  policy === 'drop-oldest' ? combined.slice(0, combined.length - keep) : combined.slice(keep);
                expect(removed).toEqual(expectedRemoved);
                model = expectedKept;
                account(removed);
                dropped += removed.length;
                break;
              }
              case 'drain': {
                const all = queue.drain();
                expect(all).toEqual(model);
                account(all);
                takenOut += all.length;
                model = [];
                break;
              }
            }
            expect(queue.size).toBeLessThanOrEqual(max);
            expect(queue.size).toBe(model.length);
            expect(queue.peek()).toBe(model[0]);
            expect(queue.dropped).toBe(dropped);
            expect(offered).toBe(dropped + takenOut + queue.size);
          }
          const remaining = queue.toArray();
          expect(remaining).toEqual(model);
          account(remaining);
          expect(seen.size).toBe(offered);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands entries out in the order they were offered when only push and shift are used', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom<OverflowPolicy>('drop-oldest', 'drop-newest', 'reject'),
        fc.array(fc.boolean(), { maxLength: 500 }),
        (max, policy, pushes) => {
          const queue = new OutboundQueue(max, policy);
          const delivered: number[] = [];
          pushes.forEach((isPush, i) => {
            if (isPush) queue.push({ frame: String(i) });
            else {
              const e = queue.shift();
              if (e !== undefined) delivered.push(Number(e.frame));
            }
          });
          delivered.push(...queue.drain().map((e) => Number(e.frame)));
          expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
        },
      ),
    );
  });
});

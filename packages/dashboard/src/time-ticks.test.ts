import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeTicks } from './time-ticks';

describe('timeTicks', () => {
  it('returns at most maxTicks evenly spaced ticks inside the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 1, max: 7 * 86_400_000 }),
        fc.integer({ min: 1, max: 12 }),
        (from, span, maxTicks) => {
          const ticks = timeTicks(from, from + span, maxTicks);
          expect(ticks.length).toBeLessThanOrEqual(maxTicks);
          for (const t of ticks) {
            expect(t).toBeGreaterThanOrEqual(from);
            expect(t).toBeLessThanOrEqual(from + span);
          }
          const gaps = new Set(ticks.slice(1).map((t, i) => t - ticks[i]!));
          expect(gaps.size).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('keeps a tick at the same time while the window slides', () => {
    const a = timeTicks(1_000_000, 1_300_000, 6);
    const b = timeTicks(1_010_000, 1_310_000, 6);
    expect(b.filter((t) => a.includes(t)).length).toBeGreaterThan(0);
    expect(timeTicks(5, 5, 4)).toEqual([]);
  });
});

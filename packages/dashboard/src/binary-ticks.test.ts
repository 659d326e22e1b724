import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryTicks, isBinaryUnit } from './binary-ticks';

const KiB = 1024;
const MiB = 1024 * 1024;

describe('binaryTicks', () => {
  it('puts byte ticks on round KiB values instead of round decimal ones', () => {
    expect(binaryTicks(0, 97_000)).toEqual([0, 25 * KiB, 50 * KiB, 75 * KiB, 100 * KiB]);
    expect(binaryTicks(0, 70 * KiB)).toEqual([0, 20 * KiB, 40 * KiB, 60 * KiB, 80 * KiB]);
  });

  it('scales to MiB and keeps fractional steps exact', () => {
    expect(binaryTicks(0, 1.9 * MiB)).toEqual([0, 0.5 * MiB, 1 * MiB, 1.5 * MiB, 2 * MiB]);
  });

  it('leaves values under 1 KiB in bytes and gives a flat line an axis', () => {
    expect(binaryTicks(0, 700)).toEqual([0, 200, 400, 600, 800]);
    expect(binaryTicks(0, 0)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('has nothing to offer for a range that is not finite', () => {
    expect(binaryTicks(0, Infinity)).toBeUndefined();
    expect(binaryTicks(NaN, 5)).toBeUndefined();
  });

  it('always covers the range with a few evenly spaced ticks', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        (a, b) => {
          const ticks = binaryTicks(a, b)!;
          expect(ticks[0]!).toBeLessThanOrEqual(Math.min(a, b) + 1e-9);
          expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(Math.max(a, b) - 1e-9 * Math.max(a, b));
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(ticks.length).toBeLessThanOrEqual(11);
          const step = ticks[1]! - ticks[0]!;
          for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 6);
        },
      ),
    );
  });

  it('applies to byte sizes and byte rates only', () => {
    expect([isBinaryUnit('bytes'), isBinaryUnit('Bps'), isBinaryUnit('decbytes'), isBinaryUnit('ms')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { sparklineGeometry } from './sparkline-path';

describe('sparklineGeometry', () => {
  it('scales the series into the padded box, highest value at the top', () => {
    const g = sparklineGeometry([0, 1, 2], [0, 10, 5], { width: 22, height: 12, padding: 1 });
    expect(g.line).toBe('M1,11L11,1L21,6');
    expect(g.end).toEqual({ x: 21, y: 6 });
  });

  it('leaves gaps open and closes each area segment to the baseline', () => {
    const g = sparklineGeometry([0, 1, 2, 3], [1, NaN, 1, 2], { width: 4, height: 4, padding: 0 });
    expect(g.line.match(/M/g)).toHaveLength(2);
    expect(g.area.match(/Z/g)).toHaveLength(2);
  });

  it('draws nothing without a value and centres a flat series', () => {
    expect(sparklineGeometry([0, 1], [NaN, NaN], { width: 10, height: 10, padding: 0 }).line).toBe('');
    expect(sparklineGeometry([0, 1], [3, 3], { width: 10, height: 10, padding: 0 }).line).toBe('M0,5L10,5');
  });

  it('draws at most about one point per pixel', () => {
    const xs = Array.from({ length: 5_000 }, (_, i) => i);
    const g = sparklineGeometry(xs, xs.map(Math.sin), { width: 100, height: 20, padding: 0 });
    expect(g.line.split(/[ML]/).length - 1).toBeLessThanOrEqual(100);
  });
});

import { describe, expect, it } from 'vitest';
import { arcPath, GAUGE_END_DEG, GAUGE_START_DEG, valueToAngle } from './gauge-arc';

describe('gauge geometry', () => {
  it('maps min, middle and max to the start, top and end of the sweep, clamping outside values', () => {
    expect(valueToAngle(0, 0, 100)).toBe(GAUGE_START_DEG);
    expect(valueToAngle(50, 0, 100)).toBe(0);
    expect(valueToAngle(100, 0, 100)).toBe(GAUGE_END_DEG);
    expect(valueToAngle(250, 0, 100)).toBe(GAUGE_END_DEG);
    expect(valueToAngle(-5, 0, 100)).toBe(GAUGE_START_DEG);
  });

  it('draws an arc with the large-arc flag only beyond 180° and nothing for an empty range', () => {
    expect(arcPath(50, 50, 10, -90, 90)).toBe('M40,50A10,10 0 0 1 60,50');
    expect(arcPath(50, 50, 10, -120, 120)).toContain(' 0 1 1 ');
    expect(arcPath(50, 50, 10, 30, 30)).toBe('');
  });
});

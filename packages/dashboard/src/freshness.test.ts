import { describe, expect, it } from 'vitest';
import { formatAgo, freshness, msUntilStale } from './freshness';

describe('freshness', () => {
  it('is never before any update, fresh while younger than staleAfterMs and stale from then on', () => {
    expect(freshness(undefined, 10_000, 5_000)).toBe('never');
    expect(freshness(6_000, 10_000, 5_000)).toBe('fresh');
    expect(freshness(5_000, 10_000, 5_000)).toBe('stale');
    expect(msUntilStale(6_000, 10_000, 5_000)).toBe(1_000);
    expect(msUntilStale(undefined, 10_000, 5_000)).toBeUndefined();
  });

  it('words an age in the largest whole unit', () => {
    expect(formatAgo(200, 'en')).toBe('just now');
    expect(formatAgo(12_400, 'en')).toBe('12 sec. ago');
    expect(formatAgo(3 * 60_000 + 5_000, 'en')).toBe('3 min. ago');
  });
});

import { describe, expect, it } from 'vitest';
import { computeDelta } from './delta';

describe('computeDelta', () => {
  it('states direction, percent and whether the change is good for the polarity', () => {
    expect(computeDelta(110, 100)).toMatchObject({ change: 10, percent: 10, direction: 'up', tone: 'positive' });
    expect(computeDelta(110, 100, 'lower-is-better')).toMatchObject({ tone: 'negative' });
    expect(computeDelta(90, 100, 'lower-is-better')).toMatchObject({ direction: 'down', tone: 'positive' });
    expect(computeDelta(90, 100, 'neutral')).toMatchObject({ tone: 'neutral' });
  });

  it('treats float noise as flat, a zero reference as no percent, and a missing side as no delta', () => {
    expect(computeDelta(0.1 + 0.2, 0.3)).toMatchObject({ direction: 'flat', tone: 'neutral' });
    expect(computeDelta(5, 0)?.percent).toBeUndefined();
    expect(computeDelta(undefined, 3)).toBeUndefined();
  });
});

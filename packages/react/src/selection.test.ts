import { describe, expect, it, vi } from 'vitest';
import { shallow } from 'zustand/vanilla/shallow';
import { createSelection } from './selection';

describe('createSelection', () => {
  it('does not call the selector again for the same state and selector', () => {
    const selection = createSelection<{ a: number }, number>();
    const selector = vi.fn((s: { a: number }) => s.a);
    const state = { a: 1 };
    selection.get(state, selector, Object.is);
    selection.get(state, selector, Object.is);
    expect(selector).toHaveBeenCalledTimes(1);
  });

  it('returns the previous result when a fresh result is equal, so identity is stable', () => {
    const selection = createSelection<{ a: number; b: number }, { a: number }>();
    const first = selection.get({ a: 1, b: 1 }, (s) => ({ a: s.a }), shallow);
    const second = selection.get({ a: 1, b: 2 }, (s) => ({ a: s.a }), shallow);
    expect(second).toBe(first);
    const third = selection.get({ a: 2, b: 2 }, (s) => ({ a: s.a }), shallow);
    expect(third).toEqual({ a: 2 });
    expect(third).not.toBe(first);
  });
});

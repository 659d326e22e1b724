import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleSubscribe } from './throttle-subscribe';

describe('throttleSubscribe', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes the first change at once, then at most one per interval, ending with a trailing call', () => {
    const listeners = new Set<() => void>();
    const subscribe = throttleSubscribe((l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    }, 1_000);
    const calls = vi.fn();
    const unsubscribe = subscribe(calls);
    const emit = () => listeners.forEach((l) => l());
    emit();
    expect(calls).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 100; i++) emit();
    expect(calls).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(calls).toHaveBeenCalledTimes(2);
    unsubscribe();
    emit();
    vi.advanceTimersByTime(5_000);
    expect(calls).toHaveBeenCalledTimes(2);
    expect(listeners.size).toBe(0);
  });
});

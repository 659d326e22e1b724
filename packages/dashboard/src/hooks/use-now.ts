import { useMemo, useSyncExternalStore } from 'react';

interface Clock {
  readonly subscribe: (notify: () => void) => () => void;
  readonly get: () => number;
}

function createClock(intervalMs: number | undefined): Clock {
  let now = Date.now();
  return {
    subscribe: (notify) => {
      now = Date.now();
      if (intervalMs === undefined || !(intervalMs > 0) || !Number.isFinite(intervalMs)) return () => {};
      const timer = setInterval(() => {
        now = Date.now();
        notify();
      }, intervalMs);
      return () => clearInterval(timer);
    },
    get: () => now,
  };
}

/**
 * The clock, re-read every `intervalMs` (re-rendering only this component); `undefined` stops the
 * ticking. For relative labels ("12 s ago") and countdowns; the value is stable between ticks.
 */
export function useNow(intervalMs: number | undefined): number {
  const clock = useMemo(() => createClock(intervalMs), [intervalMs]);
  return useSyncExternalStore(clock.subscribe, clock.get, clock.get);
}

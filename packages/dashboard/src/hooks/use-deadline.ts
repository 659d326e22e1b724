import { useCallback, useSyncExternalStore } from 'react';

/**
 * Whether the clock has reached `deadline` (ms); re-renders once, when it does. `undefined` never
 * passes. Cheaper than ticking: one timer per deadline.
 */
export function useDeadlinePassed(deadline: number | undefined): boolean {
  const subscribe = useCallback(
    (notify: () => void) => {
      if (deadline === undefined || !Number.isFinite(deadline)) return () => {};
      const wait = deadline - Date.now();
      if (wait <= 0) return () => {};
      // +1: timers may fire a hair early against Date.now().
      const timer = setTimeout(notify, wait + 1);
      return () => clearTimeout(timer);
    },
    [deadline],
  );
  const get = () => deadline !== undefined && (deadline === -Infinity || Date.now() >= deadline);
  return useSyncExternalStore(subscribe, get, () => false);
}

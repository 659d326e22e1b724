import { useEffect, useState } from 'react';

/**
 * `value` once it has held still for `delayMs` (trailing debounce). Live regions read this so that a
 * flapping status is announced once, when it settles, never once per change.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}

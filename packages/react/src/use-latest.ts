import { useEffect, useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

// Layout timing in the browser (the ref is current before any passive effect or event); on the server
// effects never run, and React 18 would warn about useLayoutEffect there.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** A ref that always holds the value of the last committed render, for callbacks that must not restart anything. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

export { useIsomorphicLayoutEffect };

import { useEffect, useState } from 'react';
import type { RefObject } from 'react';

/**
 * The element's content width in whole pixels (ResizeObserver), or `fixed` when given. Undefined until
 * first measured, so a chart never draws at a guessed size.
 */
export function useElementWidth(ref: RefObject<Element | null>, fixed: number | undefined): number | undefined {
  const [measured, setMeasured] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (fixed !== undefined) return;
    const element = ref.current;
    if (element === null || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1]?.contentRect.width;
      if (width !== undefined && width > 0) setMeasured(Math.floor(width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, fixed]);
  return fixed ?? measured;
}

import type { Ref, RefCallback } from 'react';

/** One ref callback that sets several refs (a forwarded ref and an internal one). */
export function mergeRefs<T>(...refs: (Ref<T> | undefined)[]): RefCallback<T> {
  return (value) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(value);
      else if (ref !== null && ref !== undefined) (ref as { current: T | null }).current = value;
    }
  };
}

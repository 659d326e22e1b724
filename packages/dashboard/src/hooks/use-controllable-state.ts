import { useCallback, useState } from 'react';
import { useLatest } from './use-latest';

export interface ControllableStateOptions<T> {
  /** The controlled value; `undefined` means uncontrolled. */
  prop: T | undefined;
  defaultProp: T;
  onChange?: ((value: T) => void) | undefined;
}

/**
 * Radix's controlled/uncontrolled pair: with `prop` the parent owns the value and hears of requested
 * changes through `onChange`; without it the component keeps its own state (starting at `defaultProp`)
 * and still calls `onChange`.
 */
export function useControllableState<T>({
  prop,
  defaultProp,
  onChange,
}: ControllableStateOptions<T>): [T, (next: T) => void] {
  const [own, setOwn] = useState(defaultProp);
  const controlled = prop !== undefined;
  const value = controlled ? prop : own;
  const onChangeRef = useLatest(onChange);
  const setValue = useCallback(
    (next: T) => {
      if (Object.is(next, value)) return;
      if (!controlled) setOwn(next);
      onChangeRef.current?.(next);
    },
    [controlled, value, onChangeRef],
  );
  return [value, setValue];
}

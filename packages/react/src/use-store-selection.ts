import { useState, useSyncExternalStore } from 'react';
import type { ReadonlyStore } from '@socketboard/core';
import { shallow } from 'zustand/vanilla/shallow';
import { createSelection, identity } from './selection';
import type { EqualityFn } from './selection';

/**
 * `useSyncExternalStore` over a core store with a selector that may return a fresh object each time:
 * equal selections (default `shallow`) keep the previous value, so they neither render nor loop.
 * `serverState` is what server rendering and hydration see.
 */
export function useStoreSelection<TState, TSelected>(
  store: ReadonlyStore<TState>,
  serverState: TState,
  selector: ((state: TState) => TSelected) | undefined,
  isEqual: EqualityFn<TSelected> | undefined,
): TSelected {
  const [selection] = useState(createSelection<TState, TSelected>);
  const [serverSelection] = useState(createSelection<TState, TSelected>);
  const select = selector ?? (identity as (state: TState) => TSelected);
  const equal = isEqual ?? shallow;
  return useSyncExternalStore(
    store.subscribe,
    () => selection.get(store.getState(), select, equal),
    () => serverSelection.get(serverState, select, equal),
  );
}

import { createStore as createZustandStore } from 'zustand/vanilla';
import type { ReadonlyStore } from './channel';

/** A store the engine writes and everyone else reads. */
export interface Store<T> extends ReadonlyStore<T> {
  /** Merges `patch` into a new state object. */
  readonly setState: (patch: Partial<T>) => void;
  /** Makes `next` the state as is: the hot path builds whole states, so there is nothing to merge. */
  readonly replace: (next: T) => void;
}

/**
 * A zustand vanilla store: hooks read it with zustand's `useStore` or React's
 * `useSyncExternalStore`. The engine writes whole states with `replace` (zustand's `setState(next,
 * true)`), so a message costs one object and no merge.
 */
export function createStore<T extends object>(initial: T): Store<T> {
  const api = createZustandStore<T>()(() => initial);
  return {
    getState: api.getState,
    getInitialState: api.getInitialState,
    subscribe: api.subscribe,
    setState: (patch) => api.setState(patch),
    replace: (next) => api.setState(next, true),
  };
}

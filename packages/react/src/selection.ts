/** Compares two selections; `true` keeps the previous one (and skips a render). */
export type EqualityFn<T> = (a: T, b: T) => boolean;

/**
 * Remembers the last selection so that reading the same state twice gives the same value, and a
 * selector that builds a fresh object or array each call (`(s) => ({ a: s.a })`) still returns the
 * previous value when it is equal. `useSyncExternalStore` compares snapshots with `Object.is`: without
 * this, such a selector makes every read look like a change, and React throws "Maximum update depth
 * exceeded" (the zustand v5 trap).
 */
export interface Selection<TState, TSelected> {
  /** `selector(state)`, or the previous result when `state` and `selector` did not change or the result is equal. */
  get(state: TState, selector: (state: TState) => TSelected, isEqual: EqualityFn<TSelected>): TSelected;
}

export function createSelection<TState, TSelected>(): Selection<TState, TSelected> {
  let hasValue = false;
  let lastState: TState | undefined;
  let lastSelector: ((state: TState) => TSelected) | undefined;
  let lastValue: TSelected | undefined;
  return {
    get(state, selector, isEqual) {
      if (hasValue && Object.is(state, lastState) && selector === lastSelector) return lastValue as TSelected;
      const next = selector(state);
      lastState = state;
      lastSelector = selector;
      if (hasValue && isEqual(lastValue as TSelected, next)) return lastValue as TSelected;
      hasValue = true;
      lastValue = next;
      return next;
    },
  };
}

/** The identity selector: kept as one function so that "no selector" never looks like a new selector. */
export function identity<T>(value: T): T {
  return value;
}

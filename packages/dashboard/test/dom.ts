/**
 * A controllable IntersectionObserver (jsdom has none): `setVisible(false)` reports every observed
 * element off screen. Returns a restore function too.
 */
export function installIntersectionObserver(): {
  setVisible(visible: boolean): void;
  restore(): void;
  readonly observed: number;
} {
  const observers = new Set<{
    callback: IntersectionObserverCallback;
    elements: Set<Element>;
    self: IntersectionObserver;
  }>();
  const previous = (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver;
  class FakeIntersectionObserver {
    private readonly entry;
    constructor(callback: IntersectionObserverCallback) {
      this.entry = { callback, elements: new Set<Element>(), self: this as unknown as IntersectionObserver };
      observers.add(this.entry);
    }
    observe(element: Element) {
      this.entry.elements.add(element);
    }
    unobserve(element: Element) {
      this.entry.elements.delete(element);
    }
    disconnect() {
      observers.delete(this.entry);
    }
    takeRecords() {
      return [];
    }
  }
  (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = FakeIntersectionObserver;
  return {
    setVisible(visible) {
      for (const o of observers) {
        const entries = [...o.elements].map(
          (target) => ({ target, isIntersecting: visible }) as IntersectionObserverEntry,
        );
        if (entries.length > 0) o.callback(entries, o.self);
      }
    },
    restore() {
      (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = previous;
    },
    get observed() {
      let n = 0;
      for (const o of observers) n += o.elements.size;
      return n;
    },
  };
}

/** Sets `document.visibilityState` and fires `visibilitychange`. */
export function setTabVisible(visible: boolean): void {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (visible ? 'visible' : 'hidden'),
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

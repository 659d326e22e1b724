/** Timers the engine uses. Swap them in tests; the defaults look the globals up on every call so fake timers installed later still apply. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the engine hears from the environment. */
export type SignalEvent = 'online' | 'offline' | 'visible' | 'hidden' | 'pageshow';

/**
 * Network and page-visibility signals. The browser default listens to `window` `online`/`offline`/
 * `pageshow` and `document` `visibilitychange`; elsewhere (Node, SSR) it reports always online and
 * visible and never fires.
 */
export interface EnvironmentSignals {
  isOnline(): boolean;
  isVisible(): boolean;
  /** Starts listening; the returned function stops. Called on `connect()`, released on `close()`. */
  subscribe(listener: (event: SignalEvent) => void): () => void;
}

/** A synchronous or asynchronous key/value store; `localStorage` fits as is. */
export interface StorageAdapter {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/**
 * A handler property type that accepts handlers for richer event types too (the method-bivariance
 * idiom of React's typings), so `ws`'s and the DOM's WebSocket classes both fit without a cast.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the standard WebSocket the engine uses, so `ws`, browsers and mocks all fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  binaryType: string;
  onopen: Handler<unknown> | null;
  onclose: Handler<{ code: number; reason: string; wasClean: boolean }> | null;
  onerror: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

interface BrowserGlobals {
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
  navigator?: { onLine?: boolean };
  document?: {
    visibilityState?: string;
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
  };
}

/** Browser signals when a `window` exists, inert ones elsewhere. Resolved at call time (SSR-safe). */
export const defaultSignals: EnvironmentSignals = {
  isOnline() {
    const g = globalThis as BrowserGlobals;
    return g.navigator?.onLine ?? true;
  },
  isVisible() {
    const g = globalThis as BrowserGlobals;
    return g.document?.visibilityState === undefined || g.document.visibilityState !== 'hidden';
  },
  subscribe(listener) {
    const g = globalThis as BrowserGlobals;
    if (typeof g.addEventListener !== 'function' || typeof g.removeEventListener !== 'function') return () => {};
    const doc = g.document;
    const onOnline = () => listener('online');
    const onOffline = () => listener('offline');
    const onPageShow = () => listener('pageshow');
    const onVisibility = () => listener(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible');
    g.addEventListener('online', onOnline);
    g.addEventListener('offline', onOffline);
    g.addEventListener('pageshow', onPageShow);
    doc?.addEventListener?.('visibilitychange', onVisibility);
    return () => {
      g.removeEventListener?.('online', onOnline);
      g.removeEventListener?.('offline', onOffline);
      g.removeEventListener?.('pageshow', onPageShow);
      doc?.removeEventListener?.('visibilitychange', onVisibility);
    };
  },
};

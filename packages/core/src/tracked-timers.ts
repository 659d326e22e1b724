import type { Timers } from './environment';

/**
 * Named single-shot timers over the injected `Timers`: setting a name again replaces it, and
 * `active` counts what is pending, so a leak test can prove `close()` leaves nothing behind.
 */
export class TrackedTimers<Name extends string> {
  private readonly handles = new Map<Name, unknown>();

  constructor(private readonly timers: Timers) {}

  set(name: Name, ms: number, callback: () => void): void {
    this.clear(name);
    const handle = this.timers.setTimeout(() => {
      if (this.handles.get(name) === handle) this.handles.delete(name);
      callback();
    }, ms);
    this.handles.set(name, handle);
  }

  clear(name: Name): void {
    const handle = this.handles.get(name);
    if (handle === undefined) return;
    this.handles.delete(name);
    this.timers.clearTimeout(handle);
  }

  has(name: Name): boolean {
    return this.handles.has(name);
  }

  clearAll(): void {
    for (const handle of this.handles.values()) this.timers.clearTimeout(handle);
    this.handles.clear();
  }

  get active(): number {
    return this.handles.size;
  }
}

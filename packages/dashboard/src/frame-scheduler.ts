/** How a {@link FrameScheduler} asks for a frame. Swap in tests. */
export interface FrameTimers {
  request(callback: () => void): unknown;
  cancel(handle: unknown): void;
}

/**
 * `requestAnimationFrame` where there is one, a 16 ms timeout elsewhere (SSR, Node). Looked up on
 * every call so fakes installed after import still apply.
 */
export const defaultFrameTimers: FrameTimers = {
  request(callback) {
    if (typeof globalThis.requestAnimationFrame === 'function') return globalThis.requestAnimationFrame(callback);
    return { timeout: globalThis.setTimeout(callback, 16) };
  },
  cancel(handle) {
    if (typeof handle === 'object' && handle !== null && 'timeout' in handle) {
      globalThis.clearTimeout((handle as { timeout: ReturnType<typeof setTimeout> }).timeout);
    } else if (typeof globalThis.cancelAnimationFrame === 'function') {
      globalThis.cancelAnimationFrame(handle as number);
    }
  },
};

/**
 * Coalesces any number of `schedule()` calls into one `callback` run on the next animation frame:
 * a burst of messages costs one render, not one per message.
 */
export class FrameScheduler {
  private handle: unknown = undefined;
  private scheduled = false;

  constructor(
    private readonly callback: () => void,
    private readonly timers: FrameTimers = defaultFrameTimers,
  ) {}

  /** True while a run is waiting for its frame. */
  get pending(): boolean {
    return this.scheduled;
  }

  /** Runs `callback` on the next frame; further calls before then do nothing. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.handle = this.timers.request(this.run);
  }

  /** Drops a waiting run. */
  cancel(): void {
    if (!this.scheduled) return;
    this.scheduled = false;
    this.timers.cancel(this.handle);
    this.handle = undefined;
  }

  private readonly run = (): void => {
    this.scheduled = false;
    this.handle = undefined;
    this.callback();
  };
}

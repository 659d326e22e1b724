/**
 * Runs tasks once on the next animation frame, all together: every channel view that changed in a
 * frame flushes in one callback, so React commits them in one render instead of one per view.
 */
export interface FrameScheduler {
  /** Runs `task` on the next frame (once, however often it is scheduled before that). Returns a cancel function. */
  schedule(task: () => void): () => void;
  /** Tasks waiting for the next frame: for leak tests. */
  readonly pending: number;
}

/** What the scheduler needs from the environment; the defaults are the globals, looked up per frame. */
export interface FrameEnvironment {
  requestAnimationFrame?: ((callback: () => void) => number) | undefined;
  cancelAnimationFrame?: ((handle: number) => void) | undefined;
  setTimeout?: ((callback: () => void, ms: number) => unknown) | undefined;
  clearTimeout?: ((handle: unknown) => void) | undefined;
}

/** Where there is no `requestAnimationFrame` (Node, some workers), a frame is ~16 ms. */
export const FALLBACK_FRAME_MS = 16;

interface FrameGlobals {
  requestAnimationFrame?: (callback: () => void) => number;
  cancelAnimationFrame?: (handle: number) => void;
}

export function createFrameScheduler(environment: FrameEnvironment = {}): FrameScheduler {
  const tasks = new Set<() => void>();
  let handle: unknown;
  let cancelFrame: ((handle: unknown) => void) | undefined;

  const run = () => {
    handle = undefined;
    cancelFrame = undefined;
    // A task may schedule again (for the next frame): iterate over a copy.
    const batch = [...tasks];
    tasks.clear();
    for (const task of batch) task();
  };

  const request = () => {
    // Looked up at call time, so test stubs and late polyfills apply, and SSR never touches them.
    const g = globalThis as FrameGlobals;
    const raf = environment.requestAnimationFrame ?? g.requestAnimationFrame?.bind(globalThis);
    if (raf !== undefined) {
      handle = raf(run);
      const caf = environment.cancelAnimationFrame ?? g.cancelAnimationFrame?.bind(globalThis);
      cancelFrame = caf && ((h: unknown) => caf(h as number));
      return;
    }
    const set = environment.setTimeout ?? ((callback: () => void, ms: number) => globalThis.setTimeout(callback, ms));
    const clear =
      environment.clearTimeout ??
      ((h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>));
    handle = set(run, FALLBACK_FRAME_MS);
    cancelFrame = clear;
  };

  return {
    schedule(task) {
      tasks.add(task);
      if (handle === undefined) request();
      return () => {
        tasks.delete(task);
        // Without a cancel function the frame still fires, finds nothing and goes idle.
        if (tasks.size === 0 && handle !== undefined && cancelFrame !== undefined) {
          cancelFrame(handle);
          handle = undefined;
          cancelFrame = undefined;
        }
      };
    },
    get pending() {
      return tasks.size;
    },
  };
}

import { createFrameBudget, DEFAULT_FRAME_BUDGET_MS, DEFAULT_MAX_SPACING } from './frame-budget';
import type { FrameBudget } from './frame-budget';

/**
 * Runs tasks once on the next animation frame, all together: every channel view that changed in a
 * frame flushes in one callback, so React commits them in one render instead of one per view. When
 * those flushes cost more than the frame budget, it flushes only every 2nd, 3rd… frame (see
 * `frameBudgetMs`); a task then simply runs a few frames later.
 */
export interface FrameScheduler {
  /** Runs `task` on the next flush frame (once, however often it is scheduled before that). Returns a cancel function. */
  schedule(task: () => void): () => void;
  /** Tasks waiting for the next flush: for leak tests. */
  readonly pending: number;
  /** Frames from one flush to the next now: `1` is every frame; more while flushes are expensive. */
  readonly spacing: number;
}

/** What the scheduler needs from the environment; the defaults are the globals, looked up when used. */
export interface FrameEnvironment {
  requestAnimationFrame?: ((callback: () => void) => number) | undefined;
  cancelAnimationFrame?: ((handle: number) => void) | undefined;
  setTimeout?: ((callback: () => void, ms: number) => unknown) | undefined;
  clearTimeout?: ((handle: unknown) => void) | undefined;
  /** The clock flushes are measured with, ms. Default `performance.now`. */
  now?: (() => number) | undefined;
  /**
   * Runs `callback` once the work a flush triggered is done. Default `queueMicrotask`: React renders
   * `useSyncExternalStore` updates in a microtask queued during the flush, which runs before this one.
   */
  queueMicrotask?: ((callback: () => void) => void) | undefined;
}

export interface FrameSchedulerOptions {
  /**
   * Flush work (ms) a frame may hold on average. While flushes cost more, they are spaced so that
   * each one's cost spread over the frames up to the next stays within it: every 2nd frame for a
   * flush of up to twice the budget, and so on, at most every `maxSpacing`-th frame; back to every
   * frame once flushes are cheap again. `false` flushes every frame whatever it costs. Default `8`
   * (about half a 60 Hz frame).
   */
  frameBudgetMs?: number | false | undefined;
  /** The widest spacing, in frames. Default `6` (100 ms at 60 Hz), so data never looks frozen. */
  maxSpacing?: number | undefined;
}

/** Where there is no `requestAnimationFrame` (Node, some workers), a frame is ~16 ms. */
export const FALLBACK_FRAME_MS = 16;

interface FrameGlobals {
  requestAnimationFrame?: (callback: () => void) => number;
  cancelAnimationFrame?: (handle: number) => void;
  performance?: { now(): number };
}

export function createFrameScheduler(
  environment: FrameEnvironment = {},
  options: FrameSchedulerOptions = {},
): FrameScheduler {
  const budgetMs = options.frameBudgetMs ?? DEFAULT_FRAME_BUDGET_MS;
  const budget: FrameBudget | undefined =
    budgetMs === false
      ? undefined
      : createFrameBudget({ budgetMs, maxSpacing: options.maxSpacing ?? DEFAULT_MAX_SPACING });
  const tasks = new Set<() => void>();
  let handle: unknown;
  let cancelFrame: ((handle: unknown) => void) | undefined;
  // Frames since the last flush ran; the next flush waits until it reaches the spacing.
  let sinceFlush = Number.POSITIVE_INFINITY;

  const spacing = () => budget?.spacing ?? 1;

  const clock = (): (() => number) => {
    if (environment.now !== undefined) return environment.now;
    const performance = (globalThis as FrameGlobals).performance;
    return performance === undefined ? Date.now : () => performance.now();
  };

  const measure = (start: number) => {
    if (budget === undefined) return;
    const now = clock();
    const after = environment.queueMicrotask ?? ((callback: () => void) => globalThis.queueMicrotask(callback));
    after(() => budget.record(now() - start));
  };

  const run = () => {
    handle = undefined;
    cancelFrame = undefined;
    sinceFlush++;
    if (tasks.size === 0 || sinceFlush < spacing()) {
      // Between spaced flushes the frames are counted even with nothing to run, so a task scheduled
      // after a quiet spell runs on the next frame rather than waiting out a spacing that has passed.
      if (sinceFlush < spacing() - (tasks.size === 0 ? 1 : 0)) request();
      return;
    }
    sinceFlush = 0;
    const start = budget === undefined ? 0 : clock()();
    // A task may schedule again (for the next flush): iterate over a copy.
    const batch = [...tasks];
    tasks.clear();
    try {
      for (const task of batch) task();
    } finally {
      measure(start);
      // Spaced: count the frames up to the next flush (see above).
      if (handle === undefined && spacing() > 1) request();
    }
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
        // Without a cancel function the frame still fires, finds nothing and goes idle. While flushes
        // are spaced the frame stays: it counts toward the next flush.
        if (tasks.size === 0 && handle !== undefined && cancelFrame !== undefined && sinceFlush >= spacing() - 1) {
          cancelFrame(handle);
          handle = undefined;
          cancelFrame = undefined;
        }
      };
    },
    get pending() {
      return tasks.size;
    },
    get spacing() {
      return spacing();
    },
  };
}

import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import type { FrameTimers } from '../src/frame-scheduler';

/** Animation frames that run only when the test says so. */
export interface ManualFrames extends FrameTimers {
  /** Runs the callbacks waiting for the next frame (not those they schedule). Returns how many ran. */
  flush(): number;
  readonly waiting: number;
}

export function manualFrames(): ManualFrames {
  let next = 1;
  const queue = new Map<number, () => void>();
  return {
    request(callback) {
      const id = next++;
      queue.set(id, callback);
      return id;
    },
    cancel(handle) {
      queue.delete(handle as number);
    },
    flush() {
      const batch = [...queue.values()];
      queue.clear();
      for (const callback of batch) callback();
      return batch.length;
    },
    get waiting() {
      return queue.size;
    },
  };
}

/**
 * Replaces the global `requestAnimationFrame`/`cancelAnimationFrame` with manual frames (components
 * use the globals); returns the frames and a function that restores the originals.
 */
export function installManualFrames(): ManualFrames & { restore(): void } {
  const frames = manualFrames();
  const raf = globalThis.requestAnimationFrame;
  const caf = globalThis.cancelAnimationFrame;
  globalThis.requestAnimationFrame = ((callback: FrameRequestCallback) =>
    frames.request(() => callback(0))) as typeof globalThis.requestAnimationFrame;
  globalThis.cancelAnimationFrame = (handle: number) => frames.cancel(handle);
  return Object.assign(frames, {
    restore() {
      globalThis.requestAnimationFrame = raf;
      globalThis.cancelAnimationFrame = caf;
    },
  });
}

/**
 * For a whole test file: fake timers (set to `t0` when given) and manual animation frames before each test; after
 * each, Testing Library's cleanup, the real frames and timers back. Returns the frames of the running
 * test. Call it after `mockSocket()`, so that the socket's cleanup runs after this one's.
 */
export function fakeClockAndFrames(t0?: number): ManualFrames {
  let current: (ManualFrames & { restore(): void }) | undefined;
  const frames = (): ManualFrames => {
    if (current === undefined) throw new Error('fakeClockAndFrames: frames exist only while a test runs.');
    return current;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    if (t0 !== undefined) vi.setSystemTime(t0);
    current = installManualFrames();
  });
  afterEach(() => {
    cleanup();
    current?.restore();
    current = undefined;
    vi.useRealTimers();
  });
  return {
    request: (callback) => frames().request(callback),
    cancel: (handle) => frames().cancel(handle),
    flush: () => frames().flush(),
    get waiting() {
      return frames().waiting;
    },
  };
}

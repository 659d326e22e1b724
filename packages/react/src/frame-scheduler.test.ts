import { afterEach, describe, expect, it, vi } from 'vitest';
import { SocketboardConfigError } from '@socketboard/core';
import { manualFrames } from '../test/fake-socket';
import { createFrameScheduler, FALLBACK_FRAME_MS } from './frame-scheduler';
import type { FrameScheduler } from './frame-scheduler';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('createFrameScheduler', () => {
  it('runs every task scheduled before a frame in that one frame, each once', () => {
    const frames = manualFrames();
    const scheduler = createFrameScheduler(frames);
    const a = vi.fn();
    const b = vi.fn();
    scheduler.schedule(a);
    scheduler.schedule(b);
    scheduler.schedule(a);
    expect(frames.queued).toBe(1);
    expect(scheduler.pending).toBe(2);
    frames.frame();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    expect(scheduler.pending).toBe(0);
  });

  it('puts a task scheduled while a frame runs into the next frame', () => {
    const frames = manualFrames();
    const scheduler = createFrameScheduler(frames);
    const later = vi.fn();
    scheduler.schedule(() => scheduler.schedule(later));
    frames.frame();
    expect(later).not.toHaveBeenCalled();
    frames.frame();
    expect(later).toHaveBeenCalledTimes(1);
  });

  it('cancels the frame when its last task is cancelled', () => {
    const frames = manualFrames();
    const scheduler = createFrameScheduler(frames);
    const task = vi.fn();
    const cancel = scheduler.schedule(task);
    cancel();
    expect(frames.queued).toBe(0);
    expect(scheduler.pending).toBe(0);
    scheduler.schedule(task);
    frames.frame();
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('uses the global requestAnimationFrame, looked up when scheduling', () => {
    const frames = manualFrames();
    const scheduler = createFrameScheduler();
    vi.stubGlobal('requestAnimationFrame', frames.requestAnimationFrame);
    vi.stubGlobal('cancelAnimationFrame', frames.cancelAnimationFrame);
    const task = vi.fn();
    scheduler.schedule(task);
    expect(frames.frame()).toBe(1);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('falls back to a 16 ms timeout where there is no requestAnimationFrame', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', undefined);
    const scheduler = createFrameScheduler();
    const task = vi.fn();
    scheduler.schedule(task);
    vi.advanceTimersByTime(FALLBACK_FRAME_MS - 1);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(1);
  });
});

/**
 * Hand-cranked frames with a fake clock: each frame is 16 ms after the previous one, a task "costs"
 * what it advances the clock by, and the measurement the scheduler queues after a flush runs at the
 * end of the frame, as the microtask after React's render would.
 */
function timedFrames() {
  const frames = manualFrames();
  let now = 0;
  const microtasks: Array<() => void> = [];
  const environment = {
    requestAnimationFrame: frames.requestAnimationFrame,
    cancelAnimationFrame: frames.cancelAnimationFrame,
    now: () => now,
    queueMicrotask: (callback: () => void) => void microtasks.push(callback),
  };
  return {
    environment,
    frames,
    spend(ms: number) {
      now += ms;
    },
    /** One frame, then the microtasks queued in it. */
    frame(): void {
      now = Math.ceil((now + 1) / 16) * 16;
      frames.frame();
      for (const callback of microtasks.splice(0)) callback();
    },
  };
}

/**
 * Feeds a scheduler one "message" per frame, each scheduling the task that shows the latest one;
 * the n-th flush costs `cost(n)` ms. Returns the frames that flushed and the spacing after each frame.
 */
function feed(
  scheduler: FrameScheduler,
  t: ReturnType<typeof timedFrames>,
  frames: number,
  cost: number | ((flush: number) => number),
) {
  const flushFrames: number[] = [];
  const spacings: number[] = [];
  let sent = 0;
  let shown = 0;
  const show = () => {
    shown = sent;
    t.spend(typeof cost === 'number' ? cost : cost(flushFrames.length));
  };
  for (let i = 0; i < frames; i++) {
    sent++;
    scheduler.schedule(show);
    const before = shown;
    t.frame();
    if (shown !== before) flushFrames.push(i);
    spacings.push(scheduler.spacing);
  }
  const gaps = flushFrames.slice(1).map((f, i) => f - flushFrames[i]!);
  return { flushFrames, gaps, spacings, sent: () => sent, shown: () => shown };
}

describe('frame budget', () => {
  it('flushes every frame while flushes are cheap', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment);
    const run = feed(scheduler, t, 100, 3);
    expect(run.flushFrames).toHaveLength(100);
    expect(scheduler.spacing).toBe(1);
  });

  it('spaces expensive flushes over as many frames as keep each frame within the budget', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8 });
    // 13 ms a flush: over one frame's budget, within two frames' worth.
    const run = feed(scheduler, t, 200, 13);
    expect(scheduler.spacing).toBe(2);
    expect(run.gaps.slice(-20)).toEqual(Array(20).fill(2));
  });

  it('widens the spacing one frame at a time, up to maxSpacing and no further', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8, maxSpacing: 4 });
    const run = feed(scheduler, t, 300, 200);
    // Never jumps: each gap is at most one frame wider than the one before.
    expect(run.gaps.every((gap, i) => i === 0 || gap - run.gaps[i - 1]! <= 1)).toBe(true);
    expect(Math.max(...run.gaps)).toBe(4);
    expect(run.gaps.slice(-10)).toEqual(Array(10).fill(4));
    expect(scheduler.spacing).toBe(4);
  });

  it('returns to every frame once flushes are cheap again, without flipping back and forth', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8 });
    feed(scheduler, t, 200, 60);
    expect(scheduler.spacing).toBe(6);
    const cheap = feed(scheduler, t, 200, 2);
    expect(scheduler.spacing).toBe(1);
    // Narrowing only: once a gap is narrower, no later gap is wider.
    expect(cheap.gaps.every((gap, i) => i === 0 || gap <= cheap.gaps[i - 1]!)).toBe(true);
    expect(cheap.gaps.slice(-50)).toEqual(Array(50).fill(1));
  });

  it('holds a spacing when the cost sits near a threshold', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8 });
    feed(scheduler, t, 100, 12);
    expect(scheduler.spacing).toBe(2);
    // Alternating 7 and 9 ms averages about 8: within one frame's budget, but not by the margin.
    const wobble = feed(scheduler, t, 200, (flush) => (flush % 2 === 0 ? 7 : 9));
    expect(new Set(wobble.spacings)).toEqual(new Set([2]));
  });

  it('loses nothing: a skipped frame leaves the task for the next flush, which shows the latest value', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8 });
    const run = feed(scheduler, t, 200, 40);
    expect(scheduler.spacing).toBeGreaterThan(1);
    expect(scheduler.pending).toBe(1);
    for (let i = 0; i < scheduler.spacing; i++) t.frame();
    expect(scheduler.pending).toBe(0);
    expect(run.shown()).toBe(run.sent());
  });

  it('runs a task scheduled after a quiet spell on the next frame, even while flushes are spaced', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8 });
    feed(scheduler, t, 200, 40);
    expect(scheduler.spacing).toBeGreaterThan(1);
    for (let i = 0; i < 10; i++) t.frame();
    // The frames that counted down the spacing have stopped.
    expect(t.frames.queued).toBe(0);
    const task = vi.fn();
    scheduler.schedule(task);
    t.frame();
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('keeps counting frames toward the next flush when its last task is cancelled while spaced', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: 8, maxSpacing: 3 });
    feed(scheduler, t, 200, 100);
    expect(scheduler.spacing).toBe(3);
    // Run frames until a flush has just happened (as expensive as the others): 3 frames to the next.
    const probe = vi.fn(() => t.spend(100));
    scheduler.schedule(probe);
    while (probe.mock.calls.length === 0) t.frame();
    const cancel = scheduler.schedule(vi.fn());
    cancel();
    t.frame();
    t.frame();
    const task = vi.fn();
    scheduler.schedule(task);
    // The frames after the cancel counted: this is the third since the flush, so the task runs now.
    t.frame();
    expect(scheduler.spacing).toBe(3);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('flushes every frame whatever flushes cost with frameBudgetMs: false', () => {
    const t = timedFrames();
    const scheduler = createFrameScheduler(t.environment, { frameBudgetMs: false });
    const run = feed(scheduler, t, 100, 200);
    expect(run.flushFrames).toHaveLength(100);
    expect(scheduler.spacing).toBe(1);
  });

  it('rejects a budget that is not a positive number and a spacing that is not a whole number of frames', () => {
    expect(() => createFrameScheduler({}, { frameBudgetMs: 0 })).toThrow(SocketboardConfigError);
    expect(() => createFrameScheduler({}, { frameBudgetMs: Number.NaN })).toThrow(SocketboardConfigError);
    expect(() => createFrameScheduler({}, { maxSpacing: 0 })).toThrow(SocketboardConfigError);
    expect(() => createFrameScheduler({}, { maxSpacing: 2.5 })).toThrow(SocketboardConfigError);
  });
});

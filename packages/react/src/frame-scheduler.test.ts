import { afterEach, describe, expect, it, vi } from 'vitest';
import { manualFrames } from '../test/fake-socket';
import { createFrameScheduler, FALLBACK_FRAME_MS } from './frame-scheduler';

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

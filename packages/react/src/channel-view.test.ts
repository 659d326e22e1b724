import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelState, StandardSchemaV1 } from '@socketboard/core';
import { manualFrames, openFakeConnection } from '../test/fake-socket';
import { createChannelView } from './channel-view';
import type { ChannelViewOptions } from './channel-view';
import { createFrameScheduler } from './frame-scheduler';

function setup<S = ChannelState<number>>(options: ChannelViewOptions<number, S> = {}) {
  const ctx = openFakeConnection({ channelGraceMs: 50 });
  const frames = manualFrames();
  const scheduler = createFrameScheduler(frames);
  const view = createChannelView<number, S>(ctx.connection, 'a', { scheduler, ...options });
  return { ...ctx, frames, scheduler, view };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('lifecycle', () => {
  it('does nothing until its first listener, then subscribes once on the wire however many listen', () => {
    const { view, connection, socket } = setup();
    expect(connection.inspect().channelListeners).toBe(0);
    expect(view.active).toBe(false);
    const off1 = view.subscribe(() => {});
    const off2 = view.subscribe(() => {});
    expect(view.active).toBe(true);
    expect(connection.inspect().channelListeners).toBe(1);
    expect(socket.framesOf('sub')).toEqual([{ t: 'sub', ch: 'a' }]);
    off1();
    expect(view.active).toBe(true);
    off2();
    expect(view.active).toBe(false);
    expect(connection.inspect().channelListeners).toBe(0);
  });

  it('leaves the channel on the wire after the connection grace delay once the last listener is gone', () => {
    vi.useFakeTimers();
    const { view, socket } = setup();
    const off = view.subscribe(() => {});
    off();
    expect(socket.framesOf('unsub')).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(socket.framesOf('unsub')).toEqual([{ t: 'unsub', ch: 'a' }]);
  });

  it('keeps the wire subscription across an unsubscribe and resubscribe in the same tick (StrictMode)', () => {
    vi.useFakeTimers();
    const { view, socket } = setup();
    view.subscribe(() => {})();
    view.subscribe(() => {});
    vi.advanceTimersByTime(1_000);
    expect(socket.framesOf('sub')).toHaveLength(1);
    expect(socket.framesOf('unsub')).toHaveLength(0);
  });

  it('cancels its pending frame when the last listener leaves', () => {
    const { view, socket, scheduler, frames } = setup();
    const off = view.subscribe(() => {});
    socket.message('a', 1);
    expect(scheduler.pending).toBe(1);
    off();
    expect(scheduler.pending).toBe(0);
    expect(frames.queued).toBe(0);
  });

  it('never subscribes when disabled and shows the idle channel', () => {
    const { view, connection, socket } = setup({ enabled: false });
    const listener = vi.fn();
    view.subscribe(listener);
    socket.message('a', 1);
    expect(connection.inspect().channelListeners).toBe(0);
    expect(view.getSnapshot()).toMatchObject({ name: 'a', status: 'idle', data: undefined });
    expect(listener).not.toHaveBeenCalled();
  });

  it('passes history and schema to the connection', () => {
    const schema: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          typeof value === 'number' ? { value: value * 10 } : { issues: [{ message: 'not a number' }] },
      },
    };
    const { view, socket, frames } = setup({ history: 2, schema });
    view.subscribe(() => {});
    socket.message('a', 1);
    socket.message('a', 'x');
    socket.message('a', 2);
    socket.message('a', 3);
    frames.frame();
    expect(view.getSnapshot()).toMatchObject({ data: 30, history: [20, 30] });
  });
});

describe('snapshots', () => {
  it('shows the live channel state before any listener, and the idle state to server rendering', () => {
    const { view, connection } = setup();
    expect(view.getSnapshot()).toBe(connection.channel('a').getState());
    expect(view.getServerSnapshot()).toEqual({
      name: 'a',
      status: 'idle',
      data: undefined,
      seq: undefined,
      lastMessageAt: undefined,
      history: [],
      resumed: undefined,
      error: undefined,
      count: 0,
    });
    expect(view.getServerSnapshot()).toBe(view.getServerSnapshot());
  });

  it('keeps the previous selection when a selector builds an equal fresh object', () => {
    const { view, socket, frames } = setup({ select: (s) => ({ status: s.status }) });
    view.subscribe(() => {});
    const first = view.getSnapshot();
    expect(view.getSnapshot()).toBe(first);
    socket.message('a', 1);
    frames.frame();
    expect(view.getSnapshot()).toBe(first);
    socket.subscribed('a');
    frames.frame();
    expect(view.getSnapshot()).toEqual({ status: 'subscribed' });
    expect(view.getSnapshot()).not.toBe(first);
  });

  it('keeps the selection when a new selector function gives an equal result, and uses a custom isEqual', () => {
    const { view, socket, frames } = setup<{ even: boolean }>();
    view.setSelector((s) => ({ even: (s.data ?? 0) % 2 === 0 }));
    view.subscribe(() => {});
    const first = view.getSnapshot();
    view.setSelector((s) => ({ even: (s.data ?? 0) % 2 === 0 }));
    expect(view.getSnapshot()).toBe(first);
    view.setSelector(
      (s) => ({ even: (s.data ?? 0) % 2 === 0 }),
      () => false,
    );
    socket.message('a', 2);
    frames.frame();
    expect(view.getSnapshot()).not.toBe(first);
  });
});

describe("deliver: 'frame'", () => {
  it('tells listeners once per frame, with the newest state, however many messages arrived', () => {
    const { view, socket, frames } = setup();
    const listener = vi.fn();
    view.subscribe(listener);
    for (let i = 1; i <= 1_000; i++) socket.message('a', i);
    expect(listener).not.toHaveBeenCalled();
    expect(view.getSnapshot().data).toBeUndefined();
    expect(frames.frame()).toBe(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(view.getSnapshot()).toMatchObject({ data: 1_000, seq: 1_000, count: 1_000 });
  });

  it('flushes every view of one scheduler in the same frame', () => {
    const { connection, socket, frames, scheduler } = setup();
    const a = createChannelView<number>(connection, 'a', { scheduler });
    const b = createChannelView<number>(connection, 'b', { scheduler });
    a.subscribe(() => {});
    b.subscribe(() => {});
    socket.message('a', 1);
    socket.message('b', 2);
    expect(frames.queued).toBe(1);
    frames.frame();
    expect([a.getSnapshot().data, b.getSnapshot().data]).toEqual([1, 2]);
  });

  it('calls onMessage for every message, in order, without waiting for a frame, and always the latest one', () => {
    const first: number[] = [];
    const second: number[] = [];
    const { view, socket } = setup({ onMessage: (d) => first.push(d) });
    const listener = vi.fn();
    view.subscribe(listener);
    socket.message('a', 1);
    socket.message('a', 2);
    view.setOnMessage((d, meta) => second.push(d * 100 + (meta.seq ?? 0)));
    socket.message('a', 3);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([303]);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe("deliver: 'every'", () => {
  it('shows each state in order, the next only after the previous was rendered', async () => {
    const { view, socket } = setup({ deliver: 'every' });
    const seen: Array<number | undefined> = [];
    view.subscribe(() => seen.push(view.getSnapshot().data));
    for (let i = 1; i <= 5; i++) socket.message('a', i);
    expect(seen).toEqual([1]);
    expect(view.backlog).toBe(4);
    for (let i = 0; i < 10; i++) {
      view.rendered(view.getSnapshot());
      await Promise.resolve();
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(view.backlog).toBe(0);
  });

  it('ignores a stale rendered() (StrictMode runs effects twice)', async () => {
    const { view, socket } = setup({ deliver: 'every' });
    const seen: Array<number | undefined> = [];
    view.subscribe(() => seen.push(view.getSnapshot().data));
    socket.message('a', 1);
    socket.message('a', 2);
    socket.message('a', 3);
    const one = view.getSnapshot();
    view.rendered(one);
    await Promise.resolve();
    view.rendered(one);
    await Promise.resolve();
    expect(seen).toEqual([1, 2]);
  });

  it('skips states whose selection did not change, without waiting for a render', async () => {
    const { view, socket } = setup<boolean>({ deliver: 'every', select: (s) => (s.data ?? 0) > 2 });
    const seen: boolean[] = [];
    view.subscribe(() => seen.push(view.getSnapshot()));
    for (const d of [1, 2, 3, 4, 1]) socket.message('a', d);
    // 1 and 2 select false like the state before them: skipped. 3 selects true: shown, and the view waits.
    expect(seen).toEqual([true]);
    expect(view.backlog).toBe(2);
    view.rendered(true);
    await Promise.resolve();
    // 4 selects true again: skipped without a wait; 1 selects false: shown.
    expect(seen).toEqual([true, false]);
    expect(view.backlog).toBe(0);
  });

  it('drops its backlog when the last listener leaves', () => {
    const { view, socket } = setup({ deliver: 'every' });
    const off = view.subscribe(() => {});
    for (let i = 1; i <= 3; i++) socket.message('a', i);
    expect(view.backlog).toBe(2);
    off();
    expect(view.backlog).toBe(0);
  });
});

describe('deliver: { throttleMs }', () => {
  it('shows the first change at once, then at most one per interval, ending on the newest state', () => {
    vi.useFakeTimers();
    const { view, socket } = setup({ deliver: { throttleMs: 100 } });
    const seen: Array<number | undefined> = [];
    view.subscribe(() => seen.push(view.getSnapshot().data));
    socket.message('a', 1);
    socket.message('a', 2);
    socket.message('a', 3);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(99);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 3]);
    vi.advanceTimersByTime(1_000);
    expect(seen).toEqual([1, 3]);
    socket.message('a', 4);
    expect(seen).toEqual([1, 3, 4]);
  });

  it('clears its timer when the last listener leaves', () => {
    vi.useFakeTimers();
    const timers = {
      setTimeout: vi.fn((callback: () => void, ms: number) => setTimeout(callback, ms)),
      clearTimeout: vi.fn((handle: unknown) => clearTimeout(handle as number)),
    };
    const { view, socket } = setup({ deliver: { throttleMs: 100 }, timers });
    const off = view.subscribe(() => {});
    socket.message('a', 1);
    expect(timers.setTimeout).toHaveBeenCalledTimes(1);
    off();
    expect(timers.clearTimeout).toHaveBeenCalledWith(timers.setTimeout.mock.results[0]!.value);
  });
});

describe('on a scheduler that spaces its flushes (expensive renders)', () => {
  /** A scheduler driven to flush every few frames by flushes that each cost 50 ms of a fake clock. */
  function spacedSetup<S = ChannelState<number>>(options: ChannelViewOptions<number, S>) {
    const ctx = openFakeConnection({ channelGraceMs: 50 });
    const frames = manualFrames();
    let now = 0;
    const scheduler = createFrameScheduler({ ...frames, now: () => now, queueMicrotask: (callback) => callback() });
    const expensive = () => {
      now += 50;
    };
    for (let i = 0; i < 100; i++) {
      scheduler.schedule(expensive);
      frames.frame();
    }
    while (frames.queued > 0) frames.frame();
    const view = createChannelView<number, S>(ctx.connection, 'a', { scheduler, ...options });
    return { ...ctx, frames, scheduler, view };
  }

  it("'every' still hands over every state in order, without waiting for frames", async () => {
    const { view, socket, scheduler } = spacedSetup({ deliver: 'every' });
    expect(scheduler.spacing).toBeGreaterThan(1);
    const seen: Array<number | undefined> = [];
    view.subscribe(() => seen.push(view.getSnapshot().data));
    for (let i = 1; i <= 5; i++) socket.message('a', i);
    for (let i = 0; i < 10; i++) {
      view.rendered(view.getSnapshot());
      await Promise.resolve();
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("'frame' shows the newest state on the flush after the skipped frames, once", () => {
    const { view, socket, scheduler, frames } = spacedSetup({});
    const listener = vi.fn();
    view.subscribe(listener);
    socket.message('a', 1);
    frames.frame(); // the first flush after a quiet spell is not delayed
    expect(view.getSnapshot().data).toBe(1);
    for (let i = 2; i <= 100; i++) socket.message('a', i);
    for (let i = 1; i < scheduler.spacing; i++) frames.frame();
    expect(view.getSnapshot().data).toBe(1);
    frames.frame();
    expect(view.getSnapshot()).toMatchObject({ data: 100, count: 100 });
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

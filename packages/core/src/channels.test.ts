import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, setup as setupConnection } from '../test/connection-harness';
import type { MessageMeta } from './channel';
import { SocketboardError } from './errors';
import type { ConnectionOptions } from './options';
import { rawJsonProtocol } from './protocol/raw-json';
import type { StandardSchemaV1 } from './standard-schema';

/** Retries after 10 ms, so reconnect scenarios stay short. */
function setup(overrides: Partial<ConnectionOptions> = {}) {
  return setupConnection({ reconnect: { initialDelayMs: 10, maxDelayMs: 10 }, ...overrides });
}

async function open(ctx: ReturnType<typeof setup>) {
  ctx.connection.connect();
  await flush();
  ctx.env.last().open();
  return ctx.env.last();
}

/** A listener that records what it was called with. */
function recorder() {
  const calls: Array<{ data: unknown; seq: number | undefined; replayed: boolean }> = [];
  const listener = (data: unknown, meta: MessageMeta) => calls.push({ data, seq: meta.seq, replayed: meta.replayed });
  return { calls, listener };
}

const subs = (frames: Array<Record<string, unknown>>) => frames.filter((f) => f.t === 'sub' || f.t === 'unsub');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('subscribe with since (backfill)', () => {
  it('asks for since on the first subscription, whether made before or after the socket opened', async () => {
    const before = setup();
    before.connection.subscribe('cpu', () => {}, { since: 0 });
    expect(subs((await open(before)).frames)).toEqual([{ t: 'sub', ch: 'cpu', since: 0 }]);

    const after = setup();
    const socket = await open(after);
    after.connection.subscribe('cpu', () => {}, { since: 7 });
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu', since: 7 }]);
  });

  it('sends no since without the option (live from now), as before', async () => {
    const ctx = setup();
    const socket = await open(ctx);
    ctx.connection.subscribe('cpu', () => {});
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu' }]);
  });

  it('delivers replayed messages in order to the store, its history and the listener, marked replayed, then live ones', async () => {
    const ctx = setup();
    const socket = await open(ctx);
    const { calls, listener } = recorder();
    ctx.connection.subscribe('cpu', listener, { since: 0, history: 10 });
    expect(ctx.connection.channel('cpu').getState()).toMatchObject({ status: 'subscribing', seq: 0 });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 1, d: 'a' });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 2, d: 'b' });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 2, d: 'b' }); // a duplicate is still dropped by seq
    socket.receive({ t: 'subd', ch: 'cpu', seq: 2, resumed: true });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 3, d: 'c' });
    expect(calls).toEqual([
      { data: 'a', seq: 1, replayed: true },
      { data: 'b', seq: 2, replayed: true },
      { data: 'c', seq: 3, replayed: false },
    ]);
    expect(ctx.connection.channel('cpu').getState()).toMatchObject({
      status: 'subscribed',
      data: 'c',
      seq: 3,
      history: ['a', 'b', 'c'],
      resumed: true,
      count: 3,
    });
    expect(ctx.connection.getMetrics().duplicates).toBe(1);
    expect(ctx.errors).toEqual([]);
  });

  it('takes resumed: false (the buffer no longer reached back) as a partial backfill, not an error', async () => {
    const ctx = setup();
    const socket = await open(ctx);
    const { calls, listener } = recorder();
    ctx.connection.subscribe('cpu', listener, { since: 0, history: 10 });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 41, d: 'x' });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 42, d: 'y' });
    socket.receive({ t: 'subd', ch: 'cpu', seq: 42, resumed: false });
    expect(ctx.connection.channel('cpu').getState()).toMatchObject({
      status: 'subscribed',
      error: undefined,
      resumed: false,
      seq: 42,
      history: ['x', 'y'],
    });
    expect(calls.map((c) => c.data)).toEqual(['x', 'y']);
    expect(ctx.errors).toEqual([]);
    expect(ctx.connection.store.getState().lastError).toBeUndefined();
  });

  it('runs replayed messages through the schema like live ones, keeping the replayed mark for async validation', async () => {
    const schema: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (v) =>
          Promise.resolve(typeof v === 'number' ? { value: v * 10 } : { issues: [{ message: 'expected a number' }] }),
      },
    };
    const ctx = setup();
    const socket = await open(ctx);
    const { calls, listener } = recorder();
    ctx.connection.subscribe('n', listener, { since: 0, schema });
    socket.receive({ t: 'msg', ch: 'n', seq: 1, d: 1 });
    socket.receive({ t: 'msg', ch: 'n', seq: 2, d: 'bad' });
    socket.receive({ t: 'subd', ch: 'n', seq: 2, resumed: true });
    socket.receive({ t: 'msg', ch: 'n', seq: 3, d: 3 });
    await flush();
    expect(calls).toEqual([
      { data: 10, seq: 1, replayed: true },
      { data: 30, seq: 3, replayed: false },
    ]);
    expect(ctx.errors.map((e) => e.code)).toEqual(['decode']);
  });

  it('gives a subscriber joining a live channel the store state and sends nothing more on the wire', async () => {
    const ctx = setup();
    const socket = await open(ctx);
    ctx.connection.subscribe('cpu', () => {}, { history: 5 });
    socket.receive({ t: 'subd', ch: 'cpu', seq: 0, resumed: true });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 1, d: 'a' });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 2, d: 'b' });
    const late = recorder();
    ctx.connection.subscribe('cpu', late.listener, { since: 0, history: 5 });
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu' }]);
    expect(ctx.connection.channel('cpu').getState()).toMatchObject({ data: 'b', history: ['a', 'b'] });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 3, d: 'c' });
    expect(late.calls).toEqual([{ data: 'c', seq: 3, replayed: false }]);
  });

  it('asks once with the earliest since of the subscribers that joined before the sub went out', async () => {
    const ctx = setup();
    const first = recorder();
    ctx.connection.subscribe('cpu', first.listener);
    ctx.connection.subscribe('cpu', () => {}, { since: 5 });
    ctx.connection.subscribe('cpu', () => {}, { since: 3 });
    const socket = await open(ctx);
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu', since: 3 }]);
    socket.receive({ t: 'msg', ch: 'cpu', seq: 4, d: 'd' });
    expect(first.calls).toEqual([{ data: 'd', seq: 4, replayed: true }]);
  });

  it('continues from the last replayed seq after a drop mid-backfill, without asking from since again', async () => {
    const ctx = setup();
    let socket = await open(ctx);
    const { calls, listener } = recorder();
    ctx.connection.subscribe('cpu', listener, { since: 0 });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 1, d: 'a' });
    socket.serverClose(1012);
    await vi.advanceTimersByTimeAsync(10);
    socket = ctx.env.last();
    socket.open();
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu', since: 1 }]);
    socket.receive({ t: 'msg', ch: 'cpu', seq: 2, d: 'b' });
    socket.receive({ t: 'subd', ch: 'cpu', seq: 2, resumed: true });
    expect(calls.map((c) => c.data)).toEqual(['a', 'b']);
  });

  it('asks from since again when the backfill was answered with nothing before a drop', async () => {
    const ctx = setup();
    let socket = await open(ctx);
    ctx.connection.subscribe('cpu', () => {}, { since: 0 });
    socket.serverClose(1012);
    await vi.advanceTimersByTimeAsync(10);
    socket = ctx.env.last();
    socket.open();
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu', since: 0 }]);
  });

  it('keeps the history through the grace period, so a quick remount finds it without a new sub', async () => {
    const ctx = setup({ channelGraceMs: 1_000 });
    const socket = await open(ctx);
    const off = ctx.connection.subscribe('cpu', () => {}, { since: 0, history: 5 });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 1, d: 'a' });
    socket.receive({ t: 'subd', ch: 'cpu', seq: 1, resumed: true });
    off();
    socket.receive({ t: 'msg', ch: 'cpu', seq: 2, d: 'b' });
    await vi.advanceTimersByTimeAsync(500);
    ctx.connection.subscribe('cpu', () => {}, { since: 0, history: 5 });
    expect(ctx.connection.channel('cpu').getState().history).toEqual(['a', 'b']);
    expect(subs(socket.frames)).toEqual([{ t: 'sub', ch: 'cpu', since: 0 }]);
  });

  it('backfills a channel restarted after its grace period from since again, refilling its history', async () => {
    const ctx = setup({ channelGraceMs: 1_000 });
    const socket = await open(ctx);
    const off = ctx.connection.subscribe('cpu', () => {}, { history: 5 });
    socket.receive({ t: 'subd', ch: 'cpu', seq: 0, resumed: true });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 1, d: 'a' });
    off();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ctx.connection.channel('cpu').getState()).toMatchObject({ status: 'idle', history: [], seq: 1 });

    const { calls, listener } = recorder();
    ctx.connection.subscribe('cpu', listener, { since: 0, history: 5 });
    expect(subs(socket.frames).at(-1)).toEqual({ t: 'sub', ch: 'cpu', since: 0 });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 1, d: 'a' });
    socket.receive({ t: 'msg', ch: 'cpu', seq: 2, d: 'b' });
    socket.receive({ t: 'subd', ch: 'cpu', seq: 2, resumed: true });
    expect(calls.map((c) => c.data)).toEqual(['a', 'b']);
    expect(ctx.connection.channel('cpu').getState()).toMatchObject({ history: ['a', 'b'], seq: 2 });
  });

  it('without since, a channel restarted after its grace period still asks only for what it missed', async () => {
    const ctx = setup({ channelGraceMs: 1_000 });
    const socket = await open(ctx);
    const off = ctx.connection.subscribe('cpu', () => {});
    socket.receive({ t: 'msg', ch: 'cpu', seq: 4, d: 'a' });
    off();
    await vi.advanceTimersByTimeAsync(1_000);
    ctx.connection.subscribe('cpu', () => {});
    expect(subs(socket.frames).at(-1)).toEqual({ t: 'sub', ch: 'cpu', since: 4 });
  });

  it('ignores since with a protocol that has no replay (raw JSON): the subscribe frame and the stream are unchanged', async () => {
    const ctx = setup({
      protocol: rawJsonProtocol({
        channelOf: (m) => (m as { type: string }).type,
        subscribe: (channel) => ({ op: 'subscribe', channel }),
      }),
    });
    const socket = await open(ctx);
    const { calls, listener } = recorder();
    ctx.connection.subscribe('btc', listener, { since: 0 });
    expect(socket.frames).toEqual([{ op: 'subscribe', channel: 'btc' }]);
    socket.receive({ type: 'btc', price: 1 });
    expect(calls).toEqual([{ data: { type: 'btc', price: 1 }, seq: undefined, replayed: false }]);
    expect(ctx.connection.channel('btc').getState()).toMatchObject({ seq: undefined, resumed: undefined });
    expect(ctx.errors).toEqual([]);
  });

  it('counts a raw JSON channel as subscribed once its subscribe frame is written (a raw server confirms nothing)', async () => {
    const ctx = setup({
      protocol: rawJsonProtocol({
        channelOf: (m) => (m as { type: string }).type,
        subscribe: (channel) => ({ op: 'subscribe', channel }),
      }),
    });
    ctx.connection.subscribe('btc', () => {});
    // Not open yet: asked, not sent.
    expect(ctx.connection.channel('btc').getState().status).toBe('subscribing');
    const socket = await open(ctx);
    expect(socket.frames).toEqual([{ op: 'subscribe', channel: 'btc' }]);
    expect(ctx.connection.channel('btc').getState().status).toBe('subscribed');
  });

  it.each([
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['a number past 2^53 - 1', 2 ** 53],
    ['a string', '0'],
  ])('throws bad-since for %s, subscribing nothing', async (_name, since) => {
    const ctx = setup();
    const socket = await open(ctx);
    let thrown: unknown;
    try {
      ctx.connection.subscribe('cpu', () => {}, { since: since as number });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SocketboardError);
    expect(thrown).toMatchObject({ code: 'bad-since' });
    expect((thrown as Error).message).toContain('subscribe("cpu") since must be a seq');
    expect(subs(socket.frames)).toEqual([]);
    expect(ctx.connection.inspect().channelListeners).toBe(0);
  });
});

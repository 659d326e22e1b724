import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, openConnection, setup } from '../test/connection-harness';
import { createConnection } from './connection';
import { createStoragePersistence } from './queue-storage';
import type { ConnectionOptions } from './options';
import { rawJsonProtocol } from './protocol/raw-json';
import type { StandardSchemaV1 } from './standard-schema';
import { SocketboardConfigError, SocketboardError } from './errors';
import type { MessageDroppedError } from './errors';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('lifecycle', () => {
  it('stays idle and creates no socket until connect()', async () => {
    const { connection, env } = setup();
    await flush();
    expect(connection.store.getState().status).toBe('idle');
    expect(env.sockets).toHaveLength(0);
  });

  it('moves idle → connecting → open and asks for the v1 subprotocol with arraybuffer binaries', async () => {
    const { connection, env } = setup();
    const statuses: string[] = [];
    connection.on('status', (s) => statuses.push(s.status));
    connection.connect();
    expect(connection.store.getState().status).toBe('connecting');
    await flush();
    const socket = env.last();
    expect(socket.protocols).toEqual(['socketboard.v1']);
    expect(socket.binaryType).toBe('arraybuffer');
    socket.open();
    expect(connection.store.getState()).toMatchObject({ status: 'open', openedAt: 1_000_000 });
    expect(statuses).toEqual(['connecting', 'open']);
    expect(socket.frames[0]).toEqual({ t: 'hello' });
  });

  it('calls a url function again on every attempt', async () => {
    let n = 0;
    const { connection, env } = setup({ url: () => Promise.resolve(`ws://test.invalid/${++n}`) });
    connection.connect();
    await flush();
    env.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(env.sockets.map((s) => s.url)).toEqual(['ws://test.invalid/1', 'ws://test.invalid/2']);
  });

  it('reports a missing WebSocket constructor as failed with a message that says what to pass', async () => {
    const { connection, errors } = setup({ WebSocket: undefined });
    const original = (globalThis as { WebSocket?: unknown }).WebSocket;
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    try {
      connection.connect();
      await flush();
    } finally {
      if (original !== undefined) (globalThis as { WebSocket?: unknown }).WebSocket = original;
    }
    expect(connection.store.getState().status).toBe('failed');
    expect(errors[0]?.code).toBe('no-websocket');
    expect(errors[0]?.message).toContain('`WebSocket` option');
  });

  it('close() ends in closed with a clean close record and closes the socket with the given code', async () => {
    const { connection, env } = await openConnection();
    connection.close(1000, 'bye');
    expect(connection.store.getState()).toMatchObject({ status: 'closed', lastClose: { code: 1000, reason: 'bye' } });
    expect(env.last().closedWith).toEqual({ code: 1000, reason: 'bye' });
  });
});

describe('backoff and retries', () => {
  it('waits initial × factor^(n-1) × random, capped, between attempts (full jitter)', async () => {
    const { connection, env } = setup({
      reconnect: { initialDelayMs: 100, factor: 2, maxDelayMs: 1_000 },
      random: () => 0.5,
    });
    connection.connect();
    await flush();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      env.last().serverClose(1006);
      const { nextRetryAt, attempt, status } = connection.store.getState();
      expect(status).toBe('reconnecting');
      expect(attempt).toBe(i + 1);
      delays.push(nextRetryAt! - Date.now());
      await vi.advanceTimersByTimeAsync(nextRetryAt! - Date.now());
      expect(env.sockets).toHaveLength(i + 2);
    }
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('keeps downSince at the start of an outage across failed retries and clears it on open', async () => {
    const { connection, env } = setup({ reconnect: { initialDelayMs: 100, factor: 2 }, random: () => 0.5 });
    connection.connect();
    await flush();
    // A first connect is not an outage.
    expect(connection.store.getState().downSince).toBeUndefined();
    env.last().open();
    const lostAt = Date.now() + 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    env.last().serverClose(1006);
    for (let i = 0; i < 3; i++) {
      const sockets = env.sockets.length;
      await vi.advanceTimersByTimeAsync(connection.store.getState().nextRetryAt! - Date.now());
      expect(env.sockets).toHaveLength(sockets + 1);
      env.last().serverClose(1006);
      expect(connection.store.getState()).toMatchObject({ status: 'reconnecting', downSince: lostAt });
    }
    await vi.advanceTimersByTimeAsync(connection.store.getState().nextRetryAt! - Date.now());
    env.last().open();
    expect(connection.store.getState()).toMatchObject({ status: 'open', downSince: undefined });
  });

  it('keeps every delay inside [0, ceiling) whatever random returns', async () => {
    for (const r of [0, 0.999999]) {
      const { connection, env } = setup({ reconnect: { initialDelayMs: 1_000, maxDelayMs: 1_000 }, random: () => r });
      connection.connect();
      await flush();
      env.last().serverClose(1006);
      const delay = connection.store.getState().nextRetryAt! - Date.now();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1_000);
      connection.close();
    }
  });

  it('gives up with failed after maxRetries attempts', async () => {
    const { connection, env, errors } = setup({ reconnect: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 10 } });
    connection.connect();
    await flush();
    env.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(20);
    env.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(20);
    env.last().serverClose(1006);
    expect(connection.store.getState().status).toBe('failed');
    expect(env.sockets).toHaveLength(3);
    expect(errors.at(-1)?.code).toBe('retries-exhausted');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(env.sockets).toHaveLength(3);
    expect(connection.inspect().timers).toBe(0);
  });

  it('resets the attempt count only after the socket stayed open minStableMs', async () => {
    const { connection, env } = setup({ reconnect: { minStableMs: 5_000, initialDelayMs: 10, maxDelayMs: 10 } });
    connection.connect();
    await flush();
    env.last().open();
    env.last().serverClose(1006);
    expect(connection.store.getState().attempt).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    env.last().open();
    await vi.advanceTimersByTimeAsync(4_999);
    env.last().serverClose(1006); // flapped before it was stable: backoff keeps growing
    expect(connection.store.getState().attempt).toBe(2);
    await vi.advanceTimersByTimeAsync(10);
    env.last().open();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(connection.store.getState().attempt).toBe(0);
  });

  it('closes and retries a socket that never opens within connectTimeoutMs', async () => {
    const { connection, env, errors } = setup({
      reconnect: { connectTimeoutMs: 2_000, initialDelayMs: 10, maxDelayMs: 10 },
    });
    connection.connect();
    await flush();
    const first = env.last();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(first.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(first.closedWith?.code).toBe(4000);
    expect(connection.store.getState().status).toBe('reconnecting');
    expect(errors.map((e) => e.code)).toContain('connect-timeout');
    await vi.advanceTimersByTimeAsync(10);
    expect(env.sockets).toHaveLength(2);
  });

  it('pauses retries while offline and reconnects at once when back online', async () => {
    const { connection, env, signals } = setup({ reconnect: { initialDelayMs: 5_000, maxDelayMs: 5_000 } });
    connection.connect();
    await flush();
    env.last().serverClose(1006);
    expect(connection.store.getState().nextRetryAt).toBeDefined();
    signals.emit('offline');
    expect(connection.store.getState()).toMatchObject({ online: false, nextRetryAt: undefined, attempt: 1 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(env.sockets).toHaveLength(1);
    signals.emit('online');
    await flush();
    expect(env.sockets).toHaveLength(2);
    expect(connection.store.getState().online).toBe(true);
  });

  it('does not burn attempts when a drop happens while offline', async () => {
    const { connection, env, signals } = await openConnection();
    signals.emit('offline');
    env.last().serverClose(1006);
    expect(connection.store.getState()).toMatchObject({ status: 'reconnecting', nextRetryAt: undefined });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(env.sockets).toHaveLength(1);
  });

  it('reconnect() drops the socket and connects now with attempt 0, even after failed', async () => {
    const { connection, env } = setup({ reconnect: { maxRetries: 0 } });
    connection.connect();
    await flush();
    env.last().serverClose(1006);
    expect(connection.store.getState().status).toBe('failed');
    connection.reconnect();
    await flush();
    expect(env.sockets).toHaveLength(2);
    expect(connection.store.getState()).toMatchObject({ status: 'connecting', attempt: 0 });
  });
});

describe('close codes', () => {
  it.each([1000, 1002, 1003, 1007, 1008, 1009, 4000, 4099])('stops on %i with status failed', async (code) => {
    const { connection, env } = await openConnection();
    env.last().serverClose(code, 'no');
    expect(connection.store.getState()).toMatchObject({ status: 'failed', lastClose: { code, reason: 'no' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(env.sockets).toHaveLength(1);
  });

  it.each([1001, 1006, 1011, 1012, 1013, 3000, 4500])('retries on %i', async (code) => {
    const { connection, env } = await openConnection();
    env.last().serverClose(code);
    expect(connection.store.getState().status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(env.sockets).toHaveLength(2);
  });

  it('asks the token provider again with reason reauth after 4001', async () => {
    const getToken = vi.fn((ctx: { reason: string }) => `token-${ctx.reason}`);
    const { connection, env } = await openConnection({ auth: getToken });
    expect(env.last().frames[0]).toEqual({ t: 'auth', token: 'token-connect' });
    env.last().serverClose(4001, 'token expired');
    await vi.advanceTimersByTimeAsync(1_000);
    env.last().open();
    expect(getToken).toHaveBeenLastCalledWith({ reason: 'reauth', attempt: 1 });
    expect(env.last().frames[0]).toEqual({ t: 'auth', token: 'token-reauth' });
    expect(connection.store.getState().status).toBe('open');
  });

  it('follows a custom classifyClose table', async () => {
    const { connection, env } = await openConnection({ reconnect: { classifyClose: () => 'stop' } });
    env.last().serverClose(1006);
    expect(connection.store.getState().status).toBe('failed');
  });

  it('sends the token as a subprotocol when auth.via is subprotocol, never in the URL', async () => {
    const { env } = await openConnection({ auth: { getToken: () => 'abc', via: 'subprotocol' } });
    expect(env.last().protocols).toEqual(['socketboard.v1', 'socketboard.auth.abc']);
    expect(env.last().url).not.toContain('abc');
    expect(env.last().frames.some((f) => f.t === 'auth')).toBe(false);
  });

  it('retries when the token provider rejects, and reports why', async () => {
    let calls = 0;
    const { connection, env, errors } = setup({
      auth: () => {
        calls++;
        if (calls === 1) return Promise.reject(new Error('token service down'));
        return 'ok';
      },
    });
    connection.connect();
    await flush();
    expect(env.sockets).toHaveLength(0);
    expect(errors[0]).toMatchObject({ code: 'auth' });
    expect(errors[0]?.message).toContain('token service down');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(env.sockets).toHaveLength(1);
  });
});

describe('heartbeat', () => {
  const heartbeat = { intervalMs: 1_000, timeoutMs: 500 };

  it('pings after intervalMs of silence and records the RTT from the pong', async () => {
    const { connection, env } = await openConnection({ heartbeat });
    await vi.advanceTimersByTimeAsync(1_000);
    const ping = env.last().frames.find((f) => f.t === 'ping');
    expect(ping).toEqual({ t: 'ping', ts: 1_001_000 });
    await vi.advanceTimersByTimeAsync(40);
    env.last().receive({ t: 'pong', ts: ping!.ts });
    expect(connection.getMetrics().rttMs).toBe(40);
  });

  it('declares the link dead timeoutMs after an unanswered ping and reconnects', async () => {
    const { connection, env, errors } = await openConnection({ heartbeat });
    await vi.advanceTimersByTimeAsync(1_499);
    expect(connection.store.getState().status).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(connection.store.getState().status).toBe('reconnecting');
    expect(errors.map((e) => e.code)).toContain('heartbeat-timeout');
    expect(env.sockets[0]!.closedWith?.code).toBe(4000);
  });

  it('does not ping while traffic flows, and any inbound frame counts as life', async () => {
    const { env } = await openConnection({ heartbeat });
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(400);
      env.last().receive({ t: 'msg', ch: 'x', seq: i + 1, d: i });
    }
    expect(env.last().frames.filter((f) => f.t === 'ping')).toHaveLength(0);
  });

  it('still samples the round trip every rttSampleMs while traffic flows', async () => {
    const { connection, env } = await openConnection({ heartbeat: { ...heartbeat, rttSampleMs: 3_100 } });
    let answered = 0;
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(400);
      env.last().receive({ t: 'msg', ch: 'x', seq: i + 1, d: i });
      // The server answers each ping with the next frame it sends.
      const pings = env.last().frames.filter((f) => f.t === 'ping');
      for (const ping of pings.slice(answered)) env.last().receive({ t: 'pong', ts: ping.ts });
      answered = pings.length;
    }
    // 8 s of traffic, never 1 s of silence: a ping 3.1 s after the start (answered at 3.2 s), the next
    // 3.1 s after that answer, at 6.3 s (answered at 6.4 s).
    expect(
      env
        .last()
        .frames.filter((f) => f.t === 'ping')
        .map((f) => f.ts),
    ).toEqual([1_003_100, 1_006_300]);
    expect(connection.getMetrics().rttMs).toBe(100);
    expect(connection.store.getState().status).toBe('open');
  });

  it('pings an idle link every intervalMs only, even when that is longer than rttSampleMs', async () => {
    const { env } = await openConnection({ heartbeat: { intervalMs: 60_000, timeoutMs: 10_000 } });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(env.last().frames.filter((f) => f.t === 'ping')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(env.last().frames.filter((f) => f.t === 'ping')).toHaveLength(1);
    // Its pong is not traffic: the link stays idle and the next ping is 60 s later again.
    await vi.advanceTimersByTimeAsync(50);
    env.last().receive({ t: 'pong', ts: 1_060_000 });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(env.last().frames.filter((f) => f.t === 'ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(env.last().frames.filter((f) => f.t === 'ping')).toHaveLength(2);
  });

  it('does not declare death when its timer fires late but inbound traffic arrived meanwhile', async () => {
    // Simulate a throttled background tab: the clock jumps far ahead of the timers.
    const { connection, env } = await openConnection({ heartbeat });
    await vi.advanceTimersByTimeAsync(1_000); // ping out
    vi.setSystemTime(Date.now() + 60_000); // tab frozen for a minute...
    env.last().receive({ t: 'msg', ch: 'x', seq: 1, d: 1 }); // ...the network delivered a frame
    await vi.advanceTimersByTimeAsync(500); // the overdue deadline finally fires
    expect(connection.store.getState().status).toBe('open');
  });

  it('re-probes instead of killing the link when the deadline fires far too late with nothing received', async () => {
    const { connection, env } = await openConnection({ heartbeat });
    await vi.advanceTimersByTimeAsync(1_000);
    vi.setSystemTime(Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(500);
    expect(connection.store.getState().status).toBe('open');
    const pings = env.last().frames.filter((f) => f.t === 'ping');
    expect(pings).toHaveLength(2);
    env.last().receive({ t: 'pong', ts: pings[1]!.ts });
    await vi.advanceTimersByTimeAsync(600);
    expect(connection.store.getState().status).toBe('open');
  });

  it('probes at once when the page becomes visible or the network comes back', async () => {
    const { env, signals } = await openConnection({ heartbeat });
    signals.emit('visible');
    expect(env.last().frames.filter((f) => f.t === 'ping')).toHaveLength(1);
  });
});

describe('outbound queue and ordering', () => {
  it('queues while connecting and flushes after open in order: auth, hello, resubscriptions, queue', async () => {
    const { connection, env } = setup({ auth: () => 't' });
    connection.subscribe('cpu', () => {});
    connection.connect();
    expect(connection.publish('chat', 'one')).toBe('queued');
    expect(connection.send('raw')).toBe('queued');
    expect(connection.publish('chat', 'two')).toBe('queued');
    await flush();
    env.last().open();
    expect(env.last().sent).toEqual([
      '{"t":"auth","token":"t"}',
      '{"t":"hello"}',
      '{"t":"sub","ch":"cpu"}',
      '{"t":"pub","ch":"chat","d":"one"}',
      'raw',
      '{"t":"pub","ch":"chat","d":"two"}',
    ]);
    expect(connection.publish('chat', 'three')).toBe('sent');
  });

  it('drop-oldest evicts the oldest frame, counts it and reports it', () => {
    const { connection, errors } = setup({ queue: { max: 2, overflow: 'drop-oldest' } });
    connection.send('a');
    connection.send('b');
    expect(connection.send('c')).toBe('queued');
    expect(connection.getMetrics().dropped).toBe(1);
    expect(connection.inspect().queued).toBe(2);
    expect(errors[0]).toMatchObject({ code: 'dropped', reason: 'queue-overflow' });
  });

  it('drop-newest discards the new frame and says so in the return value', () => {
    const { connection } = setup({ queue: { max: 1, overflow: 'drop-newest' } });
    connection.send('a');
    expect(connection.send('b')).toBe('dropped');
    expect(connection.getMetrics().dropped).toBe(1);
  });

  it('reject throws a typed error to the caller and counts it', () => {
    const { connection } = setup({ queue: { max: 1, overflow: 'reject' } });
    connection.send('a');
    expect(() => connection.send('b')).toThrowError(expect.objectContaining({ reason: 'queue-overflow' }) as Error);
    expect(connection.getMetrics().dropped).toBe(1);
  });

  it('rejects the promise of an acked publish evicted from a full queue', async () => {
    const { connection } = setup({ queue: { max: 1 } });
    const first = connection.publish('c', 1, { ack: true });
    connection.publish('c', 2);
    await expect(first).rejects.toMatchObject({ reason: 'queue-overflow' });
  });

  it('holds sends while bufferedAmount is above the high-water mark and drains below the low one', async () => {
    const { connection, env } = await openConnection({
      backpressure: { highWaterMark: 100, lowWaterMark: 10, pollMs: 50 },
    });
    const socket = env.last();
    socket.bufferedAmount = 500;
    expect(connection.send('a')).toBe('sent');
    expect(connection.store.getState().backpressured).toBe(true);
    expect(connection.send('b')).toBe('queued');
    socket.bufferedAmount = 50;
    await vi.advanceTimersByTimeAsync(50);
    expect(connection.send('c')).toBe('queued');
    socket.bufferedAmount = 5;
    await vi.advanceTimersByTimeAsync(50);
    expect(connection.store.getState().backpressured).toBe(false);
    expect(socket.sent.slice(-3)).toEqual(['a', 'b', 'c']);
  });

  it('never writes to a socket that is already closing, and keeps the frame for the next socket', async () => {
    const { connection, env } = await openConnection({ heartbeat: { intervalMs: 50, timeoutMs: 1_000 } });
    const socket = env.last();
    socket.readyState = 2; // the server's close frame arrived; the close event has not fired yet
    // Browsers do not throw on a CLOSING socket: they log an error and discard the frame.
    socket.send = (data) => void socket.sent.push(data);
    await vi.advanceTimersByTimeAsync(60); // the heartbeat wants to ping
    expect(connection.publish('c', 'later')).toBe('queued');
    expect(socket.sent.filter((f) => typeof f === 'string' && f.includes('"ping"'))).toHaveLength(0);
    expect(socket.sent.filter((f) => typeof f === 'string' && f.includes('later'))).toHaveLength(0);
  });

  it('sends binary frames as they are', async () => {
    const { connection, env } = await openConnection();
    const bytes = new Uint8Array([1, 2, 3]);
    connection.send(bytes);
    expect(env.last().sent.at(-1)).toBe(bytes);
  });

  it('reports an unserializable payload as a dropped message instead of throwing', async () => {
    const { connection, errors } = await openConnection();
    expect(connection.publish('c', { n: 1n })).toBe('dropped');
    expect((errors[0] as MessageDroppedError).reason).toBe('unserializable');
    await expect(connection.publish('c', { n: 1n }, { ack: true })).rejects.toMatchObject({ reason: 'unserializable' });
  });
});

describe('acks', () => {
  it('resolves on ack and rejects with NackError on nack', async () => {
    const { connection, env } = await openConnection();
    const ok = connection.publish('c', 1, { ack: true });
    const refused = connection.publish('c', 2, { ack: true });
    const [a, b] = env.last().frames.filter((f) => f.t === 'pub');
    env.last().receive({ t: 'ack', id: a!.id });
    env.last().receive({ t: 'nack', id: b!.id, code: 'forbidden', reason: 'read-only channel' });
    await expect(ok).resolves.toEqual({ id: a!.id, channel: 'c' });
    await expect(refused).rejects.toMatchObject({ name: 'NackError', code: 'forbidden', reason: 'read-only channel' });
  });

  it('rejects with AckTimeoutError after timeoutMs and does not send it later if it was still queued', async () => {
    const { connection, env } = setup();
    connection.connect();
    const pending = connection.publish('c', 1, { ack: true, timeoutMs: 1_000 });
    const assertion = expect(pending).rejects.toMatchObject({ name: 'AckTimeoutError' });
    await vi.advanceTimersByTimeAsync(1_000);
    await assertion;
    env.last().open();
    expect(env.last().frames.filter((f) => f.t === 'pub')).toHaveLength(0);
  });

  it('resends unacked publishes with the same id after a reconnect, before the queue, and resolves once', async () => {
    const { connection, env } = await openConnection({ reconnect: { initialDelayMs: 10, maxDelayMs: 10 } });
    const settled = vi.fn();
    const pending = connection.publish('c', 'x', { ack: true }).then(settled);
    const firstId = env.last().frames.find((f) => f.t === 'pub')!.id;
    env.last().serverClose(1006);
    connection.publish('c', 'later');
    await vi.advanceTimersByTimeAsync(10);
    env.last().open();
    const pubs = env.last().frames.filter((f) => f.t === 'pub');
    expect(pubs.map((p) => [p.d, p.id])).toEqual([
      ['x', firstId],
      ['later', undefined],
    ]);
    env.last().receive({ t: 'ack', id: firstId });
    env.last().receive({ t: 'ack', id: firstId }); // a duplicate ack changes nothing
    await pending;
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it('rejects pending acks with ConnectionClosedError on close()', async () => {
    const { connection } = await openConnection();
    const pending = connection.publish('c', 1, { ack: true });
    connection.close();
    await expect(pending).rejects.toMatchObject({ name: 'ConnectionClosedError' });
  });

  it('refuses acks on a protocol that has none, with a message that says what to do', async () => {
    const { connection } = await openConnection({ protocol: rawJsonProtocol({ channelOf: () => 'x' }) });
    await expect(connection.publish('c', 1, { ack: true })).rejects.toMatchObject({ code: 'acks-unsupported' });
  });
});

describe('channels', () => {
  it('subscribes on the wire once for many listeners and unsubscribes after the grace delay', async () => {
    const { connection, env } = await openConnection({ channelGraceMs: 1_000 });
    const offA = connection.subscribe('cpu', () => {});
    const offB = connection.subscribe('cpu', () => {});
    expect(env.last().frames.filter((f) => f.t === 'sub')).toEqual([{ t: 'sub', ch: 'cpu' }]);
    offA();
    offB();
    await vi.advanceTimersByTimeAsync(999);
    const again = connection.subscribe('cpu', () => {}); // a remount inside the grace period
    await vi.advanceTimersByTimeAsync(5_000);
    expect(env.last().frames.filter((f) => f.t === 'unsub')).toHaveLength(0);
    again();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(env.last().frames.filter((f) => f.t === 'unsub')).toEqual([{ t: 'unsub', ch: 'cpu' }]);
    expect(connection.channel('cpu').getState().status).toBe('idle');
  });

  it('routes messages to their channel store and listeners only', async () => {
    const { connection, env } = await openConnection();
    const cpu = vi.fn();
    const mem = vi.fn();
    connection.subscribe('cpu', cpu);
    connection.subscribe('mem', mem);
    env.last().receive({ t: 'subd', ch: 'cpu', seq: 0 });
    env.last().receive({ t: 'msg', ch: 'cpu', seq: 1, d: { load: 0.5 } });
    expect(cpu).toHaveBeenCalledWith({ load: 0.5 }, { channel: 'cpu', seq: 1, receivedAt: 1_000_000, replayed: false });
    expect(mem).not.toHaveBeenCalled();
    expect(connection.channel('cpu').getState()).toMatchObject({
      status: 'subscribed',
      data: { load: 0.5 },
      seq: 1,
      count: 1,
    });
    expect(connection.channel('mem').getState().count).toBe(0);
  });

  it('keeps a bounded history of the size the largest subscriber asked for', async () => {
    const { connection, env } = await openConnection();
    const off = connection.subscribe('x', () => {}, { history: 3 });
    for (let i = 1; i <= 10; i++) env.last().receive({ t: 'msg', ch: 'x', seq: i, d: i });
    expect(connection.channel('x').getState().history).toEqual([8, 9, 10]);
    off();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(connection.channel('x').getState().history).toEqual([]);
  });

  it('resubscribes with since = last seq after a reconnect and drops replayed duplicates', async () => {
    const { connection, env } = await openConnection({ reconnect: { initialDelayMs: 10, maxDelayMs: 10 } });
    const seen: unknown[] = [];
    connection.subscribe('x', (d) => seen.push(d));
    env.last().receive({ t: 'msg', ch: 'x', seq: 1, d: 'a' });
    env.last().receive({ t: 'msg', ch: 'x', seq: 2, d: 'b' });
    env.last().serverClose(1012);
    expect(connection.channel('x').getState().status).toBe('subscribing');
    await vi.advanceTimersByTimeAsync(10);
    env.last().open();
    expect(env.last().frames.find((f) => f.t === 'sub')).toEqual({ t: 'sub', ch: 'x', since: 2 });
    env.last().receive({ t: 'msg', ch: 'x', seq: 2, d: 'b' }); // overlap
    env.last().receive({ t: 'msg', ch: 'x', seq: 3, d: 'c' });
    env.last().receive({ t: 'subd', ch: 'x', seq: 3, resumed: true });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(connection.getMetrics().duplicates).toBe(1);
    expect(connection.channel('x').getState()).toMatchObject({ status: 'subscribed', resumed: true });
  });

  it('shows resumed: false when the server could not replay, and follows the server seq down after a reset', async () => {
    const { connection, env } = await openConnection({ reconnect: { initialDelayMs: 10, maxDelayMs: 10 } });
    const seen: unknown[] = [];
    connection.subscribe('x', (d) => seen.push(d));
    env.last().receive({ t: 'msg', ch: 'x', seq: 50, d: 'old' });
    env.last().serverClose(1012);
    await vi.advanceTimersByTimeAsync(10);
    env.last().open();
    env.last().receive({ t: 'subd', ch: 'x', seq: 0, resumed: false }); // a server that lost its state
    env.last().receive({ t: 'msg', ch: 'x', seq: 1, d: 'new' });
    expect(connection.channel('x').getState()).toMatchObject({ resumed: false, data: 'new', seq: 1 });
    expect(seen).toEqual(['old', 'new']);
  });

  it('marks a channel refused by the server as error and reports it', async () => {
    const { connection, env, errors } = await openConnection();
    connection.subscribe('secret', () => {});
    env.last().receive({ t: 'err', code: 'forbidden', reason: 'not allowed', ch: 'secret' });
    expect(connection.channel('secret').getState()).toMatchObject({ status: 'error', error: { code: 'forbidden' } });
    expect(errors[0]).toMatchObject({ name: 'ServerError', code: 'forbidden' });
  });

  it('asks again with backoff when the server refuses a subscription for a passing reason (unavailable)', async () => {
    const { connection, env } = await openConnection({ reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    connection.subscribe('cpu', () => {});
    env.last().receive({ t: 'err', code: 'unavailable', reason: 'broker down', ch: 'cpu' });
    expect(connection.channel('cpu').getState().status).toBe('error');
    await vi.advanceTimersByTimeAsync(100);
    expect(env.last().frames.filter((f) => f.t === 'sub')).toHaveLength(2);
    env.last().receive({ t: 'subd', ch: 'cpu', seq: 0 });
    expect(connection.channel('cpu').getState()).toMatchObject({ status: 'subscribed', error: undefined });
  });

  it('does not ask again after a refusal that will not pass (forbidden)', async () => {
    const { connection, env } = await openConnection({ reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    connection.subscribe('secret', () => {});
    env.last().receive({ t: 'err', code: 'forbidden', reason: 'no', ch: 'secret' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(env.last().frames.filter((f) => f.t === 'sub')).toHaveLength(1);
  });

  it('validates payloads with a Standard Schema and drops, counts and reports the invalid ones', async () => {
    const schema: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (v) => (typeof v === 'number' ? { value: v * 2 } : { issues: [{ message: 'expected a number' }] }),
      },
    };
    const { connection, env, errors } = await openConnection();
    const seen: number[] = [];
    connection.subscribe('n', (d) => seen.push(d as number), { schema });
    env.last().receive({ t: 'msg', ch: 'n', seq: 1, d: 2 });
    env.last().receive({ t: 'msg', ch: 'n', seq: 2, d: 'two' });
    env.last().receive({ t: 'msg', ch: 'n', seq: 3, d: 3 });
    expect(seen).toEqual([4, 6]);
    expect(connection.getMetrics().decodeErrors).toBe(1);
    expect(errors[0]).toMatchObject({ name: 'DecodeError', channel: 'n' });
    expect(errors[0]?.message).toContain('expected a number');
  });

  it('keeps message order through an async schema', async () => {
    const schema: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (v) => new Promise((resolve) => setTimeout(() => resolve({ value: v }), v === 1 ? 30 : 1)),
      },
    };
    const { connection, env } = await openConnection();
    const seen: unknown[] = [];
    connection.subscribe('n', (d) => seen.push(d), { schema });
    env.last().receive({ t: 'msg', ch: 'n', seq: 1, d: 1 });
    env.last().receive({ t: 'msg', ch: 'n', seq: 2, d: 2 });
    env.last().receive({ t: 'msg', ch: 'n', seq: 3, d: 3 });
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a throwing listener is reported and does not stop other listeners or the connection', async () => {
    const { connection, env, errors } = await openConnection();
    const other = vi.fn();
    connection.subscribe('x', () => {
      throw new Error('boom');
    });
    connection.subscribe('x', other);
    env.last().receive({ t: 'msg', ch: 'x', seq: 1, d: 1 });
    expect(other).toHaveBeenCalledTimes(1);
    expect(errors[0]).toMatchObject({ code: 'listener' });
    expect(connection.store.getState().status).toBe('open');
  });

  it('routes raw JSON messages with channelOf and subscribes with no frames', async () => {
    const { connection, env } = await openConnection({
      protocol: rawJsonProtocol({ channelOf: (m) => (m as { type?: string }).type }),
    });
    const seen = vi.fn();
    connection.subscribe('tick', seen);
    expect(connection.channel('tick').getState().status).toBe('subscribed');
    env.last().receive({ type: 'tick', n: 1 });
    expect(seen).toHaveBeenCalledWith({ type: 'tick', n: 1 }, expect.objectContaining({ channel: 'tick' }));
    expect(env.last().sent).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    ['not JSON', 'not json{'],
    ['not an object', '42'], // an array is a batch (batch.test.ts)
    ['unknown type', '{"t":"nope"}'],
    ['bad seq', '{"t":"msg","ch":"x","seq":-1,"d":1}'],
  ])('drops a frame that is %s, counts it, reports it and stays open', async (_label, frame) => {
    const { connection, env, errors } = await openConnection();
    env.last().receive(frame);
    expect(connection.getMetrics().decodeErrors).toBe(1);
    expect(errors[0]).toMatchObject({ name: 'DecodeError' });
    expect(connection.store.getState().status).toBe('open');
  });

  it('delivers a message whose listener already reads it from the channel store', async () => {
    const { connection, env } = await openConnection();
    const seen: unknown[] = [];
    connection.subscribe('x', (data, meta) => {
      const state = connection.channel('x').getState();
      seen.push([data, meta.seq, state.data, state.seq, state.count]);
    });
    env.last().receive({ t: 'msg', ch: 'x', seq: 1, d: { v: 1 } });
    env.last().receive({ t: 'msg', ch: 'x', seq: 2, d: { v: 2 } });
    expect(seen).toEqual([
      [{ v: 1 }, 1, { v: 1 }, 1, 1],
      [{ v: 2 }, 2, { v: 2 }, 2, 2],
    ]);
  });

  it('drops a msg frame without d, counts it and reports it on its channel', async () => {
    const { connection, env, errors } = await openConnection();
    env.last().receive('{"t":"msg","ch":"x","seq":1}');
    expect(connection.getMetrics().decodeErrors).toBe(1);
    expect(errors[0]).toMatchObject({ name: 'DecodeError', reason: 'msg.d is missing', channel: 'x' });
  });

  it('counts inbound bytes as UTF-8, ASCII or not', async () => {
    const { connection, env } = await openConnection();
    const frames = ['{"t":"msg","ch":"x","seq":1,"d":"a"}', '{"t":"msg","ch":"x","seq":2,"d":"é😀"}'];
    const before = connection.getMetrics().bytesIn;
    for (const frame of frames) env.last().receive(frame);
    const utf8 = frames.map((f) => new TextEncoder().encode(f).length);
    expect(utf8[1]).toBeGreaterThan(frames[1]!.length);
    expect(connection.getMetrics().bytesIn - before).toBe(utf8[0]! + utf8[1]!);
  });

  it('refuses the replaced queue.storage option with a message that names queue.persist', () => {
    expect(() =>
      createConnection({ url: 'ws://x', queue: { storage: {} } as unknown as ConnectionOptions['queue'] }),
    ).toThrow(/queue\.persist/);
  });

  it('drops frames over maxMessageBytes', async () => {
    const { connection, env, errors } = await openConnection({ maxMessageBytes: 64 });
    env.last().receive(JSON.stringify({ t: 'msg', ch: 'x', seq: 1, d: 'x'.repeat(100) }));
    expect(connection.getMetrics().decodeErrors).toBe(1);
    expect(errors[0]?.message).toContain('maxMessageBytes');
  });

  it.each<[string, Partial<ConnectionOptions>]>([
    ['reconnect.initialDelayMs', { reconnect: { initialDelayMs: -1 } }],
    ['reconnect.factor', { reconnect: { factor: 0.5 } }],
    ['queue.max', { queue: { max: 0 } }],
    ['queue.overflow', { queue: { overflow: 'sometimes' as never } }],
    ['heartbeat.timeoutMs', { heartbeat: { timeoutMs: 0 } }],
    ['reconnect.classifyClose', { reconnect: { classifyClose: 'stop' as never } }],
    ['url', { url: 42 as never }],
    ['auth.getToken', { auth: { getToken: 'abc' as never } }],
    ['backpressure.lowWaterMark', { backpressure: { highWaterMark: 10, lowWaterMark: 20 } }],
  ])('throws SocketboardConfigError naming %s', (option, overrides) => {
    const create = () => createConnection({ url: 'ws://x.invalid', ...overrides });
    expect(create).toThrowError(SocketboardConfigError);
    expect(create).toThrowError(expect.objectContaining({ option }) as Error);
  });
});

describe('metrics', () => {
  it('samples counters and rates once per interval into a bounded ring buffer', async () => {
    const { connection, env } = await openConnection({ metrics: { samples: 3 } });
    for (let i = 0; i < 10; i++) env.last().receive({ t: 'msg', ch: 'x', seq: i + 1, d: i });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connection.metrics.getState().current).toMatchObject({ messagesIn: 10, messagesInPerSec: 10 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(connection.metrics.getState().samples).toHaveLength(3);
    expect(connection.metrics.getState().current.messagesInPerSec).toBe(0);
  });

  it('counts reconnects and the time it took to come back', async () => {
    const { connection, env } = await openConnection({ reconnect: { initialDelayMs: 200, maxDelayMs: 200 } });
    env.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(100);
    env.last().open();
    expect(connection.getMetrics()).toMatchObject({ reconnects: 1, lastReconnectMs: 100 });
  });

  it('writes lastMessageAt to the connection store at most every 250 ms, with a trailing write', async () => {
    const { connection, env } = await openConnection();
    const writes = vi.fn();
    connection.store.subscribe((s, prev) => {
      if (s.lastMessageAt !== prev.lastMessageAt) writes();
    });
    let lastAt = 0;
    for (let i = 0; i < 100; i++) {
      lastAt = Date.now();
      env.last().receive({ t: 'msg', ch: 'x', seq: i + 1, d: i });
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(writes.mock.calls.length).toBeLessThanOrEqual(3);
    await vi.advanceTimersByTimeAsync(250);
    expect(connection.store.getState().lastMessageAt).toBe(lastAt);
  });
});

describe('queue persistence', () => {
  it('connects with an empty queue and reports a storage error when a custom load rejects', async () => {
    const { connection, env, errors } = setup({
      queue: {
        persist: {
          load: () => Promise.reject(new Error('IndexedDB is gone')),
          follow: () => ({ flush() {}, stop() {} }),
        },
      },
    });
    connection.connect();
    await flush();
    env.last().open();
    expect(connection.store.getState().status).toBe('open');
    expect(errors.map((e) => [e.code, e.message])).toContainEqual([
      'storage',
      'Could not read the persisted queue: IndexedDB is gone',
    ]);
  });
});

describe('leaks', () => {
  it('leaves no timer, socket or signal listener after close()', async () => {
    const { connection, signals } = await openConnection({
      heartbeat: { intervalMs: 1_000, timeoutMs: 500 },
      queue: { persist: createStoragePersistence(memoryStorage()) },
    });
    const off = connection.subscribe('x', () => {});
    void connection.publish('x', 1, { ack: true }).catch(() => {});
    off();
    connection.close();
    await flush();
    expect(connection.inspect()).toMatchObject({
      timers: 0,
      socket: false,
      signalListeners: false,
      channelListeners: 0,
    });
    expect(signals.listeners).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('errors are typed', () => {
  it('every reported problem is a SocketboardError with a code', async () => {
    const { env, errors } = await openConnection();
    env.last().receive('garbage');
    expect(errors.every((e) => e instanceof SocketboardError && typeof e.code === 'string')).toBe(true);
  });
});

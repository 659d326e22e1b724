import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupServer } from 'msw/node';
import { createConnection, NackError, rawJsonProtocol } from '@socketboard/core';
import type { Connection, ConnectionOptions } from '@socketboard/core';
import { createMockSocketServer } from './mock-socket-server';
import type { MockSocketServerOptions } from './types';

const URL = 'wss://mock.test/socket';
const msw = setupServer();
const connections: Connection[] = [];

beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  for (const connection of connections.splice(0)) connection.close();
  msw.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => msw.close());

function mockServer(options?: MockSocketServerOptions) {
  const server = createMockSocketServer(URL, options);
  msw.use(server.handler);
  return server;
}

/** A connection to the mock server; retries at once (random 0) unless the test says otherwise. */
function connect(options: Partial<ConnectionOptions> = {}): Connection {
  const connection = createConnection({ url: URL, random: () => 0, ...options });
  connections.push(connection);
  connection.connect();
  return connection;
}

const statusOf = (connection: Connection) => connection.store.getState().status;

/** With fake timers: lets msw's microtasks run without moving the clock (vi.waitFor would advance it). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('protocol v1', () => {
  it('welcomes with a session, confirms subscriptions and delivers publishes with increasing seqs', async () => {
    const server = mockServer();
    const connection = connect();
    const seen: [unknown, number | undefined][] = [];
    connection.subscribe('cpu', (data, meta) => seen.push([data, meta.seq]));
    await server.whenSubscribed('cpu');

    expect(server.publish('cpu', { load: 1 })).toBe(1);
    expect(server.publish('cpu', { load: 2 })).toBe(2);
    await vi.waitFor(() => expect(seen).toHaveLength(2));

    expect(seen).toEqual([
      [{ load: 1 }, 1],
      [{ load: 2 }, 2],
    ]);
    expect(connection.store.getState().sessionId).toBe('mock-session-1');
    expect(server.inbound().map((frame) => frame.t)).toEqual(['hello', 'sub']);
    expect(server.sent('welcome')).toEqual([{ t: 'welcome', sid: 'mock-session-1', resumed: false }]);
    expect(server.sent('subd')).toEqual([{ t: 'subd', ch: 'cpu', seq: 0, resumed: true }]);
    expect(server.clients).toBe(1);
    expect(server.subscribers('cpu')).toBe(1);
  });

  it('sends publishes only to the subscribers of their channel', async () => {
    const server = mockServer();
    const a = connect();
    const b = connect();
    const cpu: unknown[] = [];
    const mem: unknown[] = [];
    a.subscribe('cpu', (data) => cpu.push(data));
    b.subscribe('mem', (data) => mem.push(data));
    await server.whenSubscribed('cpu');
    await server.whenSubscribed('mem');

    server.publish('cpu', 'c1');
    server.publish('mem', 'm1');
    await vi.waitFor(() => expect(cpu.length + mem.length).toBe(2));

    expect(cpu).toEqual(['c1']);
    expect(mem).toEqual(['m1']);
    expect(server.sent('msg')).toEqual([
      { t: 'msg', ch: 'cpu', seq: 1, d: 'c1' },
      { t: 'msg', ch: 'mem', seq: 1, d: 'm1' },
    ]);
  });

  it('replays what a resubscription missed after a drop, before subd, and reports resumed', async () => {
    const server = mockServer();
    const connection = connect();
    const seen: unknown[] = [];
    connection.subscribe('cpu', (data) => seen.push(data));
    await server.whenSubscribed('cpu');
    server.publish('cpu', 1);
    await vi.waitFor(() => expect(seen).toEqual([1]));

    // Published while no client is connected (the close reaches the client a microtask later).
    server.drop();
    server.publish('cpu', 2);
    server.publish('cpu', 3);
    await vi.waitFor(() => expect(seen).toEqual([1, 2, 3]));

    expect(server.inbound('sub')).toEqual([
      { t: 'sub', ch: 'cpu' },
      { t: 'sub', ch: 'cpu', since: 1 },
    ]);
    expect(server.sent().slice(-3)).toEqual([
      { t: 'msg', ch: 'cpu', seq: 2, d: 2 },
      { t: 'msg', ch: 'cpu', seq: 3, d: 3 },
      { t: 'subd', ch: 'cpu', seq: 3, resumed: true },
    ]);
    expect(connection.channel('cpu').getState().resumed).toBe(true);
  });

  it('answers resumed: false when the replay buffer no longer reaches back to since', async () => {
    const server = mockServer({ replay: 1 });
    const connection = connect();
    connection.subscribe('cpu', () => {});
    await server.whenSubscribed('cpu');
    server.publish('cpu', 1);
    await vi.waitFor(() => expect(connection.channel('cpu').getState().seq).toBe(1));

    server.drop();
    server.publish('cpu', 2);
    server.publish('cpu', 3);
    await vi.waitFor(() => expect(connection.channel('cpu').getState().seq).toBe(3));

    expect(server.sent('msg').map((frame) => frame.seq)).toEqual([1, 3]);
    expect(connection.channel('cpu').getState().resumed).toBe(false);
    expect(connection.channel('cpu').getState().data).toBe(3);
  });

  it('tells a client that resubscribes after a server restart that it was not resumed, and goes on from the new seqs', async () => {
    const before = mockServer();
    const connection = connect();
    const seen: unknown[] = [];
    connection.subscribe('cpu', (data) => seen.push(data));
    await before.whenSubscribed('cpu');
    before.publish('cpu', 'a');
    before.publish('cpu', 'b');
    await vi.waitFor(() => expect(seen).toEqual(['a', 'b']));

    // A restart: a fresh server (all state lost) takes over the URL, the old one drops its clients.
    msw.resetHandlers();
    const after = mockServer();
    before.drop();
    await after.whenSubscribed('cpu');
    await vi.waitFor(() => expect(connection.channel('cpu').getState().resumed).toBe(false));
    after.publish('cpu', 'c');
    await vi.waitFor(() => expect(seen).toEqual(['a', 'b', 'c']));

    expect(after.inbound('sub')).toEqual([{ t: 'sub', ch: 'cpu', since: 2 }]);
    expect(after.sent('subd')).toEqual([{ t: 'subd', ch: 'cpu', seq: 0, resumed: false }]);
    expect(after.sent('welcome')).toEqual([{ t: 'welcome', sid: 'mock-session-1', resumed: false }]);
  });

  it('acks a resent id again without delivering it twice, and takes a nacked id sent again as a new attempt', async () => {
    const server = mockServer();
    const connection = connect();
    await vi.waitFor(() => expect(statusOf(connection)).toBe('open'));
    const remove = server.nack((publish) => publish.id === 'b');

    connection.send('{"t":"pub","ch":"x","d":1,"id":"a"}');
    connection.send('{"t":"pub","ch":"x","d":1,"id":"a"}');
    connection.send('{"t":"pub","ch":"x","d":2,"id":"b"}');
    await vi.waitFor(() => expect(server.sent('nack')).toHaveLength(1));
    remove();
    connection.send('{"t":"pub","ch":"x","d":2,"id":"b"}');
    connection.send('{"t":"pub","d":3,"id":"c"}');
    await vi.waitFor(() => expect(server.sent('nack')).toHaveLength(2));

    expect(server.received()).toEqual([1, 2]);
    expect(server.duplicates).toBe(1);
    expect(server.sent().filter((frame) => frame.t === 'ack' || frame.t === 'nack')).toEqual([
      { t: 'ack', id: 'a' },
      { t: 'ack', id: 'a' },
      { t: 'nack', id: 'b', code: 'rejected', reason: 'rejected by the mock server' },
      { t: 'ack', id: 'b' },
      { t: 'nack', id: 'c', code: 'bad-frame', reason: 'pub.ch must be a non-empty string' },
    ]);
  });

  it('acks acked publishes, records every accepted payload, and fans publishes out to subscribers', async () => {
    const server = mockServer();
    const connection = connect();
    const chat: unknown[] = [];
    connection.subscribe('chat', (data) => chat.push(data));
    await server.whenSubscribed('chat');

    const ack = await connection.publish('chat', { text: 'hi' }, { ack: true });
    connection.publish('chat', { text: 'fire and forget' });
    await vi.waitFor(() => expect(chat).toHaveLength(2));

    expect(ack.channel).toBe('chat');
    expect(server.received('chat')).toEqual([{ text: 'hi' }, { text: 'fire and forget' }]);
    expect(server.publishes()).toEqual([
      { channel: 'chat', data: { text: 'hi' }, id: ack.id },
      { channel: 'chat', data: { text: 'fire and forget' }, id: undefined },
    ]);
    expect(server.received('other')).toEqual([]);
    expect(chat).toEqual([{ text: 'hi' }, { text: 'fire and forget' }]);
  });

  it('does not fan publishes out with echo: false', async () => {
    const server = mockServer({ echo: false });
    const connection = connect();
    connection.subscribe('chat', () => {});
    await server.whenSubscribed('chat');
    await connection.publish('chat', 'x', { ack: true });

    expect(server.received()).toEqual(['x']);
    expect(server.sent('msg')).toEqual([]);
  });

  it('nacks the publishes a rule matches, errs unacked ones, and stops once the rule is removed', async () => {
    const server = mockServer();
    const connection = connect();
    const errors: string[] = [];
    connection.on('error', (error) => errors.push(error.code));
    const remove = server.nack((publish) => publish.channel === 'orders', { code: 'forbidden', reason: 'read only' });

    const refused = connection.publish('orders', { qty: 1 }, { ack: true });
    await expect(refused).rejects.toBeInstanceOf(NackError);
    await expect(refused).rejects.toMatchObject({ code: 'forbidden', reason: 'read only' });
    connection.publish('orders', { qty: 2 });
    await vi.waitFor(() => expect(server.sent('err')).toHaveLength(1));
    expect(server.sent('err')).toEqual([{ t: 'err', code: 'forbidden', reason: 'read only', ch: 'orders' }]);
    expect(errors).toContain('forbidden');
    expect(server.received()).toEqual([]);

    remove();
    await connection.publish('orders', { qty: 3 }, { ack: true });
    expect(server.received('orders')).toEqual([{ qty: 3 }]);
  });

  it('refuses the subscriptions a rule matches with err and no data, and subscribes again once the rule is removed', async () => {
    const server = mockServer();
    const connection = connect();
    const remove = server.refuseSubscription('secret');
    server.refuseSubscription((channel) => channel.startsWith('admin:'), { code: 'paywalled', reason: 'pay first' });
    const secret: unknown[] = [];
    connection.subscribe('secret', (data) => secret.push(data));
    connection.subscribe('admin:users', () => {});
    connection.subscribe('cpu', () => {});
    await server.whenSubscribed('cpu');
    await vi.waitFor(() => expect(connection.channel('secret').getState().status).toBe('error'));

    server.publish('secret', 'hidden');
    expect(server.subscribers('secret')).toBe(0);
    expect(server.sent('err')).toEqual([
      { t: 'err', code: 'forbidden', reason: 'may not subscribe to "secret"', ch: 'secret' },
      { t: 'err', code: 'paywalled', reason: 'pay first', ch: 'admin:users' },
    ]);
    expect(server.sent('subd')).toEqual([{ t: 'subd', ch: 'cpu', seq: 0, resumed: true }]);
    expect(connection.channel('secret').getState().error).toMatchObject({ code: 'forbidden' });
    expect(connection.channel('admin:users').getState().error).toMatchObject({ code: 'paywalled' });

    remove();
    server.drop(); // the client subscribes again on its new socket
    await server.whenSubscribed('secret');
    server.publish('secret', 'shown');
    await vi.waitFor(() => expect(secret).toEqual(['shown']));
    expect(server.subscribers('admin:users')).toBe(0);
  });

  it('deduplicates a publish resent after its ack was lost, and resumes the session', async () => {
    vi.useFakeTimers();
    const server = mockServer();
    const connection = connect({ random: () => 0.5 });
    await settle();
    expect(server.sent('welcome')).toHaveLength(1);

    server.delay(1_000);
    const acked = connection.publish('chat', 'once', { ack: true });
    await settle();
    expect(server.received()).toEqual(['once']);
    // The ack is still on its way when the socket goes: the client must resend.
    server.drop();
    server.delay(0);
    await settle();
    expect(statusOf(connection)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(250);
    await expect(acked).resolves.toMatchObject({ channel: 'chat' });

    expect(server.inbound('pub')).toHaveLength(2);
    expect(server.received()).toEqual(['once']);
    expect(server.duplicates).toBe(1);
    expect(server.inbound('hello')).toEqual([{ t: 'hello' }, { t: 'hello', sid: 'mock-session-1' }]);
    expect(server.sent('welcome').at(-1)).toEqual({ t: 'welcome', sid: 'mock-session-1', resumed: true });
  });

  it('answers ping with pong, and bad frames with err', async () => {
    const server = mockServer();
    const connection = connect();
    await vi.waitFor(() => expect(statusOf(connection)).toBe('open'));

    connection.send('{"t":"ping","ts":42}');
    connection.send('not json');
    connection.send('{"t":"nope"}');
    connection.send('{"t":"sub"}');
    await vi.waitFor(() => expect(server.sent('err')).toHaveLength(3));

    expect(server.sent('pong')).toEqual([{ t: 'pong', ts: 42 }]);
    expect(server.sent('err').map((frame) => frame.reason)).toEqual([
      'expected a JSON object with a "t" key',
      'unknown frame type "nope"',
      'sub.ch must be a non-empty string',
    ]);
    expect(server.inbound()).toContain('not json');
  });

  it('records the auth token the client sends first', async () => {
    const server = mockServer();
    connect({ auth: () => 'secret' });
    await vi.waitFor(() => expect(server.inbound('hello')).toHaveLength(1));

    expect(server.inbound().slice(0, 2)).toEqual([{ t: 'auth', token: 'secret' }, { t: 'hello' }]);
  });
});

describe('faults', () => {
  it('drop() closes every client with 1012 by default, and the client comes back', async () => {
    const server = mockServer();
    const a = connect();
    const b = connect();
    await vi.waitFor(() => expect(server.clients).toBe(2));

    server.drop();
    expect(server.clients).toBe(0);
    await vi.waitFor(() => expect(a.store.getState().lastClose?.code).toBe(1012));
    expect(b.store.getState().lastClose).toMatchObject({ code: 1012, reason: 'service restart' });
    await vi.waitFor(() => expect(server.clients).toBe(2));
    expect(server.connections).toBe(4);
  });

  it('drop(code, reason) passes the code on: 1006 is retried, 1008 makes the client give up', async () => {
    const server = mockServer();
    const connection = connect();
    await vi.waitFor(() => expect(statusOf(connection)).toBe('open'));

    server.drop(1006, 'abrupt');
    await vi.waitFor(() => expect(connection.store.getState().lastClose?.code).toBe(1006));
    await vi.waitFor(() => expect(statusOf(connection)).toBe('open'));
    server.drop(1008, 'policy');
    await vi.waitFor(() => expect(statusOf(connection)).toBe('failed'));
    expect(connection.store.getState().lastClose).toMatchObject({ code: 1008, reason: 'policy' });
  });

  it('refuseNext(n) closes the next n attempts before they open, with 1013 by default', async () => {
    vi.useFakeTimers();
    const server = mockServer();
    server.refuseNext(2);
    const connection = connect({ random: () => 0.5 });
    const opened: number[] = [];
    connection.on('status', (state) => {
      if (state.status === 'open') opened.push(server.connections);
    });

    await settle();
    expect(statusOf(connection)).toBe('reconnecting');
    expect(connection.store.getState().lastClose?.code).toBe(1013);
    expect(server.connections).toBe(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(server.connections).toBe(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(statusOf(connection)).toBe('open');

    expect(opened).toEqual([3]);
    expect(server.clients).toBe(1);
  });

  it('stall() swallows frames both ways until resume(); the heartbeat notices and the client recovers', async () => {
    vi.useFakeTimers();
    const server = mockServer();
    const connection = connect({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 }, random: () => 0.5 });
    const seen: unknown[] = [];
    connection.subscribe('cpu', (data) => seen.push(data));
    await server.whenSubscribed('cpu');
    const heard = server.inbound().length;

    server.stall();
    server.publish('cpu', 'lost in the stall');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.inbound()).toHaveLength(heard);
    expect(server.sent('pong')).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(connection.store.getState().lastError?.code).toBe('heartbeat-timeout');

    server.resume();
    await vi.advanceTimersByTimeAsync(250);
    expect(seen).toEqual(['lost in the stall']);
    expect(server.inbound('sub').at(-1)).toEqual({ t: 'sub', ch: 'cpu', since: 0 });
  });

  it('delay(ms) holds every frame back on the (fake) timers and keeps them in order', async () => {
    vi.useFakeTimers();
    const server = mockServer();
    const connection = connect();
    const seen: unknown[] = [];
    connection.subscribe('cpu', (data) => seen.push(data));
    await server.whenSubscribed('cpu');
    await settle();
    expect(connection.channel('cpu').getState().status).toBe('subscribed');

    server.delay(100);
    server.publish('cpu', 'slow');
    server.delay(10);
    server.publish('cpu', 'fast but behind');
    await vi.advanceTimersByTimeAsync(99);
    expect(seen).toEqual([]);
    expect(server.sent('msg')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);

    expect(seen).toEqual(['slow', 'fast but behind']);
  });
});

describe('raw JSON mode', () => {
  it('routes client messages to onMessage, publishes encoded frames to every client, and has no acks', async () => {
    const server = mockServer({
      protocol: 'raw',
      encode: (channel, data) => JSON.stringify({ type: channel, ...(data as object) }),
      onMessage: (message, client) => {
        if ((message as { op?: string }).op === 'ping') client.send({ type: 'pong' });
      },
    });
    const connection = connect({
      protocol: rawJsonProtocol({
        channelOf: (message) => (message as { type?: string }).type,
        subscribe: (channel) => ({ op: 'subscribe', channel }),
        ping: () => ({ op: 'ping' }),
        isPong: (message) => (message as { type?: string }).type === 'pong',
      }),
    });
    const trades: unknown[] = [];
    connection.subscribe('trade', (data) => trades.push(data));
    await vi.waitFor(() => expect(server.inbound()).toEqual([{ op: 'subscribe', channel: 'trade' }]));

    expect(server.publish('trade', { price: 1 })).toBe(1);
    connection.send('{"op":"ping"}');
    connection.publish('quote', { bid: 2 });
    await vi.waitFor(() => expect(server.sent()).toHaveLength(2));

    expect(trades).toEqual([{ type: 'trade', price: 1 }]);
    expect(server.sent()).toEqual([{ type: 'trade', price: 1 }, { type: 'pong' }]);
    expect(server.received('quote')).toEqual([]);
    expect(server.received()).toContainEqual({ bid: 2 });
    expect(server.sent('welcome')).toEqual([]);
    await expect(connection.publish('quote', {}, { ack: true })).rejects.toMatchObject({ code: 'acks-unsupported' });
  });

  it('filters received() by the message channel (channel, ch or type field by default)', async () => {
    const server = mockServer({ protocol: 'raw' });
    const connection = connect({ protocol: rawJsonProtocol({ channelOf: () => undefined }) });
    await vi.waitFor(() => expect(statusOf(connection)).toBe('open'));

    connection.send('{"type":"a","n":1}');
    connection.send('{"channel":"b","n":2}');
    connection.send('{"ch":"a","n":3}');
    await vi.waitFor(() => expect(server.received()).toHaveLength(3));

    expect(server.received('a')).toEqual([
      { type: 'a', n: 1 },
      { ch: 'a', n: 3 },
    ]);
    expect(server.publishes('b')).toEqual([{ channel: 'b', data: { channel: 'b', n: 2 }, id: undefined }]);
  });
});

describe('createMockSocketServer', () => {
  it('resolves whenSubscribed() at once for a channel already subscribed', async () => {
    const server = mockServer();
    const connection = connect();
    connection.subscribe('cpu', () => {});
    await server.whenSubscribed('cpu');

    await expect(server.whenSubscribed('cpu')).resolves.toBeUndefined();
    expect(server.sockets.map((client) => [...client.channels])).toEqual([['cpu']]);
  });

  it('forgets the logs on clearLogs() but keeps seqs and sessions', async () => {
    const server = mockServer();
    const connection = connect();
    connection.subscribe('cpu', () => {});
    await server.whenSubscribed('cpu');
    server.publish('cpu', 1);
    server.clearLogs();

    expect(server.inbound()).toEqual([]);
    expect(server.sent()).toEqual([]);
    expect(server.publish('cpu', 2)).toBe(2);
    expect(server.sockets[0]?.sessionId).toBe('mock-session-1');
  });

  it('rejects invalid arguments with a TypeError that says what is expected', () => {
    expect(() => createMockSocketServer('http://x.test')).toThrow(/ws:\/\/ or wss:\/\/ URL/);
    expect(() => createMockSocketServer(URL, { replay: -1 })).toThrow(/replay must be a whole number/);
    expect(() => createMockSocketServer(URL, { protocol: 'v2' as 'v1' })).toThrow(/'v1' or 'raw'/);
    const server = createMockSocketServer(URL);
    expect(() => server.delay(-1)).toThrow(TypeError);
    expect(() => server.refuseNext(1.5)).toThrow(TypeError);
    expect(() => server.publish('', 1)).toThrow(/non-empty channel name/);
    expect(() => server.refuseSubscription('')).toThrow(/channel name or a function/);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createTestServer, waitFor } from './test-server';
import type { TestServer, TestServerOptions } from './test-server';

type Frame = Record<string, unknown>;

/** A raw protocol client: frames are read in order through `take`, so tests assert on sequences. */
interface RawClient {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  cursor: number;
  close: { code: number; reason: string } | undefined;
  send(frame: object | string): void;
}

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options?: TestServerOptions): Promise<TestServer> {
  const server = await createTestServer(options);
  cleanups.push(() => server.close());
  return server;
}

async function open(url: string, protocols: string[] = ['socketboard.v1']): Promise<RawClient> {
  const ws = new WebSocket(url, protocols);
  const client: RawClient = {
    ws,
    frames: [],
    cursor: 0,
    close: undefined,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
  };
  // binaryType stays 'nodebuffer', so every message arrives as one Buffer.
  ws.on('message', (data) => client.frames.push(JSON.parse((data as Buffer).toString('utf8')) as Frame));
  ws.on('close', (code, reason) => (client.close = { code, reason: reason.toString() }));
  ws.on('error', () => {});
  cleanups.push(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/** The next `count` frames the client received, in order. */
async function take(client: RawClient, count = 1): Promise<Frame[]> {
  const end = client.cursor + count;
  await waitFor(() => client.frames.length >= end, 5000, `${count} more frame(s)`);
  const frames = client.frames.slice(client.cursor, end);
  client.cursor = end;
  return frames;
}

async function subscribe(client: RawClient, ch: string, since?: number): Promise<Frame[]> {
  client.send(since === undefined ? { t: 'sub', ch } : { t: 'sub', ch, since });
  const frames: Frame[] = [];
  for (;;) {
    const [frame] = await take(client);
    frames.push(frame!);
    if (frame!.t === 'subd' && frame!.ch === ch) return frames;
  }
}

async function hello(client: RawClient, sid?: string): Promise<Frame> {
  client.send(sid === undefined ? { t: 'hello' } : { t: 'hello', sid });
  const [welcome] = await take(client);
  return welcome!;
}

describe('createTestServer: handshake', () => {
  it('listens on 127.0.0.1 and picks the socketboard.v1 subprotocol when offered', async () => {
    const server = await startServer();
    const client = await open(server.url, ['socketboard.v1', 'socketboard.auth.abc']);

    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(client.ws.protocol).toBe('socketboard.v1');
    expect(server.protocols).toEqual(['socketboard.v1,socketboard.auth.abc']);
  });

  it('accepts a connection that offers no subprotocol and records an empty offer', async () => {
    const server = await startServer();
    const client = await open(server.url, []);

    expect(client.ws.protocol).toBe('');
    expect(server.protocols).toEqual(['']);
    expect(server.connections).toBe(1);
    expect(server.totalConnections).toBe(1);
  });
});

describe('createTestServer: channels and replay', () => {
  it('numbers messages per channel, strictly increasing from 1', async () => {
    const server = await startServer();

    expect([server.publish('a', 1), server.publish('a', 2), server.publish('b', 3)]).toEqual([1, 2, 1]);
    expect(server.seq('a')).toBe(2);
    expect(server.seq('never')).toBe(0);
  });

  it('confirms a subscription without since with the current seq and no replay', async () => {
    const server = await startServer();
    server.publish('a', 'old');
    server.publish('a', 'older');
    const client = await open(server.url);

    expect(await subscribe(client, 'a')).toEqual([{ t: 'subd', ch: 'a', seq: 2, resumed: true }]);
    expect(server.subscribers('a')).toBe(1);
  });

  it('delivers live messages only to subscribers of the channel', async () => {
    const server = await startServer();
    const client = await open(server.url);
    await subscribe(client, 'a');

    server.publish('b', 'not for you');
    server.publish('a', { n: 1 });

    expect(await take(client)).toEqual([{ t: 'msg', ch: 'a', seq: 1, d: { n: 1 } }]);
  });

  it('replays messages after since, then confirms with resumed: true', async () => {
    const server = await startServer();
    for (const d of ['one', 'two', 'three']) server.publish('a', d);
    const client = await open(server.url);

    expect(await subscribe(client, 'a', 1)).toEqual([
      { t: 'msg', ch: 'a', seq: 2, d: 'two' },
      { t: 'msg', ch: 'a', seq: 3, d: 'three' },
      { t: 'subd', ch: 'a', seq: 3, resumed: true },
    ]);
  });

  it('replays what is left and says resumed: false when the buffer no longer reaches back to since', async () => {
    const server = await startServer({ replay: 2 });
    for (let n = 1; n <= 5; n += 1) server.publish('a', n);
    const client = await open(server.url);

    expect(await subscribe(client, 'a', 2)).toEqual([
      { t: 'msg', ch: 'a', seq: 4, d: 4 },
      { t: 'msg', ch: 'a', seq: 5, d: 5 },
      { t: 'subd', ch: 'a', seq: 5, resumed: false },
    ]);
    // Seq 4 is the oldest kept, exactly since + 1: nothing was missed.
    expect((await subscribe(client, 'a', 3)).at(-1)).toEqual({ t: 'subd', ch: 'a', seq: 5, resumed: true });
  });

  it('says resumed: true without replay when since is already the current seq', async () => {
    const server = await startServer({ replay: 0 });
    server.publish('a', 1);
    const client = await open(server.url);

    expect(await subscribe(client, 'a', 1)).toEqual([{ t: 'subd', ch: 'a', seq: 1, resumed: true }]);
    expect(await subscribe(client, 'a', 0)).toEqual([{ t: 'subd', ch: 'a', seq: 1, resumed: false }]);
  });

  it('stops delivering a channel after unsub', async () => {
    const server = await startServer();
    const client = await open(server.url);
    await subscribe(client, 'a');
    await subscribe(client, 'b');

    client.send({ t: 'unsub', ch: 'a' });
    await waitFor(() => server.subscribers('a') === 0);
    server.publish('a', 'gone');
    server.publish('b', 'kept');

    expect(await take(client)).toEqual([{ t: 'msg', ch: 'b', seq: 1, d: 'kept' }]);
  });
});

describe('createTestServer: publishes, acks and sessions', () => {
  it('broadcasts an accepted publish to subscribers including the sender, then acks it', async () => {
    const server = await startServer();
    const sender = await open(server.url);
    const other = await open(server.url);
    await subscribe(sender, 'chat');
    await subscribe(other, 'chat');

    sender.send({ t: 'pub', ch: 'chat', d: 'hi', id: 'm1' });

    expect(await take(sender, 2)).toEqual([
      { t: 'msg', ch: 'chat', seq: 1, d: 'hi' },
      { t: 'ack', id: 'm1' },
    ]);
    expect(await take(other)).toEqual([{ t: 'msg', ch: 'chat', seq: 1, d: 'hi' }]);
    expect(server.delivered).toEqual([{ ch: 'chat', d: 'hi', id: 'm1' }]);
  });

  it('acks a resent id again without delivering or broadcasting it twice', async () => {
    const server = await startServer();
    const client = await open(server.url);
    await subscribe(client, 'chat');
    client.send({ t: 'pub', ch: 'chat', d: 'hi', id: 'm1' });
    await take(client, 2);

    client.send({ t: 'pub', ch: 'chat', d: 'hi', id: 'm1' });

    expect(await take(client)).toEqual([{ t: 'ack', id: 'm1' }]);
    expect(server.delivered).toHaveLength(1);
    expect(server.seq('chat')).toBe(1);
  });

  it('delivers a publish without id and does not answer it', async () => {
    const server = await startServer();
    const client = await open(server.url);

    client.send({ t: 'pub', ch: 'x', d: 1 });
    client.send({ t: 'ping', ts: 7 });

    expect(await take(client)).toEqual([{ t: 'pong', ts: 7 }]);
    expect(server.delivered).toEqual([{ ch: 'x', d: 1 }]);
  });

  it('welcomes hello without sid with a new session, and resumes it by sid on another connection', async () => {
    const server = await startServer();
    const first = await open(server.url);
    const welcome = await hello(first);
    expect(welcome).toMatchObject({ t: 'welcome', resumed: false });
    expect(typeof welcome.sid).toBe('string');

    const second = await open(server.url);

    expect(await hello(second, welcome.sid as string)).toEqual({ t: 'welcome', sid: welcome.sid, resumed: true });
  });

  it('issues a new sid when hello presents an unknown one', async () => {
    const server = await startServer();
    const client = await open(server.url);

    const welcome = await hello(client, 'from-another-server');

    expect(welcome.resumed).toBe(false);
    expect(welcome.sid).not.toBe('from-another-server');
    expect(typeof welcome.sid).toBe('string');
  });

  it('dedupes per session: across a resumed reconnect, but not across sessions', async () => {
    const server = await startServer();
    const first = await open(server.url);
    const { sid } = await hello(first);
    first.send({ t: 'pub', ch: 'x', d: 'once', id: 'same' });
    await take(first);
    first.ws.close();

    const resumed = await open(server.url);
    await hello(resumed, sid as string);
    resumed.send({ t: 'pub', ch: 'x', d: 'once', id: 'same' });
    expect(await take(resumed)).toEqual([{ t: 'ack', id: 'same' }]);
    expect(server.delivered).toHaveLength(1);

    const stranger = await open(server.url);
    stranger.send({ t: 'pub', ch: 'x', d: 'once', id: 'same' });
    await take(stranger);
    expect(server.delivered).toHaveLength(2);
  });

  it('keeps ids published before hello in the session that hello announces', async () => {
    const server = await startServer();
    const client = await open(server.url);
    client.send({ t: 'pub', ch: 'x', d: 1, id: 'early' });
    await take(client);
    const { sid } = await hello(client);

    const again = await open(server.url);
    await hello(again, sid as string);
    again.send({ t: 'pub', ch: 'x', d: 1, id: 'early' });
    await take(again);

    expect(server.delivered).toHaveLength(1);
  });

  it('remembers the last 1000 ids per session and forgets older ones', async () => {
    const server = await startServer();
    server.options.echoPublishes = false;
    const client = await open(server.url);
    for (let n = 0; n <= 1000; n += 1) client.send({ t: 'pub', ch: 'x', d: n, id: `id-${n}` });
    await take(client, 1001);

    client.send({ t: 'pub', ch: 'x', d: 1000, id: 'id-1000' });
    client.send({ t: 'pub', ch: 'x', d: 0, id: 'id-0' });
    await take(client, 2);

    expect(server.delivered).toHaveLength(1002);
    expect(server.delivered.at(-1)).toEqual({ ch: 'x', d: 0, id: 'id-0' });
  });

  it('forgetSessions() makes a known sid unknown', async () => {
    const server = await startServer();
    const client = await open(server.url);
    const { sid } = await hello(client);

    server.forgetSessions();
    const again = await open(server.url);
    const welcome = await hello(again, sid as string);

    expect(welcome.resumed).toBe(false);
    expect(welcome.sid).not.toBe(sid);
  });
});

describe('createTestServer: behaviour switches', () => {
  it('answers ping with pong echoing ts', async () => {
    const server = await startServer();
    const client = await open(server.url);

    client.send({ t: 'ping', ts: 12345 });

    expect(await take(client)).toEqual([{ t: 'pong', ts: 12345 }]);
    expect(server.received).toEqual([{ t: 'ping', ts: 12345 }]);
  });

  it('ignores pings while respondToPing is off', async () => {
    const server = await startServer();
    server.options.respondToPing = false;
    const client = await open(server.url);

    client.send({ t: 'ping', ts: 1 });
    client.send({ t: 'pub', ch: 'x', d: 0, id: 'after-ping' });

    // Frames are answered in order, so a pong would have come before this ack.
    expect(await take(client)).toEqual([{ t: 'ack', id: 'after-ping' }]);
  });

  it('withholds acks while ack is off, still delivering', async () => {
    const server = await startServer();
    server.options.ack = false;
    const client = await open(server.url);

    client.send({ t: 'pub', ch: 'x', d: 0, id: 'unacked' });
    client.send({ t: 'ping', ts: 2 });

    expect(await take(client)).toEqual([{ t: 'pong', ts: 2 }]);
    expect(server.delivered).toEqual([{ ch: 'x', d: 0, id: 'unacked' }]);
  });

  it('nacks a refused publish with an id, errs one without, and delivers neither', async () => {
    const server = await startServer();
    server.options.nack = (frame) => (frame.ch === 'ro' ? { code: 'forbidden', reason: 'read only' } : undefined);
    const client = await open(server.url);
    await subscribe(client, 'ro');

    client.send({ t: 'pub', ch: 'ro', d: 1, id: 'n1' });
    client.send({ t: 'pub', ch: 'ro', d: 2 });

    expect(await take(client, 2)).toEqual([
      { t: 'nack', id: 'n1', code: 'forbidden', reason: 'read only' },
      { t: 'err', code: 'forbidden', reason: 'read only', ch: 'ro' },
    ]);
    expect(server.delivered).toEqual([]);
    expect(server.seq('ro')).toBe(0);
  });

  it('does not broadcast publishes while echoPublishes is off', async () => {
    const server = await startServer();
    server.options.echoPublishes = false;
    const client = await open(server.url);
    await subscribe(client, 'a');

    client.send({ t: 'pub', ch: 'a', d: 'quiet', id: 'q' });

    expect(await take(client)).toEqual([{ t: 'ack', id: 'q' }]);
    expect(server.seq('a')).toBe(0);
  });
});

describe('createTestServer: bad frames', () => {
  it.each([
    ['not JSON', 'not json'],
    ['not a JSON object', '[1,2]'],
    ['missing string "t"', '{"ch":"a"}'],
    ['unknown frame type "nope"', '{"t":"nope"}'],
    ['sub needs a string "ch"', '{"t":"sub"}'],
    ['sub "since" must be a non-negative integer', '{"t":"sub","ch":"a","since":-1}'],
    ['pub "id" must be a string', '{"t":"pub","ch":"a","d":1,"id":5}'],
    ['ping needs a numeric "ts"', '{"t":"ping"}'],
  ])('answers err bad-frame (%s) and keeps the connection open', async (reason, raw) => {
    const server = await startServer();
    const client = await open(server.url);

    client.send(raw);
    client.send({ t: 'ping', ts: 3 });

    const [err, pong] = await take(client, 2);
    expect(err).toMatchObject({ t: 'err', code: 'bad-frame', reason });
    expect(pong).toEqual({ t: 'pong', ts: 3 });
  });

  it('answers err bad-frame to a binary frame', async () => {
    const server = await startServer();
    const client = await open(server.url);

    client.ws.send(Buffer.from('{"t":"ping","ts":1}'));

    expect(await take(client)).toEqual([
      { t: 'err', code: 'bad-frame', reason: 'binary frames are not part of protocol v1' },
    ]);
  });

  it('records frames with a string t, valid or not, and nothing else', async () => {
    const server = await startServer();
    const client = await open(server.url);

    client.send('garbage');
    client.send({ t: 'nope' });
    client.send({ t: 'ping', ts: 1 });
    await take(client, 3);

    expect(server.received).toEqual([{ t: 'nope' }, { t: 'ping', ts: 1 }]);
  });
});

describe('createTestServer: auth', () => {
  const good = (token: string): boolean => token === 'good';

  it('lets a connection in after an auth frame with a passing token', async () => {
    const server = await startServer();
    server.options.requireAuth = good;
    const client = await open(server.url);

    client.send({ t: 'auth', token: 'good' });

    expect(await subscribe(client, 'a')).toEqual([{ t: 'subd', ch: 'a', seq: 0, resumed: true }]);
  });

  it('closes with 4001 auth expired when the token fails', async () => {
    const server = await startServer();
    server.options.requireAuth = good;
    const client = await open(server.url);

    client.send({ t: 'auth', token: 'stale' });

    await waitFor(() => client.close !== undefined);
    expect(client.close).toEqual({ code: 4001, reason: 'auth expired' });
  });

  it('closes with 4001 when a later refresh fails', async () => {
    const server = await startServer();
    server.options.requireAuth = good;
    const client = await open(server.url);
    client.send({ t: 'auth', token: 'good' });
    client.send({ t: 'auth', token: 'revoked' });

    await waitFor(() => client.close !== undefined);
    expect(client.close?.code).toBe(4001);
  });

  it('closes with 1008 auth required when another frame comes first, but allows hello before auth', async () => {
    const server = await startServer();
    server.options.requireAuth = good;
    const client = await open(server.url);

    expect((await hello(client)).t).toBe('welcome');
    client.send({ t: 'sub', ch: 'a' });

    await waitFor(() => client.close !== undefined);
    expect(client.close).toEqual({ code: 1008, reason: 'auth required' });
  });

  it('accepts the token as a socketboard.auth.<token> subprotocol, and closes 4001 when it fails', async () => {
    const server = await startServer();
    server.options.requireAuth = good;
    const admitted = await open(server.url, ['socketboard.v1', 'socketboard.auth.good']);
    const rejected = await open(server.url, ['socketboard.v1', 'socketboard.auth.bad']);

    expect(await subscribe(admitted, 'a')).toEqual([{ t: 'subd', ch: 'a', seq: 0, resumed: true }]);
    await waitFor(() => rejected.close !== undefined);
    expect(rejected.close?.code).toBe(4001);
  });

  it('ignores auth frames when no auth is required', async () => {
    const server = await startServer();
    const client = await open(server.url);

    client.send({ t: 'auth', token: 'anything' });
    client.send({ t: 'ping', ts: 4 });

    expect(await take(client)).toEqual([{ t: 'pong', ts: 4 }]);
  });
});

describe('createTestServer: connections and lifecycle', () => {
  it('sendRaw() sends a frame as is to every client', async () => {
    const server = await startServer();
    const client = await open(server.url);

    server.sendRaw('{"t":"msg","ch":"a","seq":9,"d":null}');

    expect(await take(client)).toEqual([{ t: 'msg', ch: 'a', seq: 9, d: null }]);
  });

  it('closeAll() closes every client with the given code and reason', async () => {
    const server = await startServer();
    const a = await open(server.url);
    const b = await open(server.url);

    server.closeAll(4000, 'go away');

    await waitFor(() => a.close !== undefined && b.close !== undefined);
    expect([a.close, b.close]).toEqual([
      { code: 4000, reason: 'go away' },
      { code: 4000, reason: 'go away' },
    ]);
    await waitFor(() => server.connections === 0);
  });

  it('terminateAll() drops every client abruptly (1006)', async () => {
    const server = await startServer();
    const client = await open(server.url);

    server.terminateAll();

    await waitFor(() => client.close !== undefined);
    expect(client.close?.code).toBe(1006);
    await waitFor(() => server.connections === 0);
  });

  it('stop() drops clients and start() listens on the same port with seqs, replay and sessions kept', async () => {
    const server = await startServer();
    const port = server.port;
    const before = await open(server.url);
    const { sid } = await hello(before);
    await subscribe(before, 'a');
    server.publish('a', 1);
    server.publish('a', 2);
    await take(before, 2);

    await server.stop();
    expect(server.connections).toBe(0);
    await waitFor(() => before.close !== undefined);
    expect(before.close?.code).toBe(1006);
    expect(server.publish('a', 3)).toBe(3);
    await expect(open(server.url)).rejects.toThrow(/ECONNREFUSED/);

    await server.start();
    const after = await open(server.url);

    expect(server.port).toBe(port);
    expect(await hello(after, sid as string)).toEqual({ t: 'welcome', sid, resumed: true });
    expect(await subscribe(after, 'a', 2)).toEqual([
      { t: 'msg', ch: 'a', seq: 3, d: 3 },
      { t: 'subd', ch: 'a', seq: 3, resumed: true },
    ]);
    expect(server.received.filter((frame) => frame.t === 'hello')).toHaveLength(2);
    expect(server.totalConnections).toBe(2);
  });

  it('start() while listening does nothing', async () => {
    const server = await startServer();
    const port = server.port;

    await server.start();

    expect(server.port).toBe(port);
    await open(server.url);
  });

  it('close() stops for good: idempotent, and start() afterwards rejects', async () => {
    const server = await startServer();
    const client = await open(server.url);

    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;

    await waitFor(() => client.close !== undefined);
    await expect(server.start()).rejects.toThrow('start() after close()');
  });

  it('listens on a given port', async () => {
    const first = await startServer();
    const port = first.port;
    await first.close();

    const second = await startServer({ port });

    expect(second.port).toBe(port);
    await open(second.url);
  });
});

describe('waitFor', () => {
  it('resolves once the predicate turns true', async () => {
    let calls = 0;

    await waitFor(() => (calls += 1) >= 3);

    expect(calls).toBe(3);
  });

  it('rejects naming the condition when it stays false', async () => {
    await expect(waitFor(() => false, 20, 'the moon to turn blue')).rejects.toThrow(
      'waitFor: still false after 20 ms: the moon to turn blue',
    );
  });

  it('rejects with the predicate source when no description is given', async () => {
    await expect(waitFor(() => 1 > 2, 20)).rejects.toThrow('() => 1 > 2');
  });

  it('rejects at once with the error a predicate throws', async () => {
    await expect(
      waitFor(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it('keeps polling while the test fakes the global timers and clock', async () => {
    vi.useFakeTimers();
    try {
      let ready = false;
      let polls = 0;
      const waiting = waitFor(() => {
        polls += 1;
        return ready;
      });
      await Promise.resolve();
      ready = true;

      await waiting;
      expect(polls).toBeGreaterThan(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

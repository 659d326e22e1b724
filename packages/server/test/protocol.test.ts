import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src';
import type { Broker } from '../src';
import { helloed, onCleanup, openRaw, runCleanups, startServer, subscribe, waitFor } from './helpers';
import type { Frame } from './helpers';

afterEach(runCleanups);

describe('sessions', () => {
  it('issues a session in answer to hello {} and resumes it on a later connection', async () => {
    const { url } = await startServer();
    const { welcome } = await helloed(url);
    expect(welcome).toMatchObject({ t: 'welcome', resumed: false });
    expect(typeof welcome.sid).toBe('string');

    const again = await helloed(url, welcome.sid as string);
    expect(again.welcome).toEqual({ t: 'welcome', sid: welcome.sid, resumed: true });
  });

  it('issues a fresh session for an unknown sid, never adopting the one offered', async () => {
    const { url } = await startServer();
    const { welcome } = await helloed(url, 'i-made-this-up');
    expect(welcome.resumed).toBe(false);
    expect(welcome.sid).not.toBe('i-made-this-up');
  });

  it('refuses a second hello on the same connection and keeps the connection', async () => {
    const { url } = await startServer();
    const { client } = await helloed(url);
    client.send({ t: 'hello' });
    expect(await client.next()).toMatchObject({ t: 'err', code: 'bad-frame' });
    client.send({ t: 'ping', ts: 1 });
    expect(await client.next()).toEqual({ t: 'pong', ts: 1 });
  });
});

describe('channels, seq and replay', () => {
  it('confirms a subscription with the current seq, then delivers live messages with increasing seq', async () => {
    const { url, server } = await startServer();
    await server.publish('cpu', { v: 1 });
    const client = await openRaw(url);
    expect(await subscribe(client, 'cpu')).toEqual([{ t: 'subd', ch: 'cpu', seq: 1, resumed: true }]);
    expect(await server.publish('cpu', { v: 2 })).toBe(2);
    expect(await server.publish('cpu', { v: 3 })).toBe(3);
    expect([await client.next(), await client.next()]).toEqual([
      { t: 'msg', ch: 'cpu', seq: 2, d: { v: 2 } },
      { t: 'msg', ch: 'cpu', seq: 3, d: { v: 3 } },
    ]);
  });

  it('replays what the buffer holds after since, before confirming with resumed: true', async () => {
    const { url, server } = await startServer();
    for (let i = 1; i <= 4; i++) await server.publish('a', i);
    const client = await openRaw(url);
    expect(await subscribe(client, 'a', 2)).toEqual([
      { t: 'msg', ch: 'a', seq: 3, d: 3 },
      { t: 'msg', ch: 'a', seq: 4, d: 4 },
      { t: 'subd', ch: 'a', seq: 4, resumed: true },
    ]);
  });

  it('says resumed: false when the buffer no longer reaches back to since, and replays what it has', async () => {
    const { url, server } = await startServer({ replay: { perChannel: 2 } });
    for (let i = 1; i <= 5; i++) await server.publish('a', i);
    const client = await openRaw(url);
    expect(await subscribe(client, 'a', 1)).toEqual([
      { t: 'msg', ch: 'a', seq: 4, d: 4 },
      { t: 'msg', ch: 'a', seq: 5, d: 5 },
      { t: 'subd', ch: 'a', seq: 5, resumed: false },
    ]);
  });

  it('says resumed: false with the current seq when since is above it (the server lost state)', async () => {
    const { url, server } = await startServer();
    await server.publish('a', 1);
    const client = await openRaw(url);
    expect(await subscribe(client, 'a', 40)).toEqual([{ t: 'subd', ch: 'a', seq: 1, resumed: false }]);
  });

  it('delivers only to subscribers of the channel, and stops after unsub', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    await subscribe(client, 'a');
    await subscribe(client, 'b');
    await server.publish('c', 'not for you');
    await server.publish('a', 'a1');
    expect(await client.next()).toMatchObject({ ch: 'a', d: 'a1' });
    client.send({ t: 'unsub', ch: 'a' });
    await waitFor(() => server.metrics().channels === 1, 2000, 'the unsubscribe');
    await server.publish('a', 'a2');
    await server.publish('b', 'b1');
    expect(await client.next()).toMatchObject({ ch: 'b', d: 'b1' });
  });

  it('restarts a subscription on a second sub for the same channel, replaying from its since', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    await subscribe(client, 'a');
    await server.publish('a', 1);
    await client.next();
    expect(await subscribe(client, 'a', 0)).toEqual([
      { t: 'msg', ch: 'a', seq: 1, d: 1 },
      { t: 'subd', ch: 'a', seq: 1, resumed: true },
    ]);
  });

  it('sends no message twice and skips none when publishes race a subscription with since', async () => {
    // A broker that holds its answers until told, so publishes land in each window of a subscription:
    // after the broker subscription is live but before the replay (in both), and after the replay (parked only).
    const inner = createMemoryBroker();
    onCleanup(() => inner.close());
    const gates: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => gates.push(resolve));
    const broker: Broker = {
      ...inner,
      subscribe: async (channel, listener) => {
        const off = await inner.subscribe(channel, listener);
        await hold();
        return off;
      },
      replay: async (channel, since) => {
        const result = await inner.replay(channel, since);
        await hold();
        return result;
      },
    };
    const { url, server } = await startServer({ broker });
    for (let i = 1; i <= 50; i++) await server.publish('race', i);
    const client = await openRaw(url);
    client.send({ t: 'sub', ch: 'race', since: 10 });
    await waitFor(() => gates.length === 1, 2000, 'the broker subscription');
    for (let i = 51; i <= 60; i++) await server.publish('race', i); // live and in the replay
    gates.shift()!();
    await waitFor(() => gates.length === 1, 2000, 'the replay');
    for (let i = 61; i <= 70; i++) await server.publish('race', i); // live only: parked until subd
    gates.shift()!();
    await waitFor(() => client.frames.filter((f) => f.t === 'msg').length >= 60, 5000, '60 messages');
    const seqs = client.frames.filter((f) => f.t === 'msg').map((f) => f.seq);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => 11 + i));
    const subd = client.frames.findIndex((f) => f.t === 'subd');
    expect(client.frames[subd]).toEqual({ t: 'subd', ch: 'race', seq: 60, resumed: true });
    expect(client.frames.slice(0, subd).every((f) => f.t === 'msg' && (f.seq as number) <= 60)).toBe(true);
  });

  it('refuses channel names outside 1–128 characters of [A-Za-z0-9_.:/-]', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    client.send({ t: 'sub', ch: 'has space' });
    expect(await client.next()).toMatchObject({ t: 'err', code: 'bad-channel', ch: 'has space' });
    client.send({ t: 'sub', ch: 'x'.repeat(129) });
    expect(await client.next()).toMatchObject({ t: 'err', code: 'bad-channel' });
    await expect(server.publish('bad name', 1)).rejects.toMatchObject({ code: 'bad-channel' });
    expect(await subscribe(client, 'ok_name.with:all/the-chars')).toHaveLength(1);
  });

  it('refuses more channels per connection than maxChannelsPerConnection', async () => {
    const { url } = await startServer({ maxChannelsPerConnection: 2 });
    const client = await openRaw(url);
    await subscribe(client, 'a');
    await subscribe(client, 'b');
    expect(await subscribe(client, 'c')).toEqual([
      expect.objectContaining({ t: 'err', code: 'too-many-channels', ch: 'c' }),
    ]);
    // Resubscribing to one it has is not a new channel.
    expect(await subscribe(client, 'a')).toEqual([{ t: 'subd', ch: 'a', seq: 0, resumed: true }]);
  });
});

describe('publishing', () => {
  it('acks a publish with an id and delivers it to subscribers, the sender included', async () => {
    const { url } = await startServer();
    const { client } = await helloed(url);
    const watcher = await openRaw(url);
    await subscribe(watcher, 'chat');
    await subscribe(client, 'chat');
    client.send({ t: 'pub', ch: 'chat', d: { text: 'hi' }, id: 'm1' });
    const frames = [await client.next(), await client.next()];
    expect(frames).toContainEqual({ t: 'ack', id: 'm1' });
    expect(frames).toContainEqual({ t: 'msg', ch: 'chat', seq: 1, d: { text: 'hi' } });
    expect(await watcher.next()).toEqual({ t: 'msg', ch: 'chat', seq: 1, d: { text: 'hi' } });
  });

  it('acks a resent id again on a resumed session without delivering it twice', async () => {
    const { url, server } = await startServer();
    const watcher = await openRaw(url);
    await subscribe(watcher, 'chat');
    const first = await helloed(url);
    first.client.send({ t: 'pub', ch: 'chat', d: 'once', id: 'm1' });
    expect(await first.client.next()).toEqual({ t: 'ack', id: 'm1' });
    first.client.ws.terminate();

    const second = await helloed(url, first.welcome.sid as string);
    expect(second.welcome.resumed).toBe(true);
    second.client.send({ t: 'pub', ch: 'chat', d: 'once', id: 'm1' });
    expect(await second.client.next()).toEqual({ t: 'ack', id: 'm1' });
    second.client.send({ t: 'pub', ch: 'chat', d: 'twice', id: 'm2' });
    expect(await second.client.next()).toEqual({ t: 'ack', id: 'm2' });

    expect(await watcher.next()).toMatchObject({ seq: 1, d: 'once' });
    expect(await watcher.next()).toMatchObject({ seq: 2, d: 'twice' });
    expect(server.metrics().duplicates).toBe(1);
  });

  it('deduplicates within an implicit session when the client never sent hello', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'same' });
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'same' });
    expect([await client.next(), await client.next()]).toEqual([
      { t: 'ack', id: 'same' },
      { t: 'ack', id: 'same' },
    ]);
    expect(server.metrics()).toMatchObject({ published: 1, duplicates: 1 });
    // A later hello announces that implicit session rather than a new one.
    client.send({ t: 'hello' });
    const welcome = await client.next();
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'same' });
    expect(await client.next()).toEqual({ t: 'ack', id: 'same' });
    expect(welcome).toMatchObject({ t: 'welcome', resumed: false });
    expect(server.metrics().duplicates).toBe(2);
  });

  it('delivers a publish without id and answers nothing', async () => {
    const { url } = await startServer();
    const client = await openRaw(url);
    await subscribe(client, 'a');
    client.send({ t: 'pub', ch: 'a', d: null });
    expect(await client.next()).toEqual({ t: 'msg', ch: 'a', seq: 1, d: null });
  });

  it('lets onPublish transform a publish, or reject it with a nack and no delivery', async () => {
    const { url, server } = await startServer({
      onPublish: ({ data, principal }) => {
        if (data === 'spam') return { reject: 'no spam', code: 'spam' };
        return { data: { text: data, by: principal ?? 'anonymous' } };
      },
    });
    const client = await openRaw(url);
    await subscribe(client, 'a');
    client.send({ t: 'pub', ch: 'a', d: 'spam', id: 'x' });
    expect(await client.next()).toEqual({ t: 'nack', id: 'x', code: 'spam', reason: 'no spam' });
    client.send({ t: 'pub', ch: 'a', d: 'spam' });
    expect(await client.next()).toEqual({ t: 'err', code: 'spam', reason: 'no spam', ch: 'a' });
    client.send({ t: 'pub', ch: 'a', d: 'hello', id: 'y' });
    const frames = [await client.next(), await client.next()];
    expect(frames).toContainEqual({ t: 'msg', ch: 'a', seq: 1, d: { text: 'hello', by: 'anonymous' } });
    expect(server.metrics().published).toBe(1);
  });

  it('judges a resent id afresh after it was rejected', async () => {
    let reject = true;
    const { url } = await startServer({ onPublish: () => (reject ? { reject: 'not now' } : undefined) });
    const client = await openRaw(url);
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'x' });
    expect(await client.next()).toMatchObject({ t: 'nack', id: 'x', code: 'rejected' });
    reject = false;
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'x' });
    expect(await client.next()).toEqual({ t: 'ack', id: 'x' });
  });

  it('nacks with unavailable and reports the error when onPublish throws', async () => {
    const { url, server } = await startServer({
      onPublish: () => {
        throw new Error('hook bug');
      },
    });
    const errors: string[] = [];
    server.on('error', (error) => errors.push(error.message));
    const client = await openRaw(url);
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'x' });
    expect(await client.next()).toMatchObject({ t: 'nack', id: 'x', code: 'unavailable' });
    expect(errors.join()).toContain('hook bug');
  });

  it('keeps the order of a connection’s publishes even when onPublish is slow for some', async () => {
    const { url } = await startServer({
      onPublish: async ({ data }) => {
        if ((data as number) % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const watcher = await openRaw(url);
    await subscribe(watcher, 'a');
    const client = await openRaw(url);
    for (let i = 1; i <= 30; i++) client.send({ t: 'pub', ch: 'a', d: i, id: `m${i}` });
    await waitFor(() => watcher.frames.length >= 31, 5000, '30 messages');
    expect(watcher.frames.slice(1).map((f) => f.d)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await waitFor(() => client.frames.length >= 30, 5000, '30 acks');
    expect(client.frames.map((f) => f.id)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
  });

  it('rejects server publishes of data with no JSON form', async () => {
    const { server } = await startServer();
    await expect(server.publish('a', 10n)).rejects.toMatchObject({ code: 'unserializable' });
    await expect(server.publish('a', undefined)).rejects.toMatchObject({ code: 'unserializable' });
  });
});

describe('heartbeat and ping', () => {
  it('answers an app-level ping with pong echoing ts, and a ping without ts with a bare pong', async () => {
    const { url } = await startServer();
    const client = await openRaw(url);
    client.send({ t: 'ping', ts: 1234.5 });
    client.send({ t: 'ping' });
    expect([await client.next(), await client.next()]).toEqual([{ t: 'pong', ts: 1234.5 }, { t: 'pong' }]);
  });

  it('terminates a peer that stops answering protocol pings, and keeps one that answers', async () => {
    const { url, server } = await startServer({ heartbeat: { intervalMs: 250 } });
    const disconnects: number[] = [];
    server.on('disconnect', (_c, close) => disconnects.push(close.code));
    const deaf = await openRaw(url, { autoPong: false });
    const healthy = await openRaw(url);
    await deaf.waitClose();
    expect(deaf.closed!.code).toBe(1006);
    expect(server.metrics().heartbeatTimeouts).toBe(1);
    expect(disconnects).toEqual([1006]);
    expect(healthy.closed).toBeUndefined();
  });
});

describe('bad input', () => {
  it('answers a malformed frame with err, counts it, and keeps the connection', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    client.send('this is not json');
    client.send(Buffer.from([1, 2, 3]).toString('latin1'));
    client.ws.send(Buffer.from([0xde, 0xad]), { binary: true });
    client.send({ t: 'pub', ch: 'a', id: 'x' });
    const frames = [await client.next(), await client.next(), await client.next(), await client.next()];
    expect(frames.slice(0, 3).every((f) => f.t === 'err' && f.code === 'bad-frame')).toBe(true);
    expect(frames[3]).toMatchObject({ t: 'nack', id: 'x', code: 'bad-frame' });
    expect(server.metrics().malformedFrames).toBe(4);
    client.send({ t: 'ping', ts: 1 });
    expect(await client.next()).toEqual({ t: 'pong', ts: 1 });
  });

  it('closes with 1008 a client that sends more malformed frames per second than allowed', async () => {
    const { url, server } = await startServer({ maxMalformedPerSecond: 3 });
    const client = await openRaw(url);
    for (let i = 0; i < 10; i++) client.send('garbage');
    expect((await client.waitClose()).code).toBe(1008);
    expect(server.metrics().policyCloses).toBe(1);
  });
});

describe('several servers on one broker', () => {
  it('fans a publish on one node out to subscribers on another, with one seq sequence', async () => {
    const broker = createMemoryBroker();
    onCleanup(() => broker.close());
    const a = await startServer({ broker });
    const b = await startServer({ broker });
    const onA = await openRaw(a.url);
    const onB = await openRaw(b.url);
    await subscribe(onA, 'x');
    await subscribe(onB, 'x');
    onA.send({ t: 'pub', ch: 'x', d: 'from a', id: '1' });
    await b.server.publish('x', 'from b');
    const seen = (frames: Frame[]) => frames.filter((f) => f.t === 'msg').map((f) => [f.seq, f.d]);
    await waitFor(() => seen(onB.frames).length === 2 && seen(onA.frames).length === 2, 5000, 'both messages');
    expect(seen(onB.frames)).toEqual(seen(onA.frames));
    expect(seen(onB.frames).map(([s]) => s)).toEqual([1, 2]);
  });
});

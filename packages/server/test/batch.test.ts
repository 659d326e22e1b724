import { afterEach, describe, expect, it } from 'vitest';
import { createSocketServer, SocketServerConfigError } from '../src';
import { coreClient, helloed, openRaw, runCleanups, startServer, subscribe, waitFor } from './helpers';
import type { Frame, RawClient } from './helpers';

// Batching (PROTOCOL.md, batches): the frames due to one client in one event-loop turn leave as one
// WebSocket message holding a JSON array; a lone frame still goes out as a plain object.

afterEach(runCleanups);

const msgSeqs = (client: RawClient) => client.frames.filter((f) => f.t === 'msg').map((f) => f.seq as number);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('batching', () => {
  it('sends the messages published in one turn to a client as one array message, in seq order', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    await subscribe(client, 'feed');
    const before = client.messages.length;
    // server.publish fans out synchronously: the 20 frames are all due in this turn.
    const published = Array.from({ length: 20 }, (_, i) => server.publish('feed', i));
    await Promise.all(published);
    await waitFor(() => client.frames.length >= 21, 5000, 'the 20 messages');
    expect(client.messages.slice(before)).toHaveLength(1);
    const batch = client.messages[before] as Frame[];
    expect(Array.isArray(batch)).toBe(true);
    expect(batch.map((f) => [f.t, f.ch, f.seq, f.d])).toEqual(range(1, 20).map((seq) => ['msg', 'feed', seq, seq - 1]));
  });

  it('sends a frame that is alone in its turn as a plain object, never as an array of one', async () => {
    const { url, server } = await startServer();
    const { client, welcome } = await helloed(url);
    expect(client.messages[0]).toBe(welcome);
    expect(Array.isArray(client.messages[0])).toBe(false);
    await subscribe(client, 'solo');
    await server.publish('solo', 'one');
    await client.next((f) => f.t === 'msg', 'the message');
    expect(client.messages.every((m) => !Array.isArray(m))).toBe(true);
  });

  it('sends one WebSocket message per frame with batch: false', async () => {
    const { url, server } = await startServer({ batch: false });
    const client = await openRaw(url);
    await subscribe(client, 'feed');
    await Promise.all(Array.from({ length: 10 }, (_, i) => server.publish('feed', i)));
    await waitFor(() => msgSeqs(client).length === 10, 5000, 'the 10 messages');
    expect(client.messages.some((m) => Array.isArray(m))).toBe(false);
    expect(msgSeqs(client)).toEqual(range(1, 10));
  });

  it('keeps replayed messages, then subd, then live ones in order inside and across batches', async () => {
    const { url, server } = await startServer();
    for (let i = 1; i <= 5; i++) await server.publish('feed', i);
    const client = await openRaw(url);
    const frames = await subscribe(client, 'feed', 2);
    await Promise.all([6, 7].map((n) => server.publish('feed', n)));
    await waitFor(() => msgSeqs(client).length === 5, 5000, 'replay and live messages');
    expect(frames.map((f) => [f.t, f.seq])).toEqual([
      ['msg', 3],
      ['msg', 4],
      ['msg', 5],
      ['subd', 5],
    ]);
    // The replay and its subd were due in the same turn: one batch.
    expect(client.messages[0]).toEqual(frames);
    expect(msgSeqs(client)).toEqual([3, 4, 5, 6, 7]);
  });

  it('starts a new message before a batch would pass batch.maxBytes, losing and reordering nothing', async () => {
    const maxBytes = 300;
    const { url, server } = await startServer({ batch: { maxBytes } });
    const client = await openRaw(url);
    await subscribe(client, 'feed');
    const before = client.messages.length;
    await Promise.all(range(1, 30).map((n) => server.publish('feed', 'x'.repeat(20 + n))));
    await waitFor(() => msgSeqs(client).length === 30, 5000, 'the 30 messages');
    const sent = client.messages.slice(before);
    expect(sent.length).toBeGreaterThan(1);
    for (const message of sent) expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(maxBytes);
    expect(msgSeqs(client)).toEqual(range(1, 30));
  });

  it('counts frames waiting for the end of the turn towards slowConsumer.maxBufferedBytes', async () => {
    const { url, server } = await startServer({ slowConsumer: { maxBufferedBytes: 1_000, policy: 'drop' } });
    const client = await openRaw(url);
    await subscribe(client, 'feed');
    // 20 frames of ~100 bytes in one turn: the socket has not seen any of them when the outbox passes 1 000.
    await Promise.all(range(1, 20).map(() => server.publish('feed', 'y'.repeat(60))));
    const dropped = server.metrics().slowConsumerDrops;
    expect(dropped).toBeGreaterThanOrEqual(10);
    await waitFor(() => msgSeqs(client).length === 20 - dropped, 5000, 'what was not dropped');
    expect(msgSeqs(client)).toEqual(range(1, 20 - dropped));
  });

  it('counts each frame of a batch in messagesOut and the bytes that went on the wire in bytesOut', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    await subscribe(client, 'feed');
    const before = server.metrics();
    await Promise.all([1, 2, 3].map((n) => server.publish('feed', n)));
    await waitFor(() => msgSeqs(client).length === 3, 5000, 'the 3 messages');
    const after = server.metrics();
    const batch = client.messages.at(-1);
    expect(after.messagesOut - before.messagesOut).toBe(3);
    expect(after.bytesOut - before.bytesOut).toBe(Buffer.byteLength(JSON.stringify(batch)));
  });

  it('sends the frames of the turn before the close frame that follows them', async () => {
    const { url } = await startServer({ maxMalformedPerSecond: 2 });
    const client = await openRaw(url);
    for (let i = 0; i < 3; i++) client.send('not json');
    const close = await client.waitClose();
    expect(close.code).toBe(1008);
    // The third err is due in the same turn as the close: it must not be left in the outbox.
    expect(client.frames.filter((f) => f.t === 'err' && f.code === 'bad-frame')).toHaveLength(3);
  });

  it('delivers a batched stream to a core client in order and counts every frame', async () => {
    const { url, server } = await startServer();
    const client = coreClient(url);
    const seen: number[] = [];
    client.subscribe('feed', (d) => seen.push(d as number));
    client.connect();
    await waitFor(() => client.channel('feed').getState().status === 'subscribed', 5000, 'the subscription');
    for (let round = 0; round < 5; round++) {
      await Promise.all(range(1, 10).map((n) => server.publish('feed', round * 10 + n)));
    }
    await waitFor(() => seen.length === 50, 5000, 'the 50 messages');
    expect(seen).toEqual(range(1, 50));
    expect(client.getMetrics().decodeErrors).toBe(0);
  });

  it.each<[unknown, string]>([
    [{ maxBytes: 1 }, 'batch.maxBytes'],
    ['yes', 'batch'],
  ])('rejects batch %j naming %s', (batch, option) => {
    const create = () => createSocketServer({ batch: batch as never });
    expect(create).toThrow(SocketServerConfigError);
    expect(create).toThrow(`\`${option}\``);
  });
});

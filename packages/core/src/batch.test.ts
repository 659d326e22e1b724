import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConnection } from '../test/connection-harness';
import type { MessageMeta } from './channel';
import type { DecodeError } from './errors';
import { rawJsonProtocol } from './protocol/raw-json';
import { socketboardProtocol } from './protocol/socketboard';
import { utf8ByteLength } from './protocol/utf8';

// Protocol v1 batches (PROTOCOL.md, batches): a server → client text message holding a JSON array of
// frames, each handled exactly as if it had arrived alone.

type Seen = Array<[string, unknown, number | undefined, boolean]>;

function record(seen: Seen) {
  return (data: unknown, meta: MessageMeta) => seen.push([meta.channel, data, meta.seq, meta.replayed]);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('batched frames (protocol v1)', () => {
  it('delivers every msg of a batch in order, to the listeners of each channel', async () => {
    const { connection, socket } = await openConnection();
    const seen: Seen = [];
    connection.subscribe('a', record(seen));
    connection.subscribe('b', record(seen));
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 'a1' },
      { t: 'msg', ch: 'b', seq: 1, d: 'b1' },
      { t: 'msg', ch: 'a', seq: 2, d: { x: 2 } },
    ]);
    expect(seen).toEqual([
      ['a', 'a1', 1, false],
      ['b', 'b1', 1, false],
      ['a', { x: 2 }, 2, false],
    ]);
    expect(connection.channel('a').getState()).toMatchObject({ data: { x: 2 }, seq: 2 });
    expect(connection.channel('b').getState()).toMatchObject({ data: 'b1', seq: 1 });
  });

  it('counts the message bytes once and each frame of the batch as one message', async () => {
    const { connection, socket } = await openConnection();
    connection.subscribe('a', () => {});
    const before = connection.getMetrics();
    const text = JSON.stringify([
      { t: 'msg', ch: 'a', seq: 1, d: 'é' },
      { t: 'msg', ch: 'a', seq: 2, d: 2 },
      { t: 'msg', ch: 'a', seq: 3, d: 3 },
    ]);
    socket.receive(text);
    const after = connection.getMetrics();
    expect(after.messagesIn - before.messagesIn).toBe(3);
    expect(after.bytesIn - before.bytesIn).toBe(utf8ByteLength(text));
  });

  it('drops and reports a malformed frame of a batch on its own while the others go through', async () => {
    const { connection, socket, errors } = await openConnection();
    const seen: Seen = [];
    connection.subscribe('a', record(seen));
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 1 },
      { t: 'msg', ch: 'a', seq: -5, d: 'bad seq' },
      42,
      [{ t: 'msg', ch: 'a', seq: 9, d: 'nested batches are not unpacked' }],
      { t: 'msg', ch: 'a', seq: 2, d: 2 },
    ]);
    expect(seen.map(([, d]) => d)).toEqual([1, 2]);
    expect(connection.getMetrics()).toMatchObject({ decodeErrors: 3 });
    const decodeErrors = errors.filter((e): e is DecodeError => e.name === 'DecodeError');
    expect(decodeErrors.map((e) => [e.reason, e.channel])).toEqual([
      ['batch frame 1: msg.seq must be a non-negative integer', 'a'],
      ['batch frame 2: not an object', undefined],
      ['batch frame 3: not an object', undefined],
    ]);
    expect(decodeErrors[0]?.excerpt).toContain('bad seq');
  });

  it('drops a frame of a batch whose seq the channel already has, like a replay overlap', async () => {
    const { connection, socket } = await openConnection();
    const seen: Seen = [];
    connection.subscribe('a', record(seen));
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 1 },
      { t: 'msg', ch: 'a', seq: 1, d: 'again' },
      { t: 'msg', ch: 'a', seq: 2, d: 2 },
    ]);
    expect(seen.map(([, d]) => d)).toEqual([1, 2]);
    expect(connection.getMetrics().duplicates).toBe(1);
  });

  it('handles replayed msgs, subd, live msgs and acks of one batch in order', async () => {
    const { connection, socket } = await openConnection();
    const seen: Seen = [];
    connection.subscribe('a', record(seen), { since: 0 });
    const acked = connection.publish('a', 'mine', { ack: true });
    const pub = socket.frames.find((f) => f.t === 'pub');
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 'old' },
      { t: 'subd', ch: 'a', seq: 1, resumed: true },
      { t: 'msg', ch: 'a', seq: 2, d: 'mine' },
      { t: 'ack', id: pub!.id },
    ]);
    expect(seen).toEqual([
      ['a', 'old', 1, true],
      ['a', 'mine', 2, false],
    ]);
    expect(connection.channel('a').getState()).toMatchObject({ status: 'subscribed', seq: 2, resumed: true });
    await expect(acked).resolves.toEqual({ id: pub!.id, channel: 'a' });
  });

  it('applies maxMessageBytes to the whole WebSocket message, not to each frame of it', async () => {
    const { connection, socket, errors } = await openConnection({ maxMessageBytes: 100 });
    const seen: Seen = [];
    connection.subscribe('a', record(seen));
    const frames = [1, 2, 3].map((seq) => ({ t: 'msg', ch: 'a', seq, d: 'x'.repeat(20) }));
    expect(JSON.stringify(frames[0]).length).toBeLessThan(100);
    socket.receive(frames);
    expect(seen).toEqual([]);
    expect(connection.getMetrics().decodeErrors).toBe(1);
    expect(errors[0]?.message).toContain('maxMessageBytes');
  });

  it('reports an empty batch as one malformed message', async () => {
    const { connection, socket, errors } = await openConnection();
    socket.receive('[]');
    expect(connection.getMetrics().decodeErrors).toBe(1);
    expect(errors[0]).toMatchObject({ name: 'DecodeError', reason: 'empty batch (a JSON array holding no frame)' });
  });

  it('stops a batch when a listener closes the connection, as later messages would not have arrived', async () => {
    const { connection, socket } = await openConnection();
    const seen: unknown[] = [];
    connection.subscribe('a', (d) => {
      seen.push(d);
      if (d === 'stop') connection.close();
    });
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 'stop' },
      { t: 'msg', ch: 'a', seq: 2, d: 'after close' },
    ]);
    expect(seen).toEqual(['stop']);
    expect(connection.store.getState().status).toBe('closed');
  });

  it('answers the heartbeat with a pong inside a batch', async () => {
    const { connection, socket } = await openConnection({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } });
    await vi.advanceTimersByTimeAsync(1_000);
    const ping = socket.frames.find((f) => f.t === 'ping')!;
    await vi.advanceTimersByTimeAsync(30);
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 1 },
      { t: 'pong', ts: ping.ts },
    ]);
    expect(connection.getMetrics().rttMs).toBe(30);
    await vi.advanceTimersByTimeAsync(600);
    expect(connection.store.getState().status).toBe('open');
  });

  it('goes on with the rest of a batch when a channel store subscriber throws, and reports it', async () => {
    const { connection, socket, errors } = await openConnection();
    const seen: unknown[] = [];
    connection.subscribe('a', (d) => seen.push(d));
    connection.subscribe('b', (d) => seen.push(d));
    connection.channel('a').subscribe(() => {
      throw new Error('render bug');
    });
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 'a1' },
      { t: 'msg', ch: 'b', seq: 1, d: 'b1' },
    ]);
    expect(seen).toEqual(['b1']);
    expect(errors.map((e) => e.code)).toEqual(['listener']);
    expect(errors[0]!.message).toContain('render bug');
  });

  it('unpacks batches for a protocol that wraps the v1 decode', async () => {
    const base = socketboardProtocol();
    const protocol = { ...base, decode: (frame: string | ArrayBuffer) => base.decode(frame) };
    const { connection, socket } = await openConnection({ protocol });
    const seen: unknown[] = [];
    connection.subscribe('a', (d) => seen.push(d));
    socket.receive([
      { t: 'msg', ch: 'a', seq: 1, d: 1 },
      { t: 'msg', ch: 'a', seq: 2, d: 2 },
    ]);
    expect(seen).toEqual([1, 2]);
  });

  it('leaves arrays alone under the raw JSON protocol, where they are app data', async () => {
    const { connection, socket } = await openConnection({ protocol: rawJsonProtocol({ channelOf: () => 'all' }) });
    const seen: unknown[] = [];
    connection.subscribe('all', (d) => seen.push(d));
    socket.receive([{ t: 'msg', ch: 'a', seq: 1, d: 1 }, 2]);
    expect(seen).toEqual([[{ t: 'msg', ch: 'a', seq: 1, d: 1 }, 2]]);
    expect(connection.getMetrics().messagesIn).toBe(1);
  });
});

// Any inbound frame stream, cut into batches anywhere, must leave the same trace as frame by frame.
const channelName = fc.constantFrom('a', 'b', 'c');
const frame = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('msg'), ch: channelName, seq: fc.nat(20), d: fc.jsonValue() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('subd'), ch: channelName, seq: fc.nat(20), resumed: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('msg'), ch: channelName, seq: fc.integer({ min: -3, max: -1 }) }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(7, null, 'text', { t: 'nope' }, { t: 'err', code: 5 }) },
);

async function trace(messages: unknown[][], asBatches: boolean) {
  const { connection, socket, errors } = await openConnection();
  const seen: Seen = [];
  for (const ch of ['a', 'b', 'c']) connection.subscribe(ch, record(seen));
  for (const group of messages) {
    // Stringified here: FakeSocket.receive would pass a string frame through unencoded.
    if (asBatches) socket.receive(JSON.stringify(group.length === 1 ? group[0] : group));
    else for (const f of group) socket.receive(JSON.stringify(f));
  }
  const { messagesIn, decodeErrors, duplicates } = connection.getMetrics();
  const channels = ['a', 'b', 'c'].map((ch) => connection.channel(ch).getState());
  const reasons = errors.map((e) => (e as DecodeError).reason?.replace(/^batch frame \d+: /, ''));
  connection.close();
  return { seen, messagesIn, decodeErrors, duplicates, channels, reasons };
}

describe('batched frames, property', () => {
  it('a batch leaves the same deliveries, channel states, counts and errors as its frames sent one by one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(frame, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), async (groups) => {
        const batched = await trace(groups, true);
        const single = await trace(groups, false);
        expect(batched).toEqual(single);
      }),
      { numRuns: 150 },
    );
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker, BrokerMessage } from './broker';
import { SocketServerConfigError } from './errors';
import { createMemoryBroker } from './memory-broker';
import type { MemoryBrokerOptions } from './memory-broker';

const brokers: Broker[] = [];
afterEach(async () => {
  for (const broker of brokers.splice(0)) await broker.close();
});

function make(options?: MemoryBrokerOptions): Broker {
  const broker = createMemoryBroker(options);
  brokers.push(broker);
  return broker;
}

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createMemoryBroker: seq and fan-out', () => {
  it('numbers messages per channel from 1, strictly increasing', async () => {
    const broker = make();
    const seqs = [];
    for (const ch of ['a', 'a', 'b', 'a', 'b']) seqs.push((await broker.publish(ch, '0')).seq);
    expect(seqs).toEqual([1, 2, 1, 3, 2]);
  });

  it('delivers to every subscriber of the channel, in seq order, until unsubscribed', async () => {
    const broker = make();
    const one: number[] = [];
    const two: number[] = [];
    const offOne = await broker.subscribe('a', (m) => one.push(m.seq));
    await broker.subscribe('a', (m) => two.push(m.seq));
    await broker.subscribe('b', () => two.push(-1));
    await broker.publish('a', '1');
    await broker.publish('a', '2');
    await offOne();
    await broker.publish('a', '3');
    expect(one).toEqual([1, 2]);
    expect(two).toEqual([1, 2, 3]);
  });

  it('keeps seq order for every listener when a listener publishes while being delivered to', async () => {
    const broker = make();
    const first: number[] = [];
    const second: number[] = [];
    await broker.subscribe('a', (m) => {
      first.push(m.seq);
      if (m.seq === 1) void broker.publish('a', '2');
    });
    await broker.subscribe('a', (m) => second.push(m.seq));
    await broker.publish('a', '1');
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });

  it('goes on delivering to the others when a listener throws', async () => {
    const broker = make();
    const got: number[] = [];
    await broker.subscribe('a', () => {
      throw new Error('bad listener');
    });
    await broker.subscribe('a', (m) => got.push(m.seq));
    await broker.publish('a', '1');
    expect(got).toEqual([1]);
  });
});

describe('createMemoryBroker: replay', () => {
  it('replays what came after since and reports the current seq', async () => {
    const broker = make();
    for (let i = 1; i <= 5; i++) await broker.publish('a', String(i));
    const replay = await broker.replay('a', 2);
    expect(replay.seq).toBe(5);
    expect(replay.complete).toBe(true);
    expect(replay.messages.map((m) => [m.seq, m.payload])).toEqual([
      [3, '3'],
      [4, '4'],
      [5, '5'],
    ]);
  });

  it('replays nothing without since, and nothing but completeness when since is current', async () => {
    const broker = make();
    await broker.publish('a', '1');
    expect(await broker.replay('a', undefined)).toEqual({ seq: 1, messages: [], complete: true });
    expect(await broker.replay('a', 1)).toEqual({ seq: 1, messages: [], complete: true });
    expect(await broker.replay('never', undefined)).toEqual({ seq: 0, messages: [], complete: true });
  });

  it('is incomplete when the buffer no longer reaches back to since, but replays what it holds', async () => {
    const broker = make({ replay: { perChannel: 3 } });
    for (let i = 1; i <= 6; i++) await broker.publish('a', String(i));
    const replay = await broker.replay('a', 1);
    expect(replay.complete).toBe(false);
    expect(replay.messages.map((m) => m.seq)).toEqual([4, 5, 6]);
    expect((await broker.replay('a', 3)).complete).toBe(true);
  });

  it('is incomplete when since is above the current seq: the broker lost the state the client saw', async () => {
    const broker = make();
    await broker.publish('a', '1');
    expect(await broker.replay('a', 7)).toEqual({ seq: 1, messages: [], complete: false });
    expect(await broker.replay('fresh', 3)).toEqual({ seq: 0, messages: [], complete: false });
  });

  it('stops replaying messages older than ttlMs', async () => {
    const time = clock();
    const broker = make({ replay: { ttlMs: 1_000 }, now: time.now });
    await broker.publish('a', '1');
    time.advance(600);
    await broker.publish('a', '2');
    time.advance(600);
    const replay = await broker.replay('a', 0);
    expect(replay.messages.map((m) => m.seq)).toEqual([2]);
    expect(replay.complete).toBe(false);
  });

  it('keeps no messages with perChannel 0, yet keeps counting', async () => {
    const broker = make({ replay: { perChannel: 0 } });
    await broker.publish('a', '1');
    await broker.publish('a', '2');
    expect(await broker.replay('a', 1)).toEqual({ seq: 2, messages: [], complete: false });
  });

  it('replays exactly the held suffix after any since (model check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(45),
        async (cap, count, since) => {
          const broker = createMemoryBroker({ replay: { perChannel: cap } });
          for (let i = 1; i <= count; i++) await broker.publish('a', String(i));
          const replay = await broker.replay('a', since);
          await broker.close();
          const oldest = Math.max(1, count - cap + 1);
          const expected: number[] = [];
          if (since < count) for (let s = Math.max(since + 1, oldest); s <= count; s++) expected.push(s);
          expect(replay.seq).toBe(count);
          expect(replay.messages.map((m: BrokerMessage) => m.seq)).toEqual(expected);
          expect(replay.complete).toBe(since === count || (since < count && oldest <= since + 1));
        },
      ),
    );
  });
});

describe('createMemoryBroker: sessions and dedupe', () => {
  it('issues a new unguessable session, resumes it while alive, and issues another for an unknown id', async () => {
    const broker = make();
    const first = await broker.openSession(undefined);
    expect(first.resumed).toBe(false);
    expect(first.sid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await broker.openSession(first.sid)).toEqual({ sid: first.sid, resumed: true });
    const other = await broker.openSession('made-up');
    expect(other.resumed).toBe(false);
    expect(other.sid).not.toBe('made-up');
  });

  it('expires a session ttlMs after the last connection released it, not while one holds it', async () => {
    const time = clock();
    const broker = make({ sessions: { ttlMs: 1_000 }, now: time.now });
    const { sid } = await broker.openSession(undefined);
    time.advance(5_000);
    expect((await broker.openSession(sid)).resumed).toBe(true); // held: never expires
    await broker.releaseSession(sid);
    await broker.releaseSession(sid);
    time.advance(999);
    expect((await broker.openSession(sid)).resumed).toBe(true);
    await broker.releaseSession(sid);
    time.advance(1_000);
    expect((await broker.openSession(sid)).resumed).toBe(false);
  });

  it('claims an id once: a resend after acceptance is reported accepted', async () => {
    const broker = make();
    const { sid } = await broker.openSession(undefined);
    expect(await broker.claim(sid, 'x')).toBe('new');
    await broker.settle(sid, 'x', true);
    expect(await broker.claim(sid, 'x')).toBe('accepted');
    // Ids are per session.
    const other = await broker.openSession(undefined);
    expect(await broker.claim(other.sid, 'x')).toBe('new');
  });

  it('forgets a refused id, so a resend is judged again', async () => {
    const broker = make();
    const { sid } = await broker.openSession(undefined);
    await broker.claim(sid, 'x');
    await broker.settle(sid, 'x', false);
    expect(await broker.claim(sid, 'x')).toBe('new');
  });

  it('makes a resend racing the original wait for it, then ack it without a second delivery', async () => {
    const broker = make();
    const { sid } = await broker.openSession(undefined);
    expect(await broker.claim(sid, 'x')).toBe('new');
    let second: string | undefined;
    const racing = broker.claim(sid, 'x').then((r) => (second = r));
    await Promise.resolve();
    expect(second).toBeUndefined();
    await broker.settle(sid, 'x', true);
    await racing;
    expect(second).toBe('accepted');
  });

  it('hands the claim to a waiting resend when the original was refused', async () => {
    const broker = make();
    const { sid } = await broker.openSession(undefined);
    await broker.claim(sid, 'x');
    const racing = broker.claim(sid, 'x');
    await broker.settle(sid, 'x', false);
    expect(await racing).toBe('new');
  });

  it('remembers at most dedupeWindow accepted ids, forgetting the oldest first', async () => {
    const broker = make({ sessions: { dedupeWindow: 2 } });
    const { sid } = await broker.openSession(undefined);
    for (const id of ['a', 'b', 'c']) {
      await broker.claim(sid, id);
      await broker.settle(sid, id, true);
    }
    expect(await broker.claim(sid, 'c')).toBe('accepted');
    expect(await broker.claim(sid, 'b')).toBe('accepted');
    expect(await broker.claim(sid, 'a')).toBe('new');
  });

  it('claims new in a session it does not know: dedupe is best effort within the TTL', async () => {
    const broker = make();
    expect(await broker.claim('gone', 'x')).toBe('new');
    await broker.settle('gone', 'x', true);
    expect(await broker.claim('gone', 'x')).toBe('new');
  });

  it('bounds the number of sessions by forgetting the longest idle released one', async () => {
    const broker = make({ sessions: { max: 2 } });
    const a = await broker.openSession(undefined);
    const b = await broker.openSession(undefined);
    await broker.releaseSession(a.sid);
    await broker.openSession(undefined);
    expect((await broker.openSession(a.sid)).resumed).toBe(false);
    expect((await broker.openSession(b.sid)).resumed).toBe(true);
  });
});

describe('createMemoryBroker: options and close', () => {
  it.each([
    [{ replay: { perChannel: -1 } }, 'replay.perChannel'],
    [{ replay: { ttlMs: 0 } }, 'replay.ttlMs'],
    [{ sessions: { ttlMs: -5 } }, 'sessions.ttlMs'],
    [{ sessions: { dedupeWindow: 0 } }, 'sessions.dedupeWindow'],
    [{ sessions: { max: 1.5 } }, 'sessions.max'],
  ])('rejects %j naming %s', (options, option) => {
    expect(() => createMemoryBroker(options as MemoryBrokerOptions)).toThrow(SocketServerConfigError);
    expect(() => createMemoryBroker(options as MemoryBrokerOptions)).toThrow(option);
  });

  it('refuses to publish after close', async () => {
    const broker = createMemoryBroker();
    await broker.close();
    await expect(broker.publish('a', '1')).rejects.toMatchObject({ code: 'closed' });
  });
});

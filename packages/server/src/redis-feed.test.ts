import { describe, expect, it } from 'vitest';
import type { BrokerMessage } from './broker';
import { ChannelFeed } from './redis-feed';
import type { FeedSource } from './redis-feed';

interface PendingRead {
  readonly after: number;
  resolve(result: { seq: number; messages: BrokerMessage[] }): void;
  reject(error: Error): void;
}

const msg = (seq: number): BrokerMessage => ({ channel: 'c', seq, payload: String(seq) });
const range = (from: number, to: number): BrokerMessage[] =>
  Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A feed over a log whose reads the test answers by hand, recording what its listener saw. */
function setup() {
  const reads: PendingRead[] = [];
  const source: FeedSource = {
    read: (_channel, after) => new Promise((resolve, reject) => reads.push({ after, resolve, reject })),
  };
  const counts = { filled: 0, interrupted: 0, failed: 0 };
  const feed = new ChannelFeed('c', source, {
    filled: (n) => (counts.filled += n),
    interrupted: () => (counts.interrupted += 1),
    failed: () => (counts.failed += 1),
  });
  const seen: number[] = [];
  let interruptions = 0;
  feed.add(
    (message) => seen.push(message.seq),
    () => (interruptions += 1),
  );
  return {
    feed,
    reads,
    counts,
    seen,
    get interruptions() {
      return interruptions;
    },
  };
}

describe('ChannelFeed', () => {
  it('delivers consecutive messages as they arrive and drops what is at or below the last seq', () => {
    const f = setup();
    f.feed.start(3);
    for (const seq of [2, 3, 4, 5, 5, 6]) f.feed.receive(msg(seq));
    expect(f.seen).toEqual([4, 5, 6]);
    expect(f.reads).toHaveLength(0);
  });

  it('holds messages while starting and delivers only those after the start seq', () => {
    const f = setup();
    for (const seq of [4, 5, 6]) f.feed.receive(msg(seq));
    expect(f.seen).toEqual([]);
    f.feed.start(5);
    expect(f.seen).toEqual([6]);
  });

  it('fills a gap from the log, holding what arrives meanwhile, and delivers all in seq order', async () => {
    const f = setup();
    f.feed.start(0);
    f.feed.receive(msg(1));
    f.feed.receive(msg(4)); // 2 and 3 were skipped
    f.feed.receive(msg(5));
    expect(f.seen).toEqual([1]);
    expect(f.reads.map((r) => r.after)).toEqual([1]);
    f.reads[0]!.resolve({ seq: 5, messages: range(2, 5) });
    f.feed.receive(msg(6)); // arrives while the read's answer is on its way
    await flush();
    f.feed.receive(msg(7));
    expect(f.seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(f.counts).toEqual({ filled: 4, interrupted: 0, failed: 0 });
  });

  it('interrupts the listeners when the log no longer holds the gap, then goes on after it', async () => {
    const f = setup();
    f.feed.start(0);
    f.feed.receive(msg(1));
    f.feed.receive(msg(9));
    f.reads[0]!.resolve({ seq: 9, messages: range(6, 9) }); // 2..5 were trimmed
    await flush();
    expect(f.interruptions).toBe(1);
    expect(f.seen).toEqual([1, 6, 7, 8, 9]);
    f.feed.receive(msg(10));
    expect(f.seen.at(-1)).toBe(10);
  });

  it('drops live messages while suspended and reads them from the log on resync', async () => {
    const f = setup();
    f.feed.start(0);
    f.feed.receive(msg(1));
    f.feed.suspend();
    f.feed.receive(msg(2)); // the link is down: not trusted, the log has it
    expect(f.feed.stale).toBe(true);
    const resynced = f.feed.resync(false);
    expect(f.reads.map((r) => r.after)).toEqual([1]);
    f.feed.receive(msg(4));
    f.reads[0]!.resolve({ seq: 3, messages: range(2, 3) });
    await resynced;
    expect(f.seen).toEqual([1, 2, 3, 4]);
    expect(f.interruptions).toBe(0);
    expect(f.feed.stale).toBe(false);
  });

  it('ignores the answer of a read that started before a suspension', async () => {
    const f = setup();
    f.feed.start(0);
    f.feed.receive(msg(3));
    f.feed.suspend();
    f.reads[0]!.resolve({ seq: 3, messages: range(1, 3) });
    await flush();
    expect(f.seen).toEqual([]);
    const resynced = f.feed.resync(false);
    f.reads[1]!.resolve({ seq: 3, messages: range(1, 3) });
    await resynced;
    expect(f.seen).toEqual([1, 2, 3]);
  });

  it('interrupts and follows the new numbering when the store lost its state', async () => {
    const f = setup();
    f.feed.start(0);
    for (const seq of [1, 2, 3]) f.feed.receive(msg(seq));
    f.feed.suspend();
    const resynced = f.feed.resync(true);
    expect(f.interruptions).toBe(1);
    f.reads[0]!.resolve({ seq: 1, messages: [] });
    await resynced;
    f.feed.receive(msg(2));
    expect(f.seen).toEqual([1, 2, 3, 2]);
  });

  it('interrupts when a read finds the counter below what was delivered', async () => {
    const f = setup();
    f.feed.start(5);
    f.feed.receive(msg(6));
    f.feed.suspend();
    const resynced = f.feed.resync(false);
    f.reads[0]!.resolve({ seq: 2, messages: [] });
    await resynced;
    expect(f.interruptions).toBe(1);
    f.feed.receive(msg(3));
    expect(f.seen).toEqual([6, 3]);
  });

  it('suspends and reports a failed read, and recovers on the next resync', async () => {
    const f = setup();
    f.feed.start(0);
    f.feed.receive(msg(2));
    f.reads[0]!.reject(new Error('down'));
    await flush();
    expect(f.counts.failed).toBe(1);
    expect(f.feed.stale).toBe(true);
    const resynced = f.feed.resync(false);
    f.reads[1]!.resolve({ seq: 2, messages: range(1, 2) });
    await resynced;
    expect(f.seen).toEqual([1, 2]);
  });

  it('reads the log once started when the link dropped while it was starting', async () => {
    const f = setup();
    f.feed.suspend();
    f.feed.start(4);
    expect(f.reads.map((r) => r.after)).toEqual([4]);
    f.reads[0]!.resolve({ seq: 6, messages: range(5, 6) });
    await flush();
    expect(f.seen).toEqual([5, 6]);
  });
});

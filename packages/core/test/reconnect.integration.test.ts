import { describe, expect, it } from 'vitest';
import type { Connection } from '../src/connection';
import { FAST_RECONNECT, framesOf, createHarness } from './integration-harness';
import { createTestServer, waitFor } from './test-server';
import type { TestServer } from './test-server';

const h = createHarness();

/** Subscribes `channel` and records the seq of every message the listener gets. */
async function follow(connection: Connection, channel: string): Promise<number[]> {
  const seqs: number[] = [];
  connection.subscribe(channel, (_data, meta) => seqs.push(meta.seq!));
  connection.connect();
  await waitFor(() => connection.channel(channel).getState().status === 'subscribed', 5_000, `${channel} subscribed`);
  return seqs;
}

function publishMany(server: TestServer, channel: string, count: number): void {
  for (let n = 0; n < count; n += 1) server.publish(channel, { n });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('server restart', () => {
  it('reconnects, resubscribes with since = last seq, and replays what was published meanwhile exactly once, in order', async () => {
    const server = await h.server();
    const { connection } = h.connection({ url: server.url });
    const seqs = await follow(connection, 'feed');
    publishMany(server, 'feed', 3);
    await waitFor(() => seqs.length === 3, 5_000, 'live messages');
    const sid = connection.store.getState().sessionId;

    await server.stop();
    await waitFor(() => connection.store.getState().status === 'reconnecting', 5_000, 'reconnecting');
    // stop() keeps the server's state, like a restart with a persistent store.
    publishMany(server, 'feed', 4);
    const mark = server.received.length;
    await server.start();

    await waitFor(() => seqs.length === 7, 5_000, 'replay');
    expect(seqs).toEqual(range(1, 7));
    expect(framesOf(server, 'sub', mark)).toEqual([{ t: 'sub', ch: 'feed', since: 3 }]);
    expect(framesOf(server, 'hello', mark)).toEqual([{ t: 'hello', sid }]);
    await waitFor(() => connection.channel('feed').getState().status === 'subscribed', 5_000, 'resubscribed');
    expect(connection.channel('feed').getState()).toMatchObject({ seq: 7, resumed: true });

    publishMany(server, 'feed', 1);
    await waitFor(() => seqs.length === 8, 5_000, 'live again');
    expect(seqs).toEqual(range(1, 8));
    expect(connection.getMetrics().duplicates).toBe(0);
  });

  it('shows resumed: false and follows the seq down when the server came back without its state', async () => {
    const first = await h.server();
    const { port } = first;
    const { connection } = h.connection({ url: first.url });
    const seqs = await follow(connection, 'feed');
    publishMany(first, 'feed', 3);
    await waitFor(() => seqs.length === 3, 5_000, 'live messages');

    await first.close();
    const fresh = await createTestServer({ port });
    h.defer(() => fresh.close());

    await waitFor(() => framesOf(fresh, 'sub').length === 1, 5_000, 'resubscribed');
    expect(framesOf(fresh, 'sub')).toEqual([{ t: 'sub', ch: 'feed', since: 3 }]);
    await waitFor(() => connection.channel('feed').getState().resumed === false, 5_000, 'resumed: false');
    expect(connection.channel('feed').getState().seq).toBe(0);

    // The new server counts from 1 again: those are new messages, not replay duplicates.
    publishMany(fresh, 'feed', 2);
    await waitFor(() => seqs.length === 5, 5_000, 'new messages');
    expect(seqs).toEqual([1, 2, 3, 1, 2]);
    expect(connection.getMetrics().duplicates).toBe(0);
  });
});

describe('through the fault proxy', () => {
  it('after cut() reconnects, resumes the session and replays what the cut lost', async () => {
    const server = await h.server();
    const proxy = await h.proxy({ targetPort: server.port });
    const { connection } = h.connection({ url: proxy.url });
    const seqs = await follow(connection, 'feed');
    publishMany(server, 'feed', 2);
    await waitFor(() => seqs.length === 2, 5_000, 'live messages');
    const sid = connection.store.getState().sessionId;

    proxy.cut();
    // Published before the server noticed the reset: written to a dead socket, lost to the client.
    publishMany(server, 'feed', 3);

    await waitFor(() => seqs.length === 5, 5_000, 'replay');
    expect(seqs).toEqual(range(1, 5));
    expect(server.totalConnections).toBe(2);
    expect(connection.store.getState()).toMatchObject({ status: 'open', sessionId: sid });
    expect(connection.store.getState().lastClose).toMatchObject({ code: 1006, wasClean: false });
  });

  it('keeps retrying with backoff while connections are refused, and connects once they are accepted', async () => {
    const server = await h.server();
    const proxy = await h.proxy({ targetPort: server.port });
    const { connection } = h.connection({ url: proxy.url });
    connection.connect();
    await waitFor(() => connection.store.getState().status === 'open', 5_000, 'open');

    // Every retry delay, checked against its backoff ceiling when it is chosen.
    const delays: Array<{ attempt: number; delay: number; ceiling: number }> = [];
    connection.store.subscribe((state, previous) => {
      if (state.nextRetryAt === undefined || state.attempt === previous.attempt) return;
      const { initialDelayMs, factor, maxDelayMs } = FAST_RECONNECT;
      const ceiling = Math.min(maxDelayMs, initialDelayMs * factor ** (state.attempt - 1));
      delays.push({ attempt: state.attempt, delay: state.nextRetryAt - Date.now(), ceiling });
    });

    proxy.refuse();
    proxy.cut();
    await waitFor(() => proxy.refused >= 4, 5_000, 'four refused attempts');

    expect(connection.store.getState().status).toBe('reconnecting');
    expect(server.totalConnections).toBe(1);
    expect(delays.map((d) => d.attempt)).toEqual(range(1, delays.length));
    expect(delays.length).toBeGreaterThanOrEqual(4);
    for (const { delay, ceiling } of delays) expect(delay).toBeLessThan(ceiling);

    proxy.refuse(false);
    await waitFor(() => connection.store.getState().status === 'open', 5_000, 'open again');
    expect(server.totalConnections).toBe(2);
  });
});

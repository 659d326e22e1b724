import { describe, expect, it } from 'vitest';
import type { Ack } from '../src/connection';
import { framesOf, createHarness } from './integration-harness';
import { waitFor } from './test-server';

const h = createHarness();

describe('the outbound queue after a reconnect', () => {
  it('sends auth, hello, resubscriptions, the unacked publish, then what was queued while down, in order', async () => {
    const server = await h.server();
    server.options.requireAuth = (token) => token === 'secret';
    const { connection } = h.connection({ url: server.url, auth: () => 'secret' });
    connection.subscribe('feed', () => {});
    connection.connect();
    await waitFor(() => connection.channel('feed').getState().status === 'subscribed', 5_000, 'subscribed');
    server.publish('feed', 'seen');
    await waitFor(() => connection.channel('feed').getState().seq === 1, 5_000, 'message');
    const sid = connection.store.getState().sessionId;

    // Delivered but never acked before the server goes away: resent after the reconnect.
    server.options.ack = false;
    const inFlight = connection.publish('orders', 'in flight', { ack: true, timeoutMs: 8_000 });
    await waitFor(() => server.delivered.length === 1, 5_000, 'in-flight publish delivered');

    await server.stop();
    await waitFor(() => connection.store.getState().status === 'reconnecting', 5_000, 'reconnecting');
    const results = [connection.publish('chat', 'a'), connection.publish('chat', 'b'), connection.publish('chat', 'c')];
    const queuedAck = connection.publish('chat', 'd', { ack: true, timeoutMs: 8_000 });
    expect(results).toEqual(['queued', 'queued', 'queued']);
    expect(connection.inspect().queued).toBe(4);

    const mark = server.received.length;
    server.options.ack = true;
    await server.start();
    const [first, second] = await Promise.all([inFlight, queuedAck]);

    expect(server.received.slice(mark)).toEqual([
      { t: 'auth', token: 'secret' },
      { t: 'hello', sid },
      { t: 'sub', ch: 'feed', since: 1 },
      { t: 'pub', ch: 'orders', d: 'in flight', id: first.id },
      { t: 'pub', ch: 'chat', d: 'a' },
      { t: 'pub', ch: 'chat', d: 'b' },
      { t: 'pub', ch: 'chat', d: 'c' },
      { t: 'pub', ch: 'chat', d: 'd', id: second.id },
    ]);
    // The resent publish was a duplicate in the resumed session: acked again, delivered once.
    expect(server.delivered).toEqual([
      { ch: 'orders', d: 'in flight', id: first.id },
      { ch: 'chat', d: 'a' },
      { ch: 'chat', d: 'b' },
      { ch: 'chat', d: 'c' },
      { ch: 'chat', d: 'd', id: second.id },
    ]);
    expect(connection.inspect()).toMatchObject({ queued: 0, inFlight: 0 });
  });
});

describe('an acked publish cut mid-flight', () => {
  /** Publishes with an ack and counts how many times the promise settles. */
  function trackedPublish(publish: () => Promise<Ack>) {
    const settled: Array<Ack | Error> = [];
    const promise = publish().then(
      (ack) => void settled.push(ack),
      (error: Error) => void settled.push(error),
    );
    return { settled, promise };
  }

  it('is resent with the same id and delivered once when the frame was lost before reaching the server', async () => {
    const server = await h.server();
    const proxy = await h.proxy({ targetPort: server.port });
    const { connection } = h.connection({ url: proxy.url });
    connection.connect();
    await waitFor(() => connection.store.getState().sessionId !== undefined, 5_000, 'welcome');

    proxy.stall();
    const dropped = proxy.droppedBytes;
    const { settled, promise } = trackedPublish(() =>
      connection.publish('orders', { n: 1 }, { ack: true, timeoutMs: 8_000 }),
    );
    await waitFor(() => proxy.droppedBytes > dropped, 5_000, 'the publish fell into the black hole');
    expect(framesOf(server, 'pub')).toEqual([]);

    proxy.cut();
    proxy.resume();
    await promise;

    const [pub] = framesOf(server, 'pub');
    expect(framesOf(server, 'pub')).toEqual([{ t: 'pub', ch: 'orders', d: { n: 1 }, id: pub!.id }]);
    expect(server.delivered).toEqual([{ ch: 'orders', d: { n: 1 }, id: pub!.id }]);
    expect(settled).toEqual([{ id: pub!.id, channel: 'orders' }]);
    expect(server.totalConnections).toBe(2);
    expect(connection.inspect().inFlight).toBe(0);
  });

  it('is resent with the same id, deduped by the server and resolved once when the ack was lost', async () => {
    const server = await h.server();
    const proxy = await h.proxy({ targetPort: server.port });
    const { connection } = h.connection({ url: proxy.url });
    connection.connect();
    await waitFor(() => connection.store.getState().sessionId !== undefined, 5_000, 'welcome');

    // Asked for every new publish just before the server accepts and acks it: the black hole opens
    // after the server got the frame and before its ack is written, so the ack is what gets lost.
    server.options.nack = () => {
      proxy.stall();
      return undefined;
    };
    const { settled, promise } = trackedPublish(() =>
      connection.publish('orders', { n: 1 }, { ack: true, timeoutMs: 8_000 }),
    );
    await waitFor(() => server.delivered.length === 1 && proxy.droppedBytes > 0, 5_000, 'ack lost');
    expect(settled).toEqual([]);

    server.options.nack = undefined;
    proxy.cut();
    proxy.resume();
    await promise;

    const pubs = framesOf(server, 'pub');
    const id = pubs[0]!.id;
    expect(pubs).toEqual([
      { t: 'pub', ch: 'orders', d: { n: 1 }, id },
      { t: 'pub', ch: 'orders', d: { n: 1 }, id },
    ]);
    expect(server.delivered).toEqual([{ ch: 'orders', d: { n: 1 }, id }]);
    expect(settled).toEqual([{ id, channel: 'orders' }]);
    expect(connection.inspect().inFlight).toBe(0);
  });
});

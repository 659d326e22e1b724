import { describe, expect, it } from 'vitest';
import type { Connection } from '../src/connection';
import { framesOf, killableTimers, memoryStorage, createHarness } from './integration-harness';
import { waitFor } from './test-server';
import { createStoragePersistence } from '../src/queue-storage';

const h = createHarness();
const KEY = 'socketboard:queue';

/**
 * The page goes away without close(): between two attempts (no socket that could still reach the
 * server once it is back), its timers stop for good, so it never tries again.
 */
async function pageDies(connection: Connection, timers: ReturnType<typeof killableTimers>): Promise<void> {
  await waitFor(
    () => connection.store.getState().attempt >= 1 && !connection.inspect().socket,
    5_000,
    'the first page waits between attempts',
  );
  timers.kill();
}

describe('queue persistence across a page reload', () => {
  it('persists publishes made while the server is unreachable, and a new connection on the same storage sends them in order with their ack ids', async () => {
    const server = await h.server();
    const { url } = server;
    await server.stop();
    const storage = memoryStorage();

    // The first page: connects to a server that is down, publishes, then dies without close().
    const pageTimers = killableTimers();
    const first = h.connection({ url, timers: pageTimers, queue: { persist: createStoragePersistence(storage) } });
    first.connection.connect();
    expect(first.connection.publish('chat', 'one')).toBe('queued');
    expect(first.connection.publish('chat', 'two')).toBe('queued');
    void first.connection.publish('chat', 'three', { ack: true, timeoutMs: 60_000 }).catch(() => {});
    await waitFor(() => ['one', 'two', 'three'].every((d) => storage.items.get(KEY)?.includes(d)), 5_000, 'persisted');
    await pageDies(first.connection, pageTimers);
    const persisted = storage.items.get(KEY)!;

    // The reloaded page: same storage, a fresh connection.
    await server.start();
    const second = h.connection({ url, queue: { persist: createStoragePersistence(storage) } });
    second.connection.connect();
    await waitFor(() => server.delivered.length === 3, 5_000, 'restored publishes delivered');

    const [one, two, three] = framesOf(server, 'pub');
    expect([one, two]).toEqual([
      { t: 'pub', ch: 'chat', d: 'one' },
      { t: 'pub', ch: 'chat', d: 'two' },
    ]);
    // The acked publish keeps the id the first page gave it, so a server can tell a resend.
    expect(typeof three?.id).toBe('string');
    expect(three).toEqual({ t: 'pub', ch: 'chat', d: 'three', id: three!.id });
    expect(persisted).toContain(JSON.stringify(three!.id));
    expect(server.delivered.map((p) => p.d)).toEqual(['one', 'two', 'three']);
    expect(server.totalConnections).toBe(1); // only the reloaded page ever reached the server
    // Sent, so nothing is left to restore on the next reload.
    await waitFor(() => !storage.items.has(KEY), 5_000, 'storage emptied');
    expect(second.connection.inspect().queued).toBe(0);
  });

  it('sends restored frames before publishes made by the new page', async () => {
    const server = await h.server();
    const storage = memoryStorage();
    const pageTimers = killableTimers();
    await server.stop();
    const first = h.connection({
      url: server.url,
      timers: pageTimers,
      queue: { persist: createStoragePersistence(storage) },
    });
    first.connection.connect();
    first.connection.publish('chat', 'old');
    await waitFor(() => storage.items.get(KEY)?.includes('old') === true, 5_000, 'persisted');
    await pageDies(first.connection, pageTimers);

    await server.start();
    const second = h.connection({ url: server.url, queue: { persist: createStoragePersistence(storage) } });
    second.connection.connect();
    second.connection.publish('chat', 'new');
    await waitFor(() => server.delivered.length === 2, 5_000, 'both delivered');

    expect(server.delivered).toEqual([
      { ch: 'chat', d: 'old' },
      { ch: 'chat', d: 'new' },
    ]);
  });

  it('keeps a sent but unacked publish and the session across a reload, so the server acks the resend without delivering it twice', async () => {
    const server = await h.server();
    server.options.ack = false; // the ack is "lost": the page dies before it arrives
    const storage = memoryStorage();
    const pageTimers = killableTimers();
    const first = h.connection({
      url: server.url,
      timers: pageTimers,
      queue: { persist: createStoragePersistence(storage) },
    });
    first.connection.connect();
    await waitFor(() => first.connection.store.getState().sessionId !== undefined, 5_000, 'welcome');
    const sessionId = first.connection.store.getState().sessionId!;
    void first.connection.publish('chat', 'once', { ack: true, timeoutMs: 60_000 }).catch(() => {});
    await waitFor(() => server.delivered.length === 1, 5_000, 'delivered to the server');
    await waitFor(() => storage.items.get(KEY)?.includes(sessionId) === true, 5_000, 'persisted with the session');
    pageTimers.kill();
    server.terminateAll();

    server.options.ack = true;
    const second = h.connection({ url: server.url, queue: { persist: createStoragePersistence(storage) } });
    const acked: string[] = [];
    second.connection.on('error', (e) => acked.push(e.code));
    second.connection.connect();
    await waitFor(() => framesOf(server, 'pub').length === 2, 5_000, 'resent by the reloaded page');
    await waitFor(() => !storage.items.has(KEY), 5_000, 'acked, so storage emptied');

    const [original, resent] = framesOf(server, 'pub');
    expect(resent).toEqual(original);
    expect(framesOf(server, 'hello').at(-1)).toEqual({ t: 'hello', sid: sessionId });
    expect(server.delivered.map((p) => p.d)).toEqual(['once']);
    expect(second.connection.inspect().inFlight).toBe(0);
    expect(acked).toEqual([]);
  });
});

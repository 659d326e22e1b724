import { describe, expect, it } from 'vitest';
import { createSocketServer } from '@socketboard/server';
import type { SocketServerOptions } from '@socketboard/server';
import type { MessageMeta } from '../src/channel';
import { createHarness } from './integration-harness';
import { waitFor } from './test-server';

const h = createHarness();

/** The real `@socketboard/server` (memory broker) on 127.0.0.1, closed after the test. */
async function startServer(options: SocketServerOptions = {}) {
  const server = createSocketServer({ host: '127.0.0.1', port: 0, ...options });
  h.defer(() => server.close({ drainMs: 0 }));
  const { port } = await server.ready;
  return { server, url: `ws://127.0.0.1:${port}` };
}

type Seen = { load: number; seq: number | undefined; replayed: boolean };

describe('backfill with since against @socketboard/server', () => {
  it('gives a subscriber arriving late the messages published before it subscribed, in order, once, then live ones', async () => {
    const { server, url } = await startServer();
    for (let i = 1; i <= 5; i++) await server.publish('cpu', { load: i });

    const { connection, errors } = h.connection<{ cpu: { load: number } }>({ url });
    connection.connect();
    await waitFor(() => connection.store.getState().sessionId !== undefined, 5_000, 'welcome');

    const seen: Seen[] = [];
    connection.subscribe('cpu', (data, meta: MessageMeta) => seen.push({ load: data.load, ...pick(meta) }), {
      since: 0,
      history: 10,
    });
    await waitFor(() => connection.channel('cpu').getState().status === 'subscribed', 5_000, 'subd');
    await server.publish('cpu', { load: 6 });
    await waitFor(() => seen.length === 6, 5_000, 'six messages');

    expect(seen).toEqual([
      { load: 1, seq: 1, replayed: true },
      { load: 2, seq: 2, replayed: true },
      { load: 3, seq: 3, replayed: true },
      { load: 4, seq: 4, replayed: true },
      { load: 5, seq: 5, replayed: true },
      { load: 6, seq: 6, replayed: false },
    ]);
    expect(connection.channel('cpu').getState()).toMatchObject({
      data: { load: 6 },
      seq: 6,
      history: [1, 2, 3, 4, 5, 6].map((load) => ({ load })),
      resumed: true,
      count: 6,
    });
    expect(connection.getMetrics().duplicates).toBe(0);
    expect(errors).toEqual([]);
  });

  it('gets what the replay buffer still holds when it no longer reaches back, as a subscription, not an error', async () => {
    const { server, url } = await startServer({ replay: { perChannel: 3 } });
    for (let i = 1; i <= 5; i++) await server.publish('cpu', { load: i });

    const { connection, errors } = h.connection<{ cpu: { load: number } }>({ url });
    connection.connect();
    const seen: number[] = [];
    connection.subscribe('cpu', (data) => seen.push(data.load), { since: 0, history: 10 });
    await waitFor(() => connection.channel('cpu').getState().status === 'subscribed', 5_000, 'subd');

    expect(seen).toEqual([3, 4, 5]);
    expect(connection.channel('cpu').getState()).toMatchObject({ seq: 5, resumed: false, error: undefined });
    expect(errors).toEqual([]);
  });
});

function pick(meta: MessageMeta) {
  return { seq: meta.seq, replayed: meta.replayed };
}

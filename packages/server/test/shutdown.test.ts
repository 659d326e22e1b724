import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker, createSocketServer } from '../src';
import type { Broker, SocketServer } from '../src';
import { coreClient, onCleanup, openRaw, refusedStatus, runCleanups, waitFor } from './helpers';
import type { Connection } from '@socketboard/core';

afterEach(runCleanups);

async function serverOn(port: number, broker?: Broker): Promise<SocketServer> {
  const server = createSocketServer(broker === undefined ? { port } : { port, broker });
  onCleanup(() => server.close({ drainMs: 200 }));
  await server.ready;
  return server;
}

interface Watched {
  readonly client: Connection;
  readonly got: unknown[];
  /** Every retry the client scheduled: the delay it picked. */
  readonly delays: number[];
}

function watchedClient(url: string): Watched {
  const client = coreClient(url, { reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
  const got: unknown[] = [];
  const delays: number[] = [];
  client.store.subscribe((state, previous) => {
    if (state.nextRetryAt !== undefined && state.nextRetryAt !== previous.nextRetryAt) {
      delays.push(state.nextRetryAt - Date.now());
    }
  });
  client.subscribe('feed', (data) => got.push(data));
  client.connect();
  return { client, got, delays };
}

const subscribed = (w: Watched) => w.client.channel('feed').getState().status === 'subscribed';

describe('graceful shutdown and restart', () => {
  it('closes clients with 1012; they reconnect with jittered backoff to a new instance on the same port and resume', async () => {
    const broker = createMemoryBroker(); // outlives both servers: the persistent state of a real deployment
    onCleanup(() => broker.close());
    const first = createSocketServer({ port: 0, broker });
    const { port } = await first.ready;
    const clients = [0, 1, 2].map(() => watchedClient(`ws://127.0.0.1:${port}`));
    await waitFor(() => clients.every(subscribed), 5000, 'all subscribed');
    for (let i = 1; i <= 3; i++) await first.publish('feed', i);
    await waitFor(() => clients.every((w) => w.got.length === 3), 5000, 'three messages each');
    const sessions = clients.map((w) => w.client.store.getState().sessionId);
    await expect(clients[0]!.client.publish('feed', 'before', { ack: true })).resolves.toBeDefined();

    await first.close({ code: 1012, reason: 'restarting', drainMs: 2000 });
    // The server is done once its side closed; each client handles its close event on its own time.
    await waitFor(() => clients.every((w) => w.client.store.getState().lastClose?.code === 1012), 5000, 'closes');
    // Published elsewhere while this node was down.
    await broker.publish('feed', '"while down"');

    const second = await serverOn(port, broker);
    await waitFor(() => clients.every((w) => subscribed(w) && w.got.length === 5), 5000, 'everyone resumed');
    await second.publish('feed', 'after');
    await waitFor(() => clients.every((w) => w.got.length === 6), 5000, 'the live message');

    for (const [i, w] of clients.entries()) {
      expect(w.got).toEqual([1, 2, 3, 'before', 'while down', 'after']);
      expect(w.client.store.getState().sessionId).toBe(sessions[i]);
      expect(w.client.channel('feed').getState().resumed).toBe(true);
      expect(w.delays.length).toBeGreaterThan(0);
    }
    // Full jitter: each client picked its own delays, so they did not come back in lockstep.
    expect(new Set(clients.map((w) => w.delays[0])).size).toBeGreaterThan(1);
  });

  it('tells clients of a new instance with a fresh broker that they missed messages (resumed: false)', async () => {
    const first = createSocketServer({ port: 0 });
    const { port } = await first.ready;
    const w = watchedClient(`ws://127.0.0.1:${port}`);
    await waitFor(() => subscribed(w), 5000, 'subscribed');
    for (let i = 1; i <= 3; i++) await first.publish('feed', i);
    await waitFor(() => w.got.length === 3, 5000, 'three messages');
    const session = w.client.store.getState().sessionId;
    await first.close({ code: 1001 });
    await waitFor(() => w.client.store.getState().lastClose?.code === 1001, 5000, 'the 1001 close');

    const second = await serverOn(port);
    await waitFor(() => w.client.channel('feed').getState().resumed === false && subscribed(w), 5000, 'resubscribed');
    expect(w.client.store.getState().sessionId).not.toBe(session);
    // The lost state restarted seq at 0; the client follows the new numbering instead of ignoring it.
    await second.publish('feed', 'fresh');
    await waitFor(() => w.got.length === 4, 5000, 'the new message');
    expect(w.got.at(-1)).toBe('fresh');
  });

  it('stops accepting at once, and terminates clients that do not finish the close handshake within drainMs', async () => {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const server = createSocketServer({ server: http });
    const { port } = await server.ready;
    const url = `ws://127.0.0.1:${port}`;
    const stuck = await openRaw(url);
    stuck.ws.pause(); // never reads the close frame, so never answers it
    let closed = false;
    const closing = server.close({ drainMs: 100 }).then(() => (closed = true));
    expect(await refusedStatus(url)).toBe(503); // the shared HTTP server stays up; upgrades are refused
    await closing;
    expect(closed).toBe(true);
    expect(server.metrics().connections).toBe(0);
    await expect(server.publish('a', 1)).rejects.toMatchObject({ code: 'closed' });
  });

  it('refuses upgrades still waiting for authenticate with 503 instead of waiting for them', async () => {
    let asked = 0;
    const server = createSocketServer({
      port: 0,
      authenticate: () => {
        asked += 1;
        return new Promise(() => {}); // never settles
      },
      handshakeTimeoutMs: 60_000,
    });
    onCleanup(() => server.close());
    const { port } = await server.ready;
    const refused = refusedStatus(`ws://127.0.0.1:${port}`);
    await waitFor(() => asked === 1, 5000, 'the upgrade to reach authenticate');
    await server.close();
    expect(await refused).toBe(503);
  });
});

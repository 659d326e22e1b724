import { describe, expect, it } from 'vitest';
import type { MessageMeta } from '../src/channel';
import { ConnectionClosedError } from '../src/errors';
import { framesOf, createHarness } from './integration-harness';
import { waitFor } from './test-server';

const h = createHarness();

describe('a connection against a real ws server', () => {
  it('opens, gets a session from hello/welcome, and delivers channel messages to the store and listener', async () => {
    const server = await h.server();
    const { connection } = h.connection<{ cpu: { load: number }; other: { load: number } }>({ url: server.url });
    const seen: Array<{ load: number; seq: number | undefined }> = [];

    connection.connect();
    await waitFor(() => connection.store.getState().sessionId !== undefined, 5_000, 'welcome');
    expect(connection.store.getState().status).toBe('open');
    expect(framesOf(server, 'hello')).toEqual([{ t: 'hello' }]);
    expect(server.protocols).toEqual(['socketboard.v1']);

    connection.subscribe('cpu', (data, meta: MessageMeta) => seen.push({ load: data.load, seq: meta.seq }));
    await waitFor(() => connection.channel('cpu').getState().status === 'subscribed', 5_000, 'subd');
    expect(framesOf(server, 'sub')).toEqual([{ t: 'sub', ch: 'cpu' }]);
    expect(server.subscribers('cpu')).toBe(1);

    server.publish('cpu', { load: 0.25 });
    server.publish('cpu', { load: 0.5 });
    server.publish('other', { load: 1 });
    await waitFor(() => seen.length === 2, 5_000, 'two messages');

    expect(seen).toEqual([
      { load: 0.25, seq: 1 },
      { load: 0.5, seq: 2 },
    ]);
    expect(connection.channel('cpu').getState()).toMatchObject({ data: { load: 0.5 }, seq: 2, count: 2 });
    expect(connection.channel('other').getState().count).toBe(0);
  });
});

describe('close codes from the server', () => {
  it.each([1011, 1012])('reconnects after close code %i (retry)', async (code) => {
    const server = await h.server();
    const { connection } = h.connection({ url: server.url });
    connection.connect();
    await waitFor(() => connection.store.getState().status === 'open', 5_000, 'open');

    server.closeAll(code, 'try again later');
    await waitFor(() => server.totalConnections === 2 && connection.store.getState().status === 'open', 5_000);

    expect(connection.store.getState().lastClose).toMatchObject({ code, wasClean: true });
  });

  it.each([1008, 4003])('fails after close code %i (stop) and never tries again', async (code) => {
    const server = await h.server();
    const { connection } = h.connection({ url: server.url });
    connection.connect();
    await waitFor(() => connection.store.getState().status === 'open', 5_000, 'open');

    server.closeAll(code, 'go away');
    await waitFor(() => connection.store.getState().status === 'failed', 5_000, 'failed');

    expect(connection.store.getState().lastClose?.code).toBe(code);
    expect(connection.store.getState().lastError?.code).toBe('closed-by-server');
    // Nothing is left that could try again...
    expect(connection.inspect()).toMatchObject({ timers: 0, socket: false });
    // ...and nothing does, over several times the longest backoff (maxDelayMs 100).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.totalConnections).toBe(1);
    expect(connection.store.getState().status).toBe('failed');
  });

  it('after 4001 asks the token provider again with reason reauth and sends the new token in the auth frame', async () => {
    const server = await h.server();
    server.options.requireAuth = (token) => token === 'fresh';
    const tokens = ['stale', 'fresh'];
    const asked: string[] = [];
    const { connection } = h.connection({
      url: server.url,
      auth: ({ reason }) => {
        asked.push(reason);
        return tokens.shift() ?? 'none left';
      },
    });
    connection.subscribe('private', () => {});

    connection.connect();
    await waitFor(() => connection.channel('private').getState().status === 'subscribed', 5_000, 'subscribed');

    expect(asked).toEqual(['connect', 'reauth']);
    expect(framesOf(server, 'auth')).toEqual([
      { t: 'auth', token: 'stale' },
      { t: 'auth', token: 'fresh' },
    ]);
    expect(connection.store.getState().lastClose?.code).toBe(4001);
    expect(server.totalConnections).toBe(2);
  });
});

describe('leaks', () => {
  it('close() leaves no timer, socket or signal listener, and the server sees the socket closed', async () => {
    const server = await h.server();
    server.options.ack = false;
    const { connection, signals } = h.connection({ url: server.url, heartbeat: { intervalMs: 50, timeoutMs: 200 } });
    const off = connection.subscribe('feed', () => {});
    connection.connect();
    await waitFor(() => connection.channel('feed').getState().status === 'subscribed', 5_000, 'subscribed');
    server.publish('feed', 'x');
    const pending = connection.publish('feed', 'unacked', { ack: true, timeoutMs: 10_000 });
    await waitFor(() => server.delivered.length === 1, 5_000, 'publish delivered');
    expect(connection.inspect()).toMatchObject({ socket: true, signalListeners: true, inFlight: 1 });
    expect(connection.inspect().timers).toBeGreaterThan(0);

    connection.close();

    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(connection.inspect()).toMatchObject({
      timers: 0,
      socket: false,
      signalListeners: false,
      inFlight: 0,
    });
    expect(signals.listeners).toBe(0);
    await waitFor(() => server.connections === 0, 5_000, 'server saw the close');
    off();
    expect(connection.inspect().timers).toBe(0);
  });
});

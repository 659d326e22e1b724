import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createSocketServer, SocketServerConfigError } from '../src';
import type { SocketServerOptions } from '../src';
import { onCleanup, openRaw, refusedStatus, runCleanups, startServer, subscribe, waitFor } from './helpers';

afterEach(runCleanups);

async function httpServer(): Promise<{ http: Server; port: number }> {
  const http = createServer((_request, response) => response.end('app'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => http.close(() => resolve())));
  onCleanup(() => http.closeAllConnections());
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { http, port: address.port };
}

describe('attaching to an existing HTTP server', () => {
  it('serves WebSocket upgrades on its path while the app keeps serving HTTP', async () => {
    const { http, port } = await httpServer();
    const server = createSocketServer({ server: http, path: '/socket' });
    onCleanup(() => server.close());
    expect((await server.ready).port).toBe(port);
    const client = await openRaw(`ws://127.0.0.1:${port}/socket?v=1`);
    expect(await subscribe(client, 'a')).toHaveLength(1);
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('app');
  });

  it('refuses other paths with 404 when it is the only upgrade handler', async () => {
    const { http, port } = await httpServer();
    const server = createSocketServer({ server: http, path: '/socket' });
    onCleanup(() => server.close());
    expect(await refusedStatus(`ws://127.0.0.1:${port}/elsewhere`)).toBe(404);
  });

  it('leaves other paths to another upgrade handler on the same server', async () => {
    const { http, port } = await httpServer();
    const other = new WebSocketServer({ noServer: true });
    onCleanup(() => new Promise<void>((resolve) => other.close(() => resolve())));
    http.on('upgrade', (request, socket, head) => {
      if (request.url === '/hmr') other.handleUpgrade(request, socket, head, (ws) => ws.send('hmr'));
    });
    const server = createSocketServer({ server: http, path: '/socket' });
    onCleanup(() => server.close());
    const hmr = new WebSocket(`ws://127.0.0.1:${port}/hmr`);
    onCleanup(() => hmr.terminate());
    const first = await new Promise<string>((resolve) =>
      hmr.once('message', (data) => resolve((data as Buffer).toString('utf8'))),
    );
    expect(first).toBe('hmr');
  });

  it('waits for the attached server to listen before resolving ready, and leaves it open on close', async () => {
    const http = createServer();
    onCleanup(() => new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve())));
    const server = createSocketServer({ server: http });
    let ready = false;
    void server.ready.then(() => (ready = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ready).toBe(false);
    http.listen(0, '127.0.0.1');
    const address = await server.ready;
    await server.close();
    expect(http.listening).toBe(true);
    expect(address.port).toBeGreaterThan(0);
  });
});

describe('listening on its own', () => {
  it('listens on 127.0.0.1 by default and answers plain HTTP with 426', async () => {
    const { server, port } = await startServer();
    expect((await server.ready).address).toBe('127.0.0.1');
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(426);
  });

  it('rejects ready when the port is taken, and reports it on error', async () => {
    const { port } = await startServer();
    const second = createSocketServer({ port });
    onCleanup(() => second.close());
    const errors: string[] = [];
    second.on('error', (error) => errors.push(error.code));
    await expect(second.ready).rejects.toMatchObject({ code: 'listen' });
    await waitFor(() => errors.length === 1, 2000, 'the error event');
  });

  it('refuses a non-WebSocket upgrade with 400', async () => {
    const { port } = await startServer();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, headers: { connection: 'upgrade', upgrade: 'h2c' } });
      req.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});

describe('options', () => {
  it.each<[SocketServerOptions, string]>([
    [{ port: -1 }, 'port'],
    [{ path: 'socket' }, 'path'],
    [{ rateLimit: { messagesPerSecond: 0 } }, 'rateLimit.messagesPerSecond'],
    [{ heartbeat: { intervalMs: 0 } }, 'heartbeat.intervalMs'],
    [{ slowConsumer: { policy: 'ignore' as 'drop' } }, 'slowConsumer.policy'],
    [{ maxPayload: 0 }, 'maxPayload'],
    [{ authorize: 'yes' as unknown as () => boolean }, 'authorize'],
    [{ allowOrigins: 'https://a.example' as unknown as string[] }, 'allowOrigins'],
    [{ broker: {} as never }, 'broker'],
  ])('rejects %j naming %s', (options, option) => {
    expect(() => createSocketServer(options)).toThrow(SocketServerConfigError);
    expect(() => createSocketServer(options)).toThrow(`\`${option}\``);
  });

  it('refuses replay options next to a custom broker, since they configure only the default one', async () => {
    const { server } = await startServer();
    expect(() => createSocketServer({ broker: server.broker, replay: { perChannel: 5 } })).toThrow(/`replay`/);
  });

  it('negotiates permessage-deflate only when turned on', async () => {
    const plain = await startServer();
    const compressed = await startServer({ perMessageDeflate: { threshold: 16 } });
    const a = await openRaw(plain.url, { perMessageDeflate: true });
    const b = await openRaw(compressed.url, { perMessageDeflate: true });
    expect(a.ws.extensions).toBe('');
    expect(b.ws.extensions).toContain('permessage-deflate');
    await subscribe(b, 'big');
    await compressed.server.publish('big', 'z'.repeat(10_000));
    expect(await b.next()).toMatchObject({ t: 'msg', d: 'z'.repeat(10_000) });
  });
});

describe('events and metrics', () => {
  it('reports connection and disconnect with the close code, until the listener is removed', async () => {
    const { url, server } = await startServer();
    const seen: string[] = [];
    const off = server.on('connection', (c) => seen.push(`open ${c.id}`));
    server.on('disconnect', (c, close) => seen.push(`close ${c.id} ${close.code}`));
    const client = await openRaw(url);
    client.ws.close(4000, 'bye');
    await waitFor(() => seen.length === 2, 2000, 'the disconnect');
    off();
    await openRaw(url);
    expect(seen).toEqual(['open 1', 'close 1 4000']);
  });

  it('lets the app close one connection through its info', async () => {
    const { url, server } = await startServer();
    server.on('connection', (c) => c.close(4403, 'kicked'));
    const client = await openRaw(url);
    expect(await client.waitClose()).toEqual({ code: 4403, reason: 'kicked' });
  });

  it('counts frames and bytes both ways, connections and channels', async () => {
    const { url, server } = await startServer();
    const client = await openRaw(url);
    await subscribe(client, 'a');
    await server.publish('a', 'x');
    await client.next();
    const metrics = server.metrics();
    expect(metrics).toMatchObject({ connections: 1, channels: 1, messagesIn: 1, messagesOut: 2, published: 1 });
    expect(metrics.bytesIn).toBe('{"t":"sub","ch":"a"}'.length);
    expect(metrics.bytesOut).toBe(
      '{"t":"subd","ch":"a","seq":0,"resumed":true}'.length + '{"t":"msg","ch":"a","seq":1,"d":"x"}'.length,
    );
  });

  it('keeps reporting when a listener throws', async () => {
    const { url, server } = await startServer();
    const errors: string[] = [];
    server.on('error', (error) => errors.push(error.code));
    server.on('connection', () => {
      throw new Error('listener bug');
    });
    const client = await openRaw(url);
    expect(await subscribe(client, 'a')).toHaveLength(1);
    expect(errors).toEqual(['listener']);
  });
});

describe('slow consumers', () => {
  async function flood(policy: 'drop' | 'close') {
    const { url, server } = await startServer({ slowConsumer: { maxBufferedBytes: 256 * 1024, policy } });
    const client = await openRaw(url);
    await subscribe(client, 'big');
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    client.ws.pause();
    const chunk = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 300; i++) await server.publish('big', chunk);
    return { server, client };
  }

  it("closes a client that cannot keep up with 1013 under policy 'close', after what was buffered", async () => {
    const { server, client } = await flood('close');
    expect(server.metrics().slowConsumerCloses).toBe(1);
    client.ws.resume();
    const close = await client.waitClose();
    expect(close.code).toBe(1013);
    const seqs = client.frames.filter((f) => f.t === 'msg').map((f) => f.seq);
    // What it got was in order and without gaps, up to where the server stopped.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it("skips messages for a client that cannot keep up under policy 'drop', and keeps it connected", async () => {
    const { server, client } = await flood('drop');
    const dropped = server.metrics().slowConsumerDrops;
    expect(dropped).toBeGreaterThan(0);
    client.ws.resume();
    // Everything not skipped arrives; only then is the send buffer empty again.
    const messages = () => client.frames.filter((f) => f.t === 'msg').length;
    await waitFor(() => messages() === 300 - dropped, 10_000, 'what was not skipped');
    await server.publish('big', 'last');
    await client.next((f) => f.d === 'last', 'the last message');
    expect(client.closed).toBeUndefined();
    // Nothing reordered; the skipped ones show as a gap in seq.
    const seqs = client.frames.filter((f) => f.t === 'msg').map((f) => f.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(seqs.at(-1)! - seqs.length).toBe(dropped);
  });
});

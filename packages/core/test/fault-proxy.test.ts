import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createFaultProxy } from './fault-proxy';
import type { FaultProxy } from './fault-proxy';
import { getFreePort } from './free-port';
import { createTestServer, waitFor } from './test-server';

/** A raw TCP endpoint whose traffic and fate the tests read. */
interface Peer {
  readonly socket: Socket;
  text: string;
  ended: boolean;
  closed: boolean;
  errorCode: string | undefined;
}

function track(socket: Socket): Peer {
  const peer: Peer = { socket, text: '', ended: false, closed: false, errorCode: undefined };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (peer.text += chunk));
  socket.on('end', () => (peer.ended = true));
  socket.on('error', (error: NodeJS.ErrnoException) => (peer.errorCode = error.code));
  socket.on('close', () => (peer.closed = true));
  return peer;
}

interface Echo {
  readonly port: number;
  /** Server-side ends of the connections it accepted, in order. */
  readonly peers: Peer[];
}

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An echo server; with a greeting, it says who it is as soon as a connection arrives. */
async function startEcho(greeting = ''): Promise<Echo> {
  const peers: Peer[] = [];
  const server: Server = createServer((socket) => {
    const peer = track(socket);
    peers.push(peer);
    socket.on('data', (chunk: string) => socket.write(chunk));
    if (greeting !== '') socket.write(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const peer of peers) peer.socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server has no port');
  return { port: address.port, peers };
}

async function startProxy(targetPort: number): Promise<FaultProxy> {
  const proxy = await createFaultProxy({ targetPort });
  cleanups.push(() => proxy.close());
  return proxy;
}

function dial(port: number): Peer {
  const peer = track(connect({ host: '127.0.0.1', port }));
  cleanups.push(() => void peer.socket.destroy());
  return peer;
}

describe('createFaultProxy', () => {
  it('listens on 127.0.0.1 and exposes a ws:// url for its port', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);

    expect(proxy.port).toBeGreaterThan(0);
    expect(proxy.url).toBe(`ws://127.0.0.1:${proxy.port}`);
    expect(proxy.targetPort).toBe(echo.port);
  });

  it('forwards bytes both ways, including a payload large enough to need backpressure', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = dial(proxy.port);

    client.socket.write('hello');
    await waitFor(() => client.text === 'hello');

    const big = 'x'.repeat(4 * 1024 * 1024);
    client.socket.write(big);
    await waitFor(() => client.text.length === 5 + big.length, 10_000);
    expect(client.text === 'hello' + big).toBe(true);
    expect(echo.peers[0]!.text.length).toBe(5 + big.length);
    expect(proxy.connections).toBe(1);
    expect(proxy.accepted).toBe(1);
  });

  it('forwards an orderly close: data sent before it arrives, then the end, without an error', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = dial(proxy.port);
    await waitFor(() => echo.peers.length === 1);

    echo.peers[0]!.socket.end('bye');

    await waitFor(() => client.closed);
    expect(client.text).toBe('bye');
    expect(client.ended).toBe(true);
    expect(client.errorCode).toBeUndefined();
    await waitFor(() => proxy.connections === 0);
  });

  it('cut() resets every live pair on both sides at once', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const a = dial(proxy.port);
    const b = dial(proxy.port);
    await waitFor(() => echo.peers.length === 2);
    expect(proxy.connections).toBe(2);

    proxy.cut();

    expect(proxy.connections).toBe(0);
    await waitFor(() => a.closed && b.closed && echo.peers.every((peer) => peer.closed));
    expect(a.errorCode).toBe('ECONNRESET');
    expect(b.errorCode).toBe('ECONNRESET');
    expect(echo.peers.map((peer) => peer.errorCode)).toEqual(['ECONNRESET', 'ECONNRESET']);
  });

  it('the proxy keeps accepting after a cut', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    dial(proxy.port);
    await waitFor(() => proxy.connections === 1);
    proxy.cut();

    const again = dial(proxy.port);
    again.socket.write('still here');

    await waitFor(() => again.text === 'still here');
    expect(proxy.accepted).toBe(2);
  });

  it('stall() drops data in both directions without closing, and resume() delivers none of it', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = dial(proxy.port);
    client.socket.write('a');
    await waitFor(() => client.text === 'a');
    const server = echo.peers[0]!;

    proxy.stall();
    expect(proxy.stalled).toBe(true);
    client.socket.write('lost-up');
    await waitFor(() => proxy.droppedBytes === 'lost-up'.length);
    server.socket.write('lost-down');
    await waitFor(() => proxy.droppedBytes === 'lost-up'.length + 'lost-down'.length);

    expect(server.text).toBe('a');
    expect(client.closed || server.closed).toBe(false);
    expect(proxy.connections).toBe(1);

    proxy.resume();
    client.socket.write('b');

    // TCP keeps order: had anything from the stall been delivered, it would come before this echo.
    await waitFor(() => client.text.endsWith('b'));
    expect(client.text).toBe('ab');
    expect(server.text).toBe('ab');
  });

  it('accepts new connections during a stall but forwards nothing on them until resume()', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    proxy.stall();

    const client = dial(proxy.port);
    client.socket.write('x');
    await waitFor(() => proxy.droppedBytes === 1);
    expect(proxy.accepted).toBe(1);
    expect(proxy.connections).toBe(1);

    proxy.resume();
    client.socket.write('y');

    await waitFor(() => client.text.endsWith('y'));
    expect(client.text).toBe('y');
  });

  it('hides a close during a stall, then tears the pair down on resume()', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = dial(proxy.port);
    await waitFor(() => echo.peers.length === 1);
    const server = echo.peers[0]!;

    proxy.stall();
    client.socket.destroy();
    await waitFor(() => client.closed);
    // Bounded negative check: a propagated close would reach the server within a few ms on loopback.
    await delay(50);
    expect(server.closed).toBe(false);
    expect(proxy.connections).toBe(1);

    proxy.resume();

    await waitFor(() => server.closed);
    await waitFor(() => proxy.connections === 0);
  });

  it('cut() during a stall still resets both sides', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = dial(proxy.port);
    await waitFor(() => echo.peers.length === 1);
    proxy.stall();

    proxy.cut();

    await waitFor(() => client.closed && echo.peers[0]!.closed);
    expect(client.errorCode).toBe('ECONNRESET');
  });

  it('refuse() resets new connections on arrival without reaching the target, until turned off', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    proxy.refuse();
    expect(proxy.refusing).toBe(true);

    const refused = dial(proxy.port);
    await waitFor(() => refused.closed);
    expect(refused.text).toBe('');
    expect(proxy.accepted).toBe(1);
    expect(proxy.refused).toBe(1);
    expect(proxy.connections).toBe(0);
    expect(echo.peers).toHaveLength(0);

    proxy.refuse(false);
    const admitted = dial(proxy.port);
    admitted.socket.write('in');
    await waitFor(() => admitted.text === 'in');
    expect(proxy.refused).toBe(1);
  });

  it('refuse() leaves live connections alone', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const live = dial(proxy.port);
    await waitFor(() => proxy.connections === 1);

    proxy.refuse();
    live.socket.write('ok');

    await waitFor(() => live.text === 'ok');
  });

  it('resume() also stops refusing', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    proxy.refuse();
    proxy.resume();

    const client = dial(proxy.port);
    client.socket.write('back');

    await waitFor(() => client.text === 'back');
    expect(proxy.refusing).toBe(false);
    expect(proxy.refused).toBe(0);
  });

  it('setTarget() sends new connections to the new port while live pairs keep theirs', async () => {
    const first = await startEcho('A');
    const second = await startEcho('B');
    const proxy = await startProxy(first.port);
    const old = dial(proxy.port);
    await waitFor(() => old.text === 'A');

    proxy.setTarget(second.port);
    const fresh = dial(proxy.port);
    await waitFor(() => fresh.text === 'B');
    old.socket.write('!');

    await waitFor(() => old.text === 'A!');
    expect(proxy.targetPort).toBe(second.port);
    expect(first.peers).toHaveLength(1);
    expect(second.peers).toHaveLength(1);
  });

  it('closes the client side when the target refuses the upstream connection', async () => {
    const proxy = await startProxy(await getFreePort());
    const client = dial(proxy.port);

    await waitFor(() => client.closed);
    await waitFor(() => proxy.connections === 0);
    expect(proxy.accepted).toBe(1);
  });

  it('close() resets live connections, stops listening, and is idempotent', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = dial(proxy.port);
    await waitFor(() => echo.peers.length === 1);
    const port = proxy.port;

    const closing = proxy.close();
    expect(proxy.close()).toBe(closing);
    await closing;

    await waitFor(() => client.closed && echo.peers[0]!.closed);
    expect(proxy.connections).toBe(0);
    expect(proxy.port).toBe(port);
    const late = dial(port);
    await waitFor(() => late.closed);
    expect(late.errorCode).toBe('ECONNREFUSED');
  });

  it('can be brought back on the same port after close()', async () => {
    const echo = await startEcho();
    const first = await createFaultProxy({ targetPort: echo.port });
    const port = first.port;
    await first.close();

    const second = await createFaultProxy({ targetPort: echo.port, port });
    cleanups.push(() => second.close());
    const client = dial(port);
    client.socket.write('same port');

    await waitFor(() => client.text === 'same port');
    expect(second.port).toBe(port);
  });

  it('rejects with the address when the port is taken', async () => {
    const echo = await startEcho();

    await expect(createFaultProxy({ targetPort: echo.port, port: echo.port })).rejects.toThrow(
      `cannot listen on 127.0.0.1:${echo.port}`,
    );
  });

  it('between a WebSocket client and the test server: cut() gives the client 1006, stall() swallows a ping', async () => {
    const server = await createTestServer();
    cleanups.push(() => server.close());
    const proxy = await startProxy(server.port);
    const connectThrough = async (): Promise<{ ws: WebSocket; frames: string[]; closeCode?: number }> => {
      const ws = new WebSocket(proxy.url, ['socketboard.v1']);
      const client: { ws: WebSocket; frames: string[]; closeCode?: number } = { ws, frames: [] };
      ws.on('message', (data) => client.frames.push((data as Buffer).toString('utf8')));
      ws.on('close', (code) => (client.closeCode = code));
      ws.on('error', () => {});
      cleanups.push(() => ws.terminate());
      await new Promise((resolve) => ws.once('open', resolve));
      return client;
    };

    const first = await connectThrough();
    proxy.cut();
    await waitFor(() => first.closeCode !== undefined && server.connections === 0);
    expect(first.closeCode).toBe(1006);

    const second = await connectThrough();
    proxy.stall();
    second.ws.send(JSON.stringify({ t: 'ping', ts: 1 }));
    await waitFor(() => proxy.droppedBytes > 0);
    proxy.resume();
    second.ws.send(JSON.stringify({ t: 'ping', ts: 2 }));

    await waitFor(() => second.frames.length > 0);
    expect(second.frames).toEqual(['{"t":"pong","ts":2}']);
    expect(server.received).toEqual([{ t: 'ping', ts: 2 }]);
    expect(second.closeCode).toBeUndefined();
  });
});

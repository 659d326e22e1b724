import { createConnection } from '@socketboard/core';
import type { Connection, ConnectionOptions } from '@socketboard/core';
import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';
import { waitFor } from '../../core/test/test-server';
import { createSocketServer } from '../src';
import type { SocketServer, SocketServerOptions } from '../src';

export { waitFor };

export type Frame = Record<string, unknown>;

const cleanups: Array<() => Promise<void> | void> = [];

/** Registers teardown work; `runCleanups` (wired to afterEach in each file) runs it newest first. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export interface Started<P> {
  readonly server: SocketServer<P>;
  readonly port: number;
  readonly url: string;
}

/** A server on 127.0.0.1 (any free port unless given), closed after the test. */
export async function startServer<P = unknown>(options: SocketServerOptions<P> = {}): Promise<Started<P>> {
  const server = createSocketServer<P>(options);
  onCleanup(() => server.close({ drainMs: 200 }));
  const address = await server.ready;
  return { server, port: address.port, url: `ws://127.0.0.1:${address.port}` };
}

/** A raw protocol client: every frame it receives is kept in order; `next` reads them one by one. */
export interface RawClient {
  readonly ws: WebSocket;
  /** Every frame received, a batch's frames unpacked in order. */
  readonly frames: Frame[];
  /** Every WebSocket message received, parsed: a frame, or a batch (an array of frames). */
  readonly messages: Array<Frame | Frame[]>;
  closed: { code: number; reason: string } | undefined;
  send(frame: object | string | Buffer): void;
  /** The next frame (optionally the next one matching), waiting for it. */
  next(match?: (frame: Frame) => boolean, what?: string): Promise<Frame>;
  /** Resolves with the close once the socket closed. */
  waitClose(timeoutMs?: number): Promise<{ code: number; reason: string }>;
}

export interface RawOptions extends ClientOptions {
  protocols?: string[];
}

export async function openRaw(url: string, options: RawOptions = {}): Promise<RawClient> {
  const { protocols = ['socketboard.v1'], ...wsOptions } = options;
  const ws = new WebSocket(url, protocols, wsOptions);
  let cursor = 0;
  const client: RawClient = {
    ws,
    frames: [],
    messages: [],
    closed: undefined,
    send: (frame) => ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)),
    async next(match = () => true, what = 'a frame') {
      for (;;) {
        await waitFor(() => client.frames.length > cursor || client.closed !== undefined, 5000, what);
        if (client.frames.length <= cursor) throw new Error(`closed ${JSON.stringify(client.closed)} before ${what}`);
        const frame = client.frames[cursor++]!;
        if (match(frame)) return frame;
      }
    },
    async waitClose(timeoutMs = 5000) {
      await waitFor(() => client.closed !== undefined, timeoutMs, 'the socket to close');
      return client.closed!;
    },
  };
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Frame | Frame[];
    client.messages.push(message);
    if (Array.isArray(message)) client.frames.push(...message);
    else client.frames.push(message);
  });
  ws.on('close', (code, reason) => (client.closed = { code, reason: reason.toString() }));
  ws.on('error', () => {});
  onCleanup(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/** Tries to open a socket that the server must refuse before the upgrade; resolves with the HTTP status. */
export function refusedStatus(url: string, options: RawOptions = {}): Promise<number> {
  const { protocols = ['socketboard.v1'], ...wsOptions } = options;
  const ws = new WebSocket(url, protocols, wsOptions);
  onCleanup(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', (error) => reject(new Error(`no HTTP refusal: ${error.message}`)));
  });
}

/** A core client (the real engine) on `ws`, closed after the test. */
export function coreClient(url: string, options: Partial<ConnectionOptions> = {}): Connection {
  const connection = createConnection({
    url,
    WebSocket,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    ...options,
  });
  onCleanup(() => connection.close());
  return connection;
}

/** Opens a raw client and completes hello, returning the session id. */
export async function helloed(url: string, sid?: string): Promise<{ client: RawClient; welcome: Frame }> {
  const client = await openRaw(url);
  client.send(sid === undefined ? { t: 'hello' } : { t: 'hello', sid });
  const welcome = await client.next((f) => f.t === 'welcome', 'welcome');
  return { client, welcome };
}

/** Subscribes and returns every frame up to and including the `subd` for the channel. */
export async function subscribe(client: RawClient, ch: string, since?: number): Promise<Frame[]> {
  client.send(since === undefined ? { t: 'sub', ch } : { t: 'sub', ch, since });
  const frames: Frame[] = [];
  for (;;) {
    const frame = await client.next(() => true, `subd for ${ch}`);
    frames.push(frame);
    if ((frame.t === 'subd' || frame.t === 'err') && frame.ch === ch) return frames;
  }
}

import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/**
 * A minimal protocol-v1 server on a real `ws` socket (127.0.0.1, a free port) that counts
 * connections: answers `hello`, `sub` and `ping`, and publishes `msg` to subscribers.
 */
export interface WsTestServer {
  readonly url: string;
  /** Connections accepted since start. */
  readonly connections: number;
  /** Connections open now. */
  readonly open: number;
  publish(channel: string, data: unknown): void;
  subscribers(channel: string): number;
  close(): Promise<void>;
}

export async function startWsServer(): Promise<WsTestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const subscriptions = new Map<WebSocket, Set<string>>();
  const seqs = new Map<string, number>();
  let connections = 0;
  wss.on('connection', (socket) => {
    connections++;
    const channels = new Set<string>();
    subscriptions.set(socket, channels);
    socket.on('close', () => subscriptions.delete(socket));
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { t: string; ch?: string; ts?: number };
      if (frame.t === 'hello') socket.send(JSON.stringify({ t: 'welcome', sid: `s${connections}` }));
      if (frame.t === 'ping') socket.send(JSON.stringify({ t: 'pong', ts: frame.ts }));
      if (frame.t === 'sub' && frame.ch !== undefined) {
        channels.add(frame.ch);
        socket.send(JSON.stringify({ t: 'subd', ch: frame.ch, seq: seqs.get(frame.ch) ?? 0 }));
      }
      if (frame.t === 'unsub' && frame.ch !== undefined) channels.delete(frame.ch);
    });
  });
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected address ${address}`);
  return {
    url: `ws://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    get open() {
      return subscriptions.size;
    },
    publish(channel, data) {
      const seq = (seqs.get(channel) ?? 0) + 1;
      seqs.set(channel, seq);
      const frame = JSON.stringify({ t: 'msg', ch: channel, seq, d: data });
      for (const [socket, channels] of subscriptions) if (channels.has(channel)) socket.send(frame);
    },
    subscribers(channel) {
      let n = 0;
      for (const channels of subscriptions.values()) if (channels.has(channel)) n++;
      return n;
    },
    close() {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

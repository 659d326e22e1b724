import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { createSocketServer } from '@socketboard/server';
import type { Broker, ConnectionInfo, ServerMetrics, SocketServer, SocketServerOptions } from '@socketboard/server';

export interface SocketHostOptions {
  readonly http: HttpServer;
  readonly path: string;
  /** Kept across restarts: sessions, seqs and the replay buffer survive them. */
  readonly broker: Broker;
  readonly onConnection?: (connection: ConnectionInfo, online: number) => void;
  readonly onDisconnect?: (connection: ConnectionInfo, close: { code: number; reason: string }, online: number) => void;
  readonly onError?: (error: Error) => void;
  readonly onPublish?: SocketServerOptions['onPublish'];
}

type HeldUpgrade = readonly [IncomingMessage, Duplex, Buffer];

const ignore = () => {};

// A restart that takes longer than this refuses the upgrades it held (503): the clients retry.
const MAX_HELD_UPGRADES = 256;

/**
 * The demo's @socketboard/server and the chaos it can be put through. It is attached to the page's
 * HTTP server through a relay (an event emitter standing in for the HTTP server), for two reasons:
 * during a restart the relay holds new upgrades until the next socket server is up, instead of
 * having them refused; and it sees each upgraded raw socket, which `kill` and `stall` act on.
 * An app with no need for in-process restarts passes its HTTP server directly (`server: http`).
 */
export class SocketHost {
  private current: SocketServer;
  private readonly relay: EventEmitter & { listening: boolean; address: HttpServer['address'] };
  private readonly held: HeldUpgrade[] = [];
  private readonly sockets = new Set<Duplex>();
  private readonly stalled = new Set<Duplex>();
  private readonly connections = new Set<ConnectionInfo>();
  private restarting = false;
  private closed = false;
  private startedAt = Date.now();
  private restartCount = 0;

  constructor(private readonly options: SocketHostOptions) {
    const { http } = options;
    this.relay = Object.assign(new EventEmitter(), {
      get listening() {
        return http.listening;
      },
      address: () => http.address(),
    });
    http.on('listening', () => this.relay.emit('listening'));
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
    this.current = this.start();
  }

  /**
   * Publishes through the socket server, or straight into the broker while it restarts or shuts down
   * (kept there for replay: with Redis, even a new process can deliver it).
   */
  publish(channel: string, data: unknown): Promise<number> {
    if (!this.restarting && !this.closed) return this.current.publish(channel, data);
    return this.options.broker.publish(channel, JSON.stringify(data)).then((message) => message.seq);
  }

  metrics(): ServerMetrics & { uptime: number; restarts: number } {
    return { ...this.current.metrics(), uptime: (Date.now() - this.startedAt) / 1000, restarts: this.restartCount };
  }

  get online(): number {
    return this.connections.size;
  }

  get isRestarting(): boolean {
    return this.restarting;
  }

  /** Closes every connection with 1012 (service restart); clients reconnect with backoff and resume. */
  drop(): number {
    const count = this.connections.size;
    for (const connection of [...this.connections]) connection.close(1012, 'demo: dropped');
    return count;
  }

  /** Destroys every socket without a close frame: the clients see 1006, as after a crash or a cut cable. */
  kill(): number {
    const count = this.sockets.size;
    for (const socket of [...this.sockets]) socket.destroy();
    return count;
  }

  /**
   * A black hole for `ms`: nothing is read from the connected sockets (client pings go unanswered)
   * and nothing written to them goes out (held in the socket's buffer). The clients' heartbeat finds
   * the link dead and reconnects; new connections are served normally meanwhile.
   */
  stall(ms: number): number {
    let count = 0;
    for (const socket of this.sockets) {
      if (this.stalled.has(socket)) continue;
      this.stalled.add(socket);
      socket.pause();
      // ws corks and uncorks around each frame; one more cork keeps everything buffered until ours is undone.
      socket.cork();
      count++;
      const timer = setTimeout(() => {
        this.stalled.delete(socket);
        socket.uncork();
        socket.resume();
      }, ms);
      timer.unref();
    }
    return count;
  }

  /**
   * Closes the socket server with 1012 and starts a new one on the same HTTP server after `delayMs`,
   * with the same broker: clients reconnect, present their session and last seqs, and get what was
   * published meanwhile. Resolves once the new server accepts connections.
   */
  async restart(delayMs: number): Promise<boolean> {
    if (this.restarting || this.closed) return false;
    this.restarting = true;
    const previous = this.current;
    try {
      await previous.close({ code: 1012, reason: 'demo: server restart', drainMs: 1_000 });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (this.closed) return false;
      this.current = this.start();
      this.restartCount++;
    } finally {
      this.restarting = false;
    }
    for (const [request, socket, head] of this.held.splice(0)) {
      if (!socket.destroyed) this.relay.emit('upgrade', request, socket, head);
    }
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [, socket] of this.held.splice(0)) socket.destroy();
    for (const socket of this.stalled) socket.destroy();
    await this.current.close({ code: 1001, reason: 'demo server stopping', drainMs: 1_000 });
  }

  private start(): SocketServer {
    const { broker, path, onConnection, onDisconnect, onError, onPublish } = this.options;
    const server = createSocketServer({
      // The relay has the part of an HTTP server's interface the socket server uses.
      server: this.relay as unknown as HttpServer,
      path,
      broker,
      onPublish,
    });
    this.startedAt = Date.now();
    server.on('connection', (connection) => {
      this.connections.add(connection);
      onConnection?.(connection, this.connections.size);
    });
    server.on('disconnect', (connection, close) => {
      this.connections.delete(connection);
      onDisconnect?.(connection, close, this.connections.size);
    });
    server.on('error', (error) => onError?.(error));
    return server;
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.sockets.add(socket);
    // A client may vanish while its upgrade is held; the socket server adds its own handlers later.
    socket.on('error', ignore);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.stalled.delete(socket);
    });
    if (this.restarting) {
      if (this.held.length < MAX_HELD_UPGRADES) {
        this.held.push([request, socket, head]);
        return;
      }
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.relay.emit('upgrade', request, socket, head);
  }
}

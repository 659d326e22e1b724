import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A loopback TCP proxy that sits between a client and a server and breaks the network on command,
 * for chaos tests of reconnect, heartbeat and resume. Point the client at `proxy.url` (or `port`),
 * the proxy at the real server's port.
 *
 * Faults act on TCP, below WebSocket, so the client and the server see what a real network does:
 * - `cut()`: every live connection is reset on both sides at once (a cable pull answered by RST):
 *   the WebSocket client sees close 1006, the server sees its socket end.
 * - `stall()`: a black hole. Sockets stay open, nothing is forwarded or closed, in either direction;
 *   bytes arriving meanwhile are dropped (counted in `droppedBytes`). Heartbeats are what find it.
 * - `refuse()`: new TCP connections are accepted and reset at once (a server that is down or full).
 *
 * Every socket error is swallowed on purpose: resets (ECONNRESET, EPIPE) and refusals are exactly
 * what this proxy produces, and each one ends in a 'close' that tears the pair down.
 */
export interface FaultProxy {
  /** The port the proxy listens on, at 127.0.0.1. */
  readonly port: number;
  /** `ws://127.0.0.1:${port}`: the URL to give a WebSocket client. */
  readonly url: string;
  /** Where new connections go; `setTarget` changes it. */
  readonly targetPort: number;
  /** Resets every live connection pair on both sides. Works during a stall too. */
  cut(): void;
  /**
   * Stops forwarding in both directions on every pair, including pairs accepted later, without
   * closing anything. Data arriving during the stall is dropped, not delayed; a side that closes
   * during the stall is not reported to the other side until `resume()` (a black hole hides that too).
   * Bytes the proxy had already handed to a socket before the call may still arrive.
   */
  stall(): void;
  /**
   * Ends a stall and a refusal. Nothing dropped during the stall is delivered. A pair that lost a
   * side during the stall is torn down now (its survivor is reset; a half-close is forwarded).
   */
  resume(): void;
  /** While on (the default argument), every new connection is accepted and reset at once. */
  refuse(on?: boolean): void;
  /** New connections go to this port; live pairs keep their target. */
  setTarget(port: number): void;
  /** True between `stall()` and `resume()`. */
  readonly stalled: boolean;
  /** True while refusing new connections. */
  readonly refusing: boolean;
  /** Connection pairs the proxy currently holds (client side and upstream side). */
  readonly connections: number;
  /** TCP connections accepted so far, including refused ones: how many times a client tried. */
  readonly accepted: number;
  /** Connections reset on arrival because the proxy was refusing. */
  readonly refused: number;
  /** Bytes dropped by stalls, both directions together: lets a test know the black hole swallowed them. */
  readonly droppedBytes: number;
  /** Stops listening and resets every connection. Idempotent; resolves once the listener is closed. */
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The port of the real server on 127.0.0.1. */
  targetPort: number;
  /** The port to listen on. Default `0` (any free port); pass a port to bring a proxy back at the same address. */
  port?: number;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
}

const HOST = '127.0.0.1';

export function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let targetPort = options.targetPort;
  let stalled = false;
  let refusing = false;
  let accepted = 0;
  let refused = 0;
  let droppedBytes = 0;
  let closing: Promise<void> | undefined;
  let port = 0;
  const pairs = new Set<Pair>();

  // Half-open is allowed so a FIN is forwarded (or, during a stall, swallowed) by us rather than
  // answered by Node on its own, which would leak the close through the black hole.
  const server = createServer({ allowHalfOpen: true });

  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => {
      // Checked per chunk rather than pipe()d, so a stall takes effect on the very next byte.
      if (stalled) {
        droppedBytes += chunk.length;
        return;
      }
      if (to.destroyed || to.writableEnded) return;
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      if (!stalled && !to.destroyed) to.end();
    });
  };

  const onConnection = (client: Socket): void => {
    accepted += 1;
    client.on('error', ignore);
    if (refusing) {
      refused += 1;
      reset(client);
      return;
    }
    client.setNoDelay(true);
    const upstream = connect({ host: HOST, port: targetPort, allowHalfOpen: true, noDelay: true });
    upstream.on('error', ignore);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    forward(client, upstream);
    forward(upstream, client);
    const onClose = (hadError: boolean): void => {
      if (client.destroyed && upstream.destroyed) {
        pairs.delete(pair);
        return;
      }
      if (stalled) return; // resume() settles it
      // A reset travels on as a reset; an orderly close lets the survivor flush what it still holds.
      release(client, hadError);
      release(upstream, hadError);
    };
    client.on('close', onClose);
    upstream.on('close', onClose);
  };

  server.on('connection', onConnection);

  const proxy: FaultProxy = {
    get port() {
      return port;
    },
    get url() {
      return `ws://${HOST}:${port}`;
    },
    get targetPort() {
      return targetPort;
    },
    cut() {
      for (const pair of pairs) {
        reset(pair.client);
        reset(pair.upstream);
      }
      pairs.clear();
    },
    stall() {
      stalled = true;
      // A source paused for backpressure would keep its bytes in the kernel and deliver them after
      // resume(); let them flow into the black hole instead.
      for (const pair of pairs) {
        pair.client.resume();
        pair.upstream.resume();
      }
    },
    resume() {
      stalled = false;
      refusing = false;
      for (const pair of pairs) settleAfterStall(pair);
    },
    refuse(on = true) {
      refusing = on;
    },
    setTarget(port: number) {
      targetPort = port;
    },
    get stalled() {
      return stalled;
    },
    get refusing() {
      return refusing;
    },
    get connections() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    get droppedBytes() {
      return droppedBytes;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const pair of pairs) {
          reset(pair.client);
          reset(pair.upstream);
        }
        pairs.clear();
      });
      return closing;
    },
  };

  return new Promise((resolve, reject) => {
    const onListenError = (error: Error): void => {
      reject(
        new Error(`createFaultProxy: cannot listen on ${HOST}:${options.port ?? 0} (${error.message}).`, {
          cause: error,
        }),
      );
    };
    server.once('error', onListenError);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', onListenError);
      const address = server.address();
      // Kept so `port` and `url` still answer after close(), e.g. to bring a proxy back at the same address.
      port = address !== null && typeof address === 'object' ? address.port : 0;
      resolve(proxy);
    });
  });
}

function ignore(): void {}

/** Closes with RST when connected, so the peer sees ECONNRESET rather than an orderly end. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) {
    socket.destroy();
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function release(socket: Socket, abrupt: boolean): void {
  if (socket.destroyed) return;
  if (abrupt) {
    reset(socket);
    return;
  }
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.end(() => socket.destroy());
}

/** What a recovering network reveals: a side that vanished during the stall takes its peer with it. */
function settleAfterStall(pair: Pair): void {
  const { client, upstream } = pair;
  if (client.destroyed || upstream.destroyed) {
    reset(client);
    reset(upstream);
    return;
  }
  if (client.readableEnded && !upstream.writableEnded) upstream.end();
  if (upstream.readableEnded && !client.writableEnded) client.end();
}

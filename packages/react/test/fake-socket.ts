import { createConnection } from '@socketboard/core';
import type {
  Connection,
  ConnectionOptions,
  EnvironmentSignals,
  WebSocketConstructor,
  WebSocketLike,
} from '@socketboard/core';

/**
 * An in-memory WebSocket for unit tests of the framework-free modules: the test plays the server.
 * Component tests use msw (jsdom) or a real `ws` server instead.
 */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  bufferedAmount = 0;
  protocol = '';
  binaryType = 'blob';
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  readonly sent: string[] = [];
  private readonly seqs = new Map<string, number>();

  constructor(readonly url: string) {}

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    if (typeof data === 'string') this.sent.push(data);
  }

  close(): void {
    this.readyState = 3;
  }

  /** Sent frames, parsed. */
  get frames(): Array<{ t: string; [key: string]: unknown }> {
    return this.sent.map((f) => JSON.parse(f) as { t: string });
  }

  framesOf(type: string): Array<{ t: string; [key: string]: unknown }> {
    return this.frames.filter((f) => f.t === type);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** A `msg` with the channel's next seq. */
  message(channel: string, data: unknown): void {
    const seq = (this.seqs.get(channel) ?? 0) + 1;
    this.seqs.set(channel, seq);
    this.onmessage?.({ data: JSON.stringify({ t: 'msg', ch: channel, seq, d: data }) });
  }

  subscribed(channel: string): void {
    this.onmessage?.({ data: JSON.stringify({ t: 'subd', ch: channel, seq: this.seqs.get(channel) ?? 0 }) });
  }
}

/** Always online and visible, never fires. */
export const inertSignals: EnvironmentSignals = {
  isOnline: () => true,
  isVisible: () => true,
  subscribe: () => () => {},
};

export interface FakeServer {
  readonly WebSocket: WebSocketConstructor;
  readonly sockets: FakeSocket[];
  last(): FakeSocket;
}

export function fakeServer(): FakeServer {
  const sockets: FakeSocket[] = [];
  const WebSocket = class extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  };
  return {
    WebSocket,
    sockets,
    last() {
      const socket = sockets.at(-1);
      if (socket === undefined) throw new Error('no socket was created');
      return socket;
    },
  };
}

/** A connection on a fake socket, opened (a string URL opens synchronously). */
export function openFakeConnection(overrides: Partial<ConnectionOptions> = {}): {
  connection: Connection;
  server: FakeServer;
  socket: FakeSocket;
} {
  const server = fakeServer();
  const connection = createConnection({
    url: 'ws://fake.invalid/socket',
    WebSocket: server.WebSocket,
    signals: inertSignals,
    heartbeat: false,
    ...overrides,
  });
  connection.connect();
  const socket = server.last();
  socket.open();
  return { connection, server, socket };
}

/** A hand-cranked `requestAnimationFrame`: frames run only when the test says. */
export function manualFrames(): {
  requestAnimationFrame: (callback: () => void) => number;
  cancelAnimationFrame: (handle: number) => void;
  /** Runs the callbacks queued so far (one frame). Returns how many ran. */
  frame(): number;
  readonly queued: number;
} {
  let next = 1;
  const callbacks = new Map<number, () => void>();
  return {
    requestAnimationFrame(callback) {
      const handle = next++;
      callbacks.set(handle, callback);
      return handle;
    },
    cancelAnimationFrame(handle) {
      callbacks.delete(handle);
    },
    frame() {
      const batch = [...callbacks.values()];
      callbacks.clear();
      for (const callback of batch) callback();
      return batch.length;
    },
    get queued() {
      return callbacks.size;
    },
  };
}

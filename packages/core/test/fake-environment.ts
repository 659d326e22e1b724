import type { EnvironmentSignals, SignalEvent, WebSocketConstructor, WebSocketLike } from '../src/environment';

/**
 * An in-memory WebSocket for fake-timer unit tests: the test plays the server by calling `open()`,
 * `receive()` and `serverClose()`. Integration tests use the real `ws` package instead.
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
  readonly sent: Array<string | ArrayBuffer | ArrayBufferView> = [];
  closedWith: { code?: number; reason?: string } | undefined;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {}

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  /** Sent text frames, parsed. */
  get frames(): Array<Record<string, unknown>> {
    return this.sent
      .filter((f): f is string => typeof f === 'string')
      .map((f) => JSON.parse(f) as Record<string, unknown>);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' || data instanceof ArrayBuffer ? data : JSON.stringify(data) });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: code !== 1006 });
  }
}

export function fakeSockets(): { WebSocket: WebSocketConstructor; sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  const WebSocket = class extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
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

export function fakeSignals(): EnvironmentSignals & {
  emit(event: SignalEvent): void;
  online: boolean;
  visible: boolean;
  readonly listeners: number;
} {
  const listeners = new Set<(event: SignalEvent) => void>();
  const signals = {
    online: true,
    visible: true,
    isOnline: () => signals.online,
    isVisible: () => signals.visible,
    subscribe(listener: (event: SignalEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: SignalEvent) {
      if (event === 'online') signals.online = true;
      if (event === 'offline') signals.online = false;
      if (event === 'visible') signals.visible = true;
      if (event === 'hidden') signals.visible = false;
      for (const listener of listeners) listener(event);
    },
    get listeners() {
      return listeners.size;
    },
  };
  return signals;
}

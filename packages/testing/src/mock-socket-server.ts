import type { WebSocketData, WebSocketHandlerConnection } from 'msw';
import { ChannelLog } from './channel-log';
import { DelayedOutbox } from './delayed-outbox';
import { linkFor } from './links';
import type {
  ClientPublish,
  MockClient,
  MockFrame,
  MockSocketServer,
  MockSocketServerOptions,
  NackOptions,
  RefusalOptions,
} from './types';

type MswClient = WebSocketHandlerConnection['client'];

interface Session {
  readonly id: string;
  /** Ids of publishes already accepted: a resent one is acked again, not delivered twice. */
  readonly accepted: Set<string>;
}

interface NackRule {
  readonly predicate: (publish: ClientPublish) => boolean;
  readonly code: string;
  readonly reason: string;
}

interface SubscriptionRule {
  readonly matches: (channel: string) => boolean;
  readonly code: string;
  readonly reason: string | undefined;
}

interface Connected extends MockClient {
  readonly channels: Set<string>;
  session: Session | undefined;
  announced: boolean;
  readonly outbox: DelayedOutbox<WebSocketData>;
}

const DEFAULT_REPLAY = 100;

/**
 * A mock Socketboard server for your tests, on msw's WebSocket interception: register its `handler`
 * with `setupServer()` (jsdom, happy-dom, Node) or `setupWorker()` (browser, Storybook), point your
 * `SocketProvider`/`createConnection` at `url`, then publish, inspect what the app sent, and script
 * faults (`drop`, `stall`, `refuseNext`, `delay`, `nack`, `refuseSubscription`).
 *
 * Everything runs on msw's microtasks; the only timers are `delay()`'s, on the global `setTimeout`,
 * so Vitest's fake timers work.
 *
 * @throws {TypeError} when `url` or an option is invalid.
 */
export function createMockSocketServer(url: string, options: MockSocketServerOptions = {}): MockSocketServer {
  if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) {
    throw new TypeError(`createMockSocketServer(url) needs a ws:// or wss:// URL, got ${JSON.stringify(url)}.`);
  }
  const protocol = options.protocol ?? 'v1';
  if (protocol !== 'v1' && protocol !== 'raw') {
    throw new TypeError(
      `createMockSocketServer: options.protocol must be 'v1' or 'raw', got ${JSON.stringify(protocol)}.`,
    );
  }
  const replayLimit = options.replay ?? DEFAULT_REPLAY;
  if (!Number.isInteger(replayLimit) || replayLimit < 0) {
    throw new TypeError(
      `createMockSocketServer: options.replay must be a whole number >= 0, got ${String(replayLimit)}.`,
    );
  }
  const echo = options.echo ?? true;
  const encodeRaw = options.encode ?? ((_channel: string, data: unknown) => JSON.stringify(data));
  const channelOf = options.channelOf ?? defaultChannelOf;
  const onMessage = options.onMessage;

  const connected = new Set<Connected>();
  const logs = new Map<string, ChannelLog>();
  const rawSeqs = new Map<string, number>();
  const sessions = new Map<string, Session>();
  const rules: NackRule[] = [];
  const subscriptionRules: SubscriptionRule[] = [];
  const waiters = new Map<string, (() => void)[]>();
  let inboundLog: unknown[] = [];
  let sentLog: unknown[] = [];
  let publishLog: ClientPublish[] = [];
  let connections = 0;
  let duplicates = 0;
  let sessionCount = 0;
  let refusals = { left: 0, code: 1013, reason: '' };
  let stalled = false;
  let delayMs = 0;

  const logOf = (channel: string): ChannelLog => {
    let log = logs.get(channel);
    if (log === undefined) {
      log = new ChannelLog(channel, replayLimit);
      logs.set(channel, log);
    }
    return log;
  };

  const sendTo = (client: Connected, frame: unknown) => client.outbox.send(toWire(frame), delayMs);

  const accept = (socket: MswClient) => {
    connections++;
    if (refusals.left > 0) {
      refusals.left--;
      // Closed inside the connection listener, the socket never opens: like a refused handshake.
      socket.close(refusals.code, refusals.reason);
      return;
    }
    const client: Connected = {
      id: socket.id,
      url: socket.url.href,
      channels: new Set(),
      session: undefined,
      announced: false,
      get sessionId() {
        return this.session?.id;
      },
      outbox: new DelayedOutbox<WebSocketData>((frame) => {
        // Checked on delivery, so frames already under way when the stall began are lost too.
        if (stalled || !connected.has(client)) return;
        sentLog.push(parse(frame));
        socket.send(frame);
      }),
      send: (frame) => sendTo(client, frame),
      close: (code = 1000, reason = '') => {
        forget(client);
        socket.close(code, reason);
      },
    };
    connected.add(client);
    socket.addEventListener('message', (event) => {
      if (stalled || !connected.has(client)) return;
      const message = parse(event.data);
      inboundLog.push(message);
      if (protocol === 'v1') handleV1(client, message);
      onMessage?.(message, client);
    });
    socket.addEventListener('close', () => forget(client));
  };

  const forget = (client: Connected) => {
    connected.delete(client);
    client.outbox.clear();
  };

  // ---------------------------------------------------------------------------------------------
  // Protocol v1

  const handleV1 = (client: Connected, message: unknown) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      sendTo(client, { t: 'err', code: 'bad-frame', reason: 'expected a JSON object with a "t" key' });
      return;
    }
    const frame = message as MockFrame;
    switch (frame.t) {
      case 'hello':
        return hello(client, frame.sid);
      case 'sub':
        if (!isChannel(frame.ch)) return badFrame(client, 'sub.ch must be a non-empty string');
        return subscribe(client, frame.ch, isSeq(frame.since) ? frame.since : undefined);
      case 'unsub':
        if (!isChannel(frame.ch)) return badFrame(client, 'unsub.ch must be a non-empty string');
        client.channels.delete(frame.ch);
        return;
      case 'pub': {
        const id = typeof frame.id === 'string' && frame.id.length > 0 ? frame.id : undefined;
        if (!isChannel(frame.ch)) {
          const reason = 'pub.ch must be a non-empty string';
          if (id === undefined) return badFrame(client, reason);
          return sendTo(client, { t: 'nack', id, code: 'bad-frame', reason });
        }
        return publishFromClient(client, { channel: frame.ch, data: frame.d, id });
      }
      case 'ping':
        sendTo(client, typeof frame.ts === 'number' ? { t: 'pong', ts: frame.ts } : { t: 'pong' });
        return;
      case 'auth':
        // Accepted as is; tests read the token from `inbound('auth')`.
        return;
      default:
        badFrame(client, `unknown frame type ${JSON.stringify(frame.t)}`);
    }
  };

  const badFrame = (client: Connected, reason: string) => sendTo(client, { t: 'err', code: 'bad-frame', reason });

  const hello = (client: Connected, sid: unknown) => {
    if (client.announced) return badFrame(client, 'hello was already sent on this connection');
    client.announced = true;
    const known = typeof sid === 'string' ? sessions.get(sid) : undefined;
    // Publishes before hello ran in an implicit session; it becomes the announced one.
    const session = known ?? client.session ?? newSession();
    client.session = session;
    sendTo(client, { t: 'welcome', sid: session.id, resumed: known !== undefined });
  };

  const newSession = (): Session => {
    const session = { id: `mock-session-${++sessionCount}`, accepted: new Set<string>() };
    sessions.set(session.id, session);
    return session;
  };

  const subscribe = (client: Connected, channel: string, since: number | undefined) => {
    const refusal = subscriptionRules.find((rule) => rule.matches(channel));
    if (refusal !== undefined) {
      // As the real server answers a subscription its authorization refuses: no subd, no data.
      client.channels.delete(channel);
      const reason = refusal.reason ?? `may not subscribe to ${JSON.stringify(channel)}`;
      return sendTo(client, { t: 'err', code: refusal.code, reason, ch: channel });
    }
    client.channels.add(channel);
    const replay = logOf(channel).replay(since);
    for (const message of replay.messages) client.outbox.send(message.frame, delayMs);
    sendTo(client, { t: 'subd', ch: channel, seq: replay.seq, resumed: replay.resumed });
    const waiting = waiters.get(channel);
    if (waiting !== undefined) {
      waiters.delete(channel);
      for (const resolve of waiting) resolve();
    }
  };

  const publishFromClient = (client: Connected, publish: ClientPublish) => {
    const { channel, id } = publish;
    // Deduplication comes first, as on the real server: a resend is answered like the original was.
    if (id !== undefined && client.session?.accepted.has(id) === true) {
      duplicates++;
      sendTo(client, { t: 'ack', id });
      return;
    }
    const rule = rules.find((candidate) => candidate.predicate(publish));
    if (rule !== undefined) {
      // A nacked id is not remembered: sending it again is a new attempt.
      sendTo(
        client,
        id === undefined
          ? { t: 'err', code: rule.code, reason: rule.reason, ch: channel }
          : { t: 'nack', id, code: rule.code, reason: rule.reason },
      );
      return;
    }
    if (id !== undefined) {
      // A client that never sent hello gets an implicit session for the life of its connection.
      client.session ??= newSession();
      client.session.accepted.add(id);
    }
    publishLog.push(publish);
    if (echo) publishV1(channel, publish.data);
    if (id !== undefined) sendTo(client, { t: 'ack', id });
  };

  const publishV1 = (channel: string, data: unknown): number => {
    const message = logOf(channel).append(data);
    for (const client of connected) if (client.channels.has(channel)) client.outbox.send(message.frame, delayMs);
    return message.seq;
  };

  // ---------------------------------------------------------------------------------------------
  // Public API

  const channelFilter = (channel: string | undefined) => (publish: ClientPublish) =>
    channel === undefined || publish.channel === channel;

  const server: MockSocketServer = {
    url,
    protocol,
    handler: linkFor(url).addEventListener('connection', ({ client }) => accept(client)),
    get clients() {
      return connected.size;
    },
    get sockets() {
      return [...connected];
    },
    get connections() {
      return connections;
    },
    get duplicates() {
      return duplicates;
    },
    subscribers(channel) {
      let count = 0;
      for (const client of connected) if (client.channels.has(channel)) count++;
      return count;
    },
    whenSubscribed(channel) {
      if (server.subscribers(channel) > 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiting = waiters.get(channel);
        if (waiting === undefined) waiters.set(channel, [resolve]);
        else waiting.push(resolve);
      });
    },
    publish(channel, data) {
      if (!isChannel(channel)) {
        throw new TypeError(`publish(channel, data) needs a non-empty channel name, got ${JSON.stringify(channel)}.`);
      }
      if (protocol === 'v1') return publishV1(channel, data);
      const seq = (rawSeqs.get(channel) ?? 0) + 1;
      rawSeqs.set(channel, seq);
      const frame = encodeRaw(channel, data);
      for (const client of connected) client.outbox.send(frame, delayMs);
      return seq;
    },
    broadcast(frame) {
      const wire = toWire(frame);
      for (const client of connected) client.outbox.send(wire, delayMs);
    },
    received<T>(channel?: string) {
      if (protocol === 'raw') {
        return (channel === undefined ? inboundLog : inboundLog.filter((m) => channelOf(m) === channel)) as T[];
      }
      return publishLog.filter(channelFilter(channel)).map((publish) => publish.data as T);
    },
    publishes<T>(channel?: string) {
      if (protocol === 'raw') {
        return server
          .received(channel)
          .map((data) => ({ channel: channelOf(data) ?? '', data: data as T, id: undefined }));
      }
      return publishLog.filter(channelFilter(channel)) as ClientPublish<T>[];
    },
    inbound<T>(filter?: string) {
      if (filter === undefined) return [...inboundLog] as T[];
      return (protocol === 'raw' ? server.received(filter) : inboundLog.filter((f) => typeOf(f) === filter)) as T[];
    },
    sent<T>(filter?: string) {
      return (filter === undefined ? [...sentLog] : sentLog.filter((f) => typeOf(f) === filter)) as T[];
    },
    clearLogs() {
      inboundLog = [];
      sentLog = [];
      publishLog = [];
    },
    drop(code = 1012, reason = 'service restart') {
      for (const client of [...connected]) client.close(code, reason);
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
    },
    refuseNext(count = 1, code = 1013, reason = 'try again later') {
      if (!(Number.isInteger(count) || count === Infinity) || count < 0) {
        throw new TypeError(`refuseNext(count) needs a whole number >= 0 or Infinity, got ${String(count)}.`);
      }
      refusals = { left: count, code, reason };
    },
    delay(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`delay(ms) needs a number >= 0, got ${String(ms)}.`);
      delayMs = ms;
    },
    nack(predicate, nackOptions: NackOptions = {}) {
      if (typeof predicate !== 'function') throw new TypeError('nack(predicate) needs a function.');
      const rule: NackRule = {
        predicate,
        code: nackOptions.code ?? 'rejected',
        reason: nackOptions.reason ?? 'rejected by the mock server',
      };
      rules.push(rule);
      return () => {
        const index = rules.indexOf(rule);
        if (index >= 0) rules.splice(index, 1);
      };
    },
    refuseSubscription(channel, refusal: RefusalOptions = {}) {
      if (typeof channel !== 'function' && !isChannel(channel)) {
        throw new TypeError(
          `refuseSubscription(channel) needs a channel name or a function, got ${JSON.stringify(channel)}.`,
        );
      }
      const rule: SubscriptionRule = {
        matches: typeof channel === 'function' ? channel : (candidate) => candidate === channel,
        code: refusal.code ?? 'forbidden',
        reason: refusal.reason,
      };
      subscriptionRules.push(rule);
      return () => {
        const index = subscriptionRules.indexOf(rule);
        if (index >= 0) subscriptionRules.splice(index, 1);
      };
    },
  };
  return server;
}

function toWire(frame: unknown): WebSocketData {
  if (typeof frame === 'string' || frame instanceof ArrayBuffer || frame instanceof Blob) return frame;
  if (ArrayBuffer.isView(frame)) return frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
  const json = JSON.stringify(frame);
  if (json === undefined) throw new TypeError(`Cannot send ${typeof frame} as a frame: it has no JSON form.`);
  return json;
}

/** Text frames are logged parsed when they are JSON, as the string otherwise; binary as it came. */
function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function typeOf(frame: unknown): unknown {
  return typeof frame === 'object' && frame !== null ? (frame as MockFrame).t : undefined;
}

function defaultChannelOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as MockFrame;
  for (const key of ['channel', 'ch', 'type']) {
    const value = m[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function isChannel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { Emitter } from '@socketboard/core/emitter';
import { SOCKETBOARD_V1 } from '@socketboard/core/protocol';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { Broker } from './broker';
import { isValidChannelName } from './channel-name';
import { BINARY_FRAME, decodeClientFrame, encodeAck, encodeErr, encodeNack, encodePong, encodeWelcome } from './codec';
import type { ClientFrame } from './codec';
import { ClientConnection } from './connection';
import { ChannelHub } from './channel-hub';
import { SocketServerError } from './errors';
import { messageOf } from './describe-error';
import { UpgradeGate } from './upgrade-gate';
import { brokerHealthOf, emptyCounters } from './metrics';
import type { ServerMetrics } from './metrics';
import type { CloseOptions, SocketServer, SocketServerEvents } from './socket-server';
import type { SocketServerOptions } from './options';
import { resolveServerOptions } from './resolve-options';
import type { ResolvedServerOptions } from './resolve-options';

const ERR_UNAUTHENTICATED = 'authenticate first: send an `auth` frame';

/**
 * Creates a Socketboard server (wire protocol v1) on `ws`.
 *
 * @throws {SocketServerConfigError} when an option is invalid, naming the option.
 */
export function createSocketServer<P = unknown>(options: SocketServerOptions<P> = {}): SocketServer<P> {
  return new SocketServerImpl<P>(resolveServerOptions(options));
}

class SocketServerImpl<P> implements SocketServer<P> {
  readonly ready: Promise<AddressInfo>;
  readonly broker: Broker;

  private readonly o: ResolvedServerOptions<P>;
  private readonly wss: WebSocketServer;
  private readonly http: HttpServer | HttpsServer;
  private readonly ownsHttp: boolean;
  private readonly counters = emptyCounters();
  private readonly events: Emitter<SocketServerEvents<P>>;
  private readonly connections = new Set<ClientConnection<P>>();
  private readonly channels: ChannelHub;
  private readonly gate: UpgradeGate<P>;
  private readonly onUpgradeBound = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    void this.gate.handle(request, socket, head);
  };
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly stopWatchingBroker: (() => void) | undefined;
  private nextId = 0;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(options: ResolvedServerOptions<P>) {
    this.o = options;
    this.broker = options.broker;
    this.channels = new ChannelHub(options.broker, (error, connection) =>
      this.brokerFailed(error, connection as ClientConnection<P> | undefined),
    );
    // A broker that lost its store says so once, not once per refused frame; recovery is silent.
    this.stopWatchingBroker = options.broker.onHealthChange?.((health, error) => {
      if (health.status === 'ok') return;
      const detail = health.reason === undefined ? '' : ` (${health.reason})`;
      this.report('broker', `the broker is ${health.status}${detail}`, error);
    });
    this.events = new Emitter<SocketServerEvents<P>>((error, event) => {
      if (event === 'error') {
        // Reporting an error listener's failure to itself would loop.
        this.counters.errors += 1;
        return;
      }
      this.report('listener', `an on('${String(event)}') listener threw: ${messageOf(error)}`, error);
    });
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: options.maxPayload,
      perMessageDeflate:
        options.perMessageDeflate === undefined ? false : { threshold: options.perMessageDeflate.threshold },
      // The auth subprotocol is never echoed back: only the protocol itself is selected.
      handleProtocols: (offered) => (offered.has(SOCKETBOARD_V1) ? SOCKETBOARD_V1 : false),
    });
    if (options.server !== undefined) {
      this.http = options.server;
      this.ownsHttp = false;
    } else {
      this.http = createServer((_request, response) => {
        response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
        response.end('This is a WebSocket endpoint (socketboard.v1): upgrade required.\n');
      });
      this.ownsHttp = true;
    }
    const http = this.http;
    this.gate = new UpgradeGate<P>({
      options,
      shared: !this.ownsHttp,
      listenerCount: () => http.listenerCount('upgrade'),
      isClosing: () => this.closing !== undefined,
      openConnections: () => this.connections.size,
      expiryOf: (principal) => this.expiryOf(principal),
      onRefused: (request, status, reason) => this.onRefused(request, status, reason),
      report: (code, message, cause) => this.report(code, message, cause),
      accept: (request, socket, head, principal, authenticated) =>
        this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request, principal, authenticated)),
    });
    http.on('upgrade', this.onUpgradeBound);
    this.ready = this.listen();
    // `ready` may never be awaited; a failure is also reported on 'error', never as an unhandled rejection.
    this.ready.catch((error: unknown) => this.report('listen', messageOf(error), error));
    if (options.heartbeat !== undefined) {
      this.heartbeatTimer = setInterval(() => this.beat(), options.heartbeat.intervalMs);
      this.heartbeatTimer.unref();
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Lifecycle

  private listen(): Promise<AddressInfo> {
    const server = this.http;
    const addressOf = (): AddressInfo => {
      const address = server.address();
      if (address !== null && typeof address === 'object') return address;
      // A pipe or socket path: there is no port.
      return { address: address ?? '', family: 'unix', port: 0 };
    };
    if (!this.ownsHttp) {
      if (server.listening) return Promise.resolve(addressOf());
      return new Promise((resolve, reject) => {
        const onListening = (): void => {
          server.off('error', onError);
          resolve(addressOf());
        };
        const onError = (error: Error): void => {
          server.off('listening', onListening);
          reject(error);
        };
        server.once('listening', onListening);
        server.once('error', onError);
      });
    }
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(
          new SocketServerError('listen', `Cannot listen on ${this.o.host}:${this.o.port} (${error.message}).`, {
            cause: error,
          }),
        );
      };
      server.once('error', onError);
      server.listen(this.o.port, this.o.host, () => {
        server.off('error', onError);
        // Later errors of our own server (rare: EMFILE) are reported rather than thrown.
        server.on('error', (error) => this.report('http', error.message, error));
        resolve(addressOf());
      });
    });
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options);
    return this.closing;
  }

  private async shutdown({
    code = 1001,
    reason = 'server shutting down',
    drainMs = 5_000,
  }: CloseOptions): Promise<void> {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    // On a shared server the upgrade handler stays until the end, answering 503 meanwhile.
    this.gate.refuseWaiting();
    let httpClosed: Promise<void> = Promise.resolve();
    if (this.ownsHttp && this.http.listening) {
      const server = this.http;
      httpClosed = new Promise((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
    }
    if (this.connections.size > 0) {
      const allGone = new Promise<void>((resolve) => (this.drained = resolve));
      for (const connection of this.connections) connection.close(code, reason);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([allGone, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
      for (const connection of this.connections) connection.terminate();
      if (this.connections.size > 0) await allGone;
    }
    if (this.ownsHttp) {
      (this.http as HttpServer).closeAllConnections();
      await httpClosed;
    }
    await this.channels.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.off('upgrade', this.onUpgradeBound);
    this.stopWatchingBroker?.();
    if (this.o.ownsBroker) await this.broker.close();
  }

  metrics(): ServerMetrics {
    return {
      ...this.counters,
      connections: this.connections.size,
      channels: this.channels.size,
      broker: brokerHealthOf(this.broker.health?.bind(this.broker)),
    };
  }

  on<E extends keyof SocketServerEvents<P>>(event: E, listener: SocketServerEvents<P>[E]): () => void {
    return this.events.on(event, listener);
  }

  async publish(channel: string, data: unknown): Promise<number> {
    if (this.closing !== undefined) {
      throw new SocketServerError('closed', 'The socket server is closed (or closing); create a new one.');
    }
    if (!isValidChannelName(channel)) {
      throw new SocketServerError(
        'bad-channel',
        `publish(${JSON.stringify(channel)}): channel names are 1–128 characters of A-Z a-z 0-9 _ . : / -.`,
      );
    }
    const payload = serialize(data);
    if (payload === undefined) {
      throw new SocketServerError(
        'unserializable',
        `publish("${channel}"): the data has no JSON form (BigInt, a cycle, a function or undefined). Publish plain JSON values.`,
      );
    }
    const message = await this.broker.publish(channel, payload);
    this.counters.published += 1;
    return message.seq;
  }

  private onRefused(request: IncomingMessage, status: number, reason: string): void {
    this.counters.rejectedUpgrades += 1;
    if (this.events.has('rejected')) this.events.emit('rejected', { status, reason, request });
  }

  private expiryOf(principal: P): number | undefined {
    if (this.o.principalExpiresAt === undefined) return undefined;
    try {
      const at = this.o.principalExpiresAt(principal);
      return typeof at === 'number' && !Number.isNaN(at) ? at : undefined;
    } catch (error) {
      this.report('hook', `principalExpiresAt threw: ${messageOf(error)}`, error);
      return undefined;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Connections

  private onConnection(
    ws: WebSocket,
    request: IncomingMessage,
    principal: P | undefined,
    authenticated: boolean,
  ): void {
    if (this.closing !== undefined) {
      ws.terminate();
      return;
    }
    const connection = new ClientConnection<P>({
      id: (++this.nextId).toString(36),
      ws,
      request,
      principal,
      authenticated,
      metrics: this.counters,
      slowConsumer: this.o.slowConsumer,
      rateLimit: this.o.rateLimit,
      batch: this.o.batch,
      now: performance.now(),
      handle: (c, frame) => this.handleFrame(c as ClientConnection<P>, frame),
      onHandlerError: (error, c) =>
        this.report('internal', `handling a frame failed: ${messageOf(error)}`, error, c as ClientConnection<P>),
    });
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    ws.on('pong', () => (connection.alive = true));
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error (1009 for maxPayload, 1007 for bad UTF-8…).
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.counters.oversizeFrames += 1;
      else if (error.code?.startsWith('WS_ERR_') === true) this.counters.malformedFrames += 1;
    });
    ws.on('close', (code, reason) => this.onClosed(connection, code, reason.toString()));
    if (!authenticated) {
      connection.authTimer = setTimeout(() => {
        if (!connection.authenticated) this.policyClose(connection, 'auth timeout: no valid `auth` frame');
      }, this.o.authTimeoutMs);
    } else if (principal !== undefined) {
      this.armExpiry(connection);
    }
    this.events.emit('connection', connection);
  }

  private onClosed(connection: ClientConnection<P>, code: number, reason: string): void {
    if (connection.state === 'closed') return;
    connection.state = 'closed';
    connection.clearTimers();
    this.connections.delete(connection);
    this.channels.unsubscribeAll(connection);
    if (connection.sessionHeld && connection.sessionId !== undefined) {
      connection.sessionHeld = false;
      this.broker.releaseSession(connection.sessionId).catch((error: unknown) => this.brokerFailed(error, connection));
    }
    this.events.emit('disconnect', connection, { code, reason });
    if (this.connections.size === 0) this.drained?.();
  }

  private armExpiry(connection: ClientConnection<P>): void {
    clearTimeout(connection.expiryTimer);
    connection.expiryTimer = undefined;
    if (connection.principal === undefined) return;
    const at = this.expiryOf(connection.principal);
    if (at === undefined) return;
    // Timers cap at ~24.8 days; a later expiry is re-armed when this one fires.
    const delay = Math.min(Math.max(0, at - Date.now()), 2_147_483_647);
    connection.expiryTimer = setTimeout(() => {
      if (Date.now() < at) return this.armExpiry(connection);
      this.counters.authFailures += 1;
      // 4001: the client's close policy fetches a fresh token and reconnects.
      connection.close(4001, 'auth expired');
    }, delay);
  }

  private policyClose(connection: ClientConnection<P>, reason: string): void {
    if (connection.state !== 'open') return;
    this.counters.policyCloses += 1;
    connection.close(1008, reason);
  }

  private beat(): void {
    for (const connection of this.connections) {
      if (connection.state === 'closed') continue;
      if (!connection.alive) {
        this.counters.heartbeatTimeouts += 1;
        connection.terminate();
        continue;
      }
      connection.alive = false;
      try {
        connection.ws.ping();
      } catch {
        // Not open any more: its close event is on the way.
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Inbound frames. Checks that need no waiting happen on arrival; the rest in order, per connection.

  private onMessage(connection: ClientConnection<P>, data: RawData, isBinary: boolean): void {
    const counters = this.counters;
    counters.messagesIn += 1;
    counters.bytesIn += byteLengthOf(data);
    connection.alive = true;
    if (connection.state !== 'open') return;
    const frame = isBinary ? BINARY_FRAME : decodeClientFrame(textOf(data));
    if (connection.bucket !== undefined) {
      const now = performance.now();
      if (!connection.bucket.take(now)) {
        counters.rateLimited += 1;
        this.refuseFrame(connection, frame, 'rate-limited', 'rate limit exceeded: slow down');
        if (connection.refused.hit(now) > this.o.rateLimit!.closeAfter) {
          this.policyClose(connection, 'rate limit exceeded');
        }
        return;
      }
    }
    if (frame.t === 'invalid') {
      counters.malformedFrames += 1;
      if (frame.id !== undefined) connection.send(encodeNack(frame.id, frame.code, frame.reason));
      else connection.send(encodeErr(frame.code, frame.reason, frame.ch));
      if (connection.malformed.hit(performance.now()) > this.o.maxMalformedPerSecond) {
        this.policyClose(connection, 'too many malformed frames');
      }
      return;
    }
    // A liveness probe: answered at once, even before auth, so RTT samples are not skewed by the queue.
    if (frame.t === 'ping') {
      connection.send(encodePong(frame.ts));
      return;
    }
    connection.enqueue(frame);
  }

  /** Answers a frame that will not be handled: `nack` for a publish with an id, else `err` (with `ch` when it named one). */
  private refuseFrame(
    connection: ClientConnection<P>,
    frame: ClientFrame | { t: 'invalid'; ch?: string; id?: string },
    code: string,
    reason: string,
  ): void {
    const id = frame.t === 'pub' || frame.t === 'invalid' ? frame.id : undefined;
    if (typeof id === 'string') {
      connection.send(encodeNack(id, code, reason));
      return;
    }
    const ch = 'ch' in frame && typeof frame.ch === 'string' ? frame.ch : undefined;
    connection.send(encodeErr(code, reason, ch));
  }

  private handleFrame(connection: ClientConnection<P>, frame: ClientFrame): Promise<void> | undefined {
    if (!connection.authenticated && frame.t !== 'auth' && frame.t !== 'hello') {
      this.refuseFrame(connection, frame, 'unauthenticated', ERR_UNAUTHENTICATED);
      return undefined;
    }
    switch (frame.t) {
      case 'pub':
        return this.handlePublish(connection, frame.ch, frame.d, frame.id ?? undefined);
      case 'sub':
        return this.handleSubscribe(connection, frame.ch, frame.since ?? undefined);
      case 'unsub': {
        const subscription = connection.subscriptions.get(frame.ch);
        if (subscription !== undefined) this.channels.unsubscribe(subscription);
        return undefined;
      }
      case 'hello':
        return this.handleHello(connection, frame.sid ?? undefined);
      case 'auth':
        return this.handleAuth(connection, frame.token);
      case 'ping':
        connection.send(encodePong(frame.ts));
        return undefined;
    }
  }

  private async handleAuth(connection: ClientConnection<P>, token: string): Promise<void> {
    // Without the hook the token was judged at the upgrade (or auth is off): nothing to do.
    if (this.o.authenticateToken === undefined) return;
    let principal: P | undefined;
    try {
      principal = await this.o.authenticateToken(token, connection.request);
    } catch {
      principal = undefined;
    }
    if (connection.state !== 'open') return;
    const expiresAt = principal == null ? undefined : this.expiryOf(principal);
    if (principal == null || (expiresAt !== undefined && expiresAt <= Date.now())) {
      this.counters.authFailures += 1;
      connection.close(4001, 'auth failed: invalid or expired token');
      return;
    }
    connection.principal = principal;
    connection.authenticated = true;
    clearTimeout(connection.authTimer);
    connection.authTimer = undefined;
    this.armExpiry(connection);
  }

  private async handleHello(connection: ClientConnection<P>, sid: string | undefined): Promise<void> {
    if (connection.sessionAnnounced) {
      this.counters.malformedFrames += 1;
      connection.send(encodeErr('bad-frame', 'hello was already sent on this connection'));
      return;
    }
    if (connection.sessionId !== undefined && sid === undefined) {
      // Publishes before hello used an implicit session; it becomes the announced one, dedupe intact.
      connection.sessionAnnounced = true;
      connection.send(encodeWelcome(connection.sessionId, false));
      return;
    }
    let result;
    try {
      result = await this.broker.openSession(sid);
    } catch (error) {
      this.brokerFailed(error, connection);
      connection.send(encodeErr('unavailable', 'sessions are unavailable right now; publishes are not deduplicated'));
      return;
    }
    if (connection.state !== 'open') {
      this.broker.releaseSession(result.sid).catch((error: unknown) => this.brokerFailed(error, connection));
      return;
    }
    this.releaseHeldSession(connection);
    connection.sessionId = result.sid;
    connection.sessionHeld = true;
    connection.sessionAnnounced = true;
    connection.send(encodeWelcome(result.sid, result.resumed));
  }

  private releaseHeldSession(connection: ClientConnection<P>): void {
    if (!connection.sessionHeld || connection.sessionId === undefined) return;
    connection.sessionHeld = false;
    this.broker.releaseSession(connection.sessionId).catch((error: unknown) => this.brokerFailed(error, connection));
  }

  private async handlePublish(
    connection: ClientConnection<P>,
    channel: string,
    data: unknown,
    id: string | undefined,
  ): Promise<void> {
    let claimed: string | undefined;
    let accepted = false;
    try {
      if (id !== undefined) {
        const sid = await this.sessionOf(connection);
        if ((await this.broker.claim(sid, id)) === 'accepted') {
          this.counters.duplicates += 1;
          connection.send(encodeAck(id));
          return;
        }
        claimed = sid;
      }
      if (!(await this.allowed(connection, channel, 'publish'))) {
        this.refuseFrame(
          connection,
          { t: 'pub', ch: channel, d: data, id },
          'forbidden',
          `may not publish on "${channel}"`,
        );
        return;
      }
      let payloadData = data;
      if (this.o.onPublish !== undefined) {
        const decision = await this.o.onPublish({ principal: connection.principal, channel, data, id, connection });
        if (decision != null && 'reject' in decision) {
          const code = typeof decision.code === 'string' && decision.code.length > 0 ? decision.code : 'rejected';
          this.refuseFrame(connection, { t: 'pub', ch: channel, d: data, id }, code, String(decision.reject));
          return;
        }
        if (decision != null && 'data' in decision) payloadData = decision.data;
      }
      const payload = serialize(payloadData);
      if (payload === undefined) throw new Error('onPublish returned data that has no JSON form');
      await this.broker.publish(channel, payload);
      accepted = true;
      this.counters.published += 1;
      if (id !== undefined) connection.send(encodeAck(id));
    } catch (error) {
      this.report('publish', `a publish on "${channel}" failed: ${messageOf(error)}`, error, connection);
      this.refuseFrame(
        connection,
        { t: 'pub', ch: channel, d: data, id },
        'unavailable',
        'the server could not take this publish; retry',
      );
    } finally {
      if (claimed !== undefined && id !== undefined) {
        await this.broker.settle(claimed, id, accepted).catch((error: unknown) => this.brokerFailed(error, connection));
      }
    }
  }

  /** The connection's session, opening an implicit one for a client that never sent `hello`. */
  private async sessionOf(connection: ClientConnection<P>): Promise<string> {
    if (connection.sessionId !== undefined) return connection.sessionId;
    const { sid } = await this.broker.openSession(undefined);
    if (connection.state === 'closed') {
      await this.broker.releaseSession(sid);
    } else {
      connection.sessionId = sid;
      connection.sessionHeld = true;
    }
    return sid;
  }

  private async allowed(
    connection: ClientConnection<P>,
    channel: string,
    action: 'subscribe' | 'publish',
  ): Promise<boolean> {
    if (this.o.authorize === undefined) return true;
    return (await this.o.authorize(connection.principal, channel, action)) === true;
  }

  // -----------------------------------------------------------------------------------------------
  // Channels

  private async handleSubscribe(
    connection: ClientConnection<P>,
    channel: string,
    since: number | undefined,
  ): Promise<void> {
    const existing = connection.subscriptions.get(channel);
    if (existing === undefined && connection.subscriptions.size >= this.o.maxChannelsPerConnection) {
      connection.send(
        encodeErr('too-many-channels', `at most ${this.o.maxChannelsPerConnection} channels per connection`, channel),
      );
      return;
    }
    let allowed: boolean;
    try {
      allowed = await this.allowed(connection, channel, 'subscribe');
    } catch (error) {
      this.report('hook', `authorize threw: ${messageOf(error)}`, error, connection);
      allowed = false;
    }
    if (!allowed) {
      connection.send(encodeErr('forbidden', `may not subscribe to "${channel}"`, channel));
      return;
    }
    if (connection.state !== 'open') return;
    // A second `sub` restarts the subscription from its `since`.
    return this.channels.subscribe(connection, channel, since);
  }

  // -----------------------------------------------------------------------------------------------
  // Reporting

  private brokerFailed(error: unknown, connection?: ClientConnection<P>): void {
    this.report('broker', `the broker failed: ${messageOf(error)}`, error, connection);
  }

  private report(code: string, message: string, cause?: unknown, connection?: ClientConnection<P>): void {
    this.counters.errors += 1;
    if (!this.events.has('error')) return;
    const error = cause instanceof SocketServerError ? cause : new SocketServerError(code, message, { cause });
    this.events.emit('error', error, connection);
  }
}

function serialize(data: unknown): string | undefined {
  try {
    return JSON.stringify(data);
  } catch {
    return undefined;
  }
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function byteLengthOf(data: RawData): number {
  if (Array.isArray(data)) {
    let n = 0;
    for (const part of data) n += part.length;
    return n;
  }
  return data.byteLength;
}

import type { IncomingMessage } from 'node:http';
import type { Broker } from './broker';
import { SocketServerConfigError } from './errors';
import { createMemoryBroker } from './memory-broker';
import { DEFAULT_SERVER_OPTIONS } from './options';
import type {
  BatchOptions,
  HeartbeatOptions,
  PerMessageDeflateOptions,
  RateLimitOptions,
  SlowConsumerOptions,
  SocketServerOptions,
} from './options';

export interface ResolvedServerOptions<P> {
  readonly server: SocketServerOptions<P>['server'];
  readonly port: number;
  readonly host: string;
  readonly path: string | undefined;
  readonly authenticate: SocketServerOptions<P>['authenticate'];
  readonly authenticateToken: SocketServerOptions<P>['authenticateToken'];
  readonly authTimeoutMs: number;
  readonly principalExpiresAt: SocketServerOptions<P>['principalExpiresAt'];
  readonly authorize: SocketServerOptions<P>['authorize'];
  readonly allowOrigin: ((origin: string | undefined, request: IncomingMessage) => boolean) | undefined;
  readonly maxPayload: number;
  readonly maxConnections: number;
  readonly maxChannelsPerConnection: number;
  readonly rateLimit: RateLimitOptions | undefined;
  readonly maxMalformedPerSecond: number;
  readonly heartbeat: HeartbeatOptions | undefined;
  readonly slowConsumer: SlowConsumerOptions;
  readonly broker: Broker;
  /** The server created the broker, so it closes it too. */
  readonly ownsBroker: boolean;
  readonly onPublish: SocketServerOptions<P>['onPublish'];
  readonly perMessageDeflate: PerMessageDeflateOptions | undefined;
  /** `undefined`: one WebSocket message per frame. */
  readonly batch: BatchOptions | undefined;
  readonly handshakeTimeoutMs: number;
}

/** Validates options and fills in defaults. @throws {SocketServerConfigError} naming the first bad option. */
export function resolveServerOptions<P>(options: SocketServerOptions<P>): ResolvedServerOptions<P> {
  if (typeof options !== 'object' || options === null) {
    throw new SocketServerConfigError('options', 'createSocketServer needs an options object, e.g. `{ port: 8080 }`.');
  }
  const d = DEFAULT_SERVER_OPTIONS;
  if (options.server !== undefined && options.port !== undefined) {
    throw new SocketServerConfigError('port', 'give either `server` (attach) or `port` (listen), not both.');
  }
  if (options.server !== undefined && typeof (options.server as { on?: unknown }).on !== 'function') {
    throw new SocketServerConfigError('server', 'must be a node:http or node:https Server.');
  }
  const port = options.port ?? d.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SocketServerConfigError('port', `must be an integer 0–65535, got ${String(port)}.`);
  }
  const host = options.host ?? d.host;
  if (typeof host !== 'string' || host.length === 0)
    throw new SocketServerConfigError('host', 'must be a non-empty string.');
  const path = options.path;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new SocketServerConfigError('path', `must start with "/", got ${JSON.stringify(path)}.`);
  }
  fn('authenticate', options.authenticate);
  fn('authenticateToken', options.authenticateToken);
  fn('principalExpiresAt', options.principalExpiresAt);
  fn('authorize', options.authorize);
  fn('onPublish', options.onPublish);

  let allowOrigin: ResolvedServerOptions<P>['allowOrigin'];
  const origins = options.allowOrigins;
  if (typeof origins === 'function') allowOrigin = origins;
  else if (Array.isArray(origins)) {
    if (!origins.every((o) => typeof o === 'string')) {
      throw new SocketServerConfigError('allowOrigins', 'must be a list of origin strings or a predicate.');
    }
    const allowed = new Set(origins);
    allowOrigin = (origin) => origin === undefined || allowed.has(origin);
  } else if (origins !== undefined) {
    throw new SocketServerConfigError('allowOrigins', 'must be a list of origin strings or a predicate.');
  }

  let rateLimit: RateLimitOptions | undefined;
  if (options.rateLimit !== false) {
    rateLimit = { ...d.rateLimit, ...options.rateLimit };
    positive('rateLimit.messagesPerSecond', rateLimit.messagesPerSecond);
    count('rateLimit.burst', rateLimit.burst, 1);
    count('rateLimit.closeAfter', rateLimit.closeAfter, 1);
  }
  let heartbeat: HeartbeatOptions | undefined;
  if (options.heartbeat !== false) {
    heartbeat = { ...d.heartbeat, ...options.heartbeat };
    timer('heartbeat.intervalMs', heartbeat.intervalMs);
  }
  const slowConsumer: SlowConsumerOptions = { ...d.slowConsumer, ...options.slowConsumer };
  count('slowConsumer.maxBufferedBytes', slowConsumer.maxBufferedBytes, 1);
  if (slowConsumer.policy !== 'drop' && slowConsumer.policy !== 'close') {
    throw new SocketServerConfigError(
      'slowConsumer.policy',
      `must be 'drop' or 'close', got ${String(slowConsumer.policy)}.`,
    );
  }
  let perMessageDeflate: PerMessageDeflateOptions | undefined;
  if (options.perMessageDeflate !== undefined && options.perMessageDeflate !== false) {
    perMessageDeflate = {
      ...d.perMessageDeflate,
      ...(options.perMessageDeflate === true ? {} : options.perMessageDeflate),
    };
    count('perMessageDeflate.threshold', perMessageDeflate.threshold, 0);
  }
  let batch: BatchOptions | undefined;
  if (options.batch !== false) {
    if (
      options.batch !== undefined &&
      options.batch !== true &&
      (typeof options.batch !== 'object' || options.batch === null)
    ) {
      throw new SocketServerConfigError('batch', `must be true, false or { maxBytes }, got ${String(options.batch)}.`);
    }
    batch = { ...d.batch, ...(options.batch === true ? {} : options.batch) };
    count('batch.maxBytes', batch.maxBytes, 2);
  }

  let broker = options.broker;
  let ownsBroker = false;
  if (broker !== undefined) {
    if (options.replay !== undefined || options.sessions !== undefined) {
      throw new SocketServerConfigError(
        options.replay !== undefined ? 'replay' : 'sessions',
        'configures the default in-memory broker only; with a custom `broker`, configure the broker itself (e.g. createMemoryBroker({ replay, sessions })).',
      );
    }
    for (const method of [
      'publish',
      'subscribe',
      'replay',
      'openSession',
      'releaseSession',
      'claim',
      'settle',
      'close',
    ]) {
      if (typeof (broker as unknown as Record<string, unknown>)[method] !== 'function') {
        throw new SocketServerConfigError('broker', `must implement the Broker interface; \`${method}\` is missing.`);
      }
    }
  } else {
    broker = createMemoryBroker({ replay: options.replay, sessions: options.sessions });
    ownsBroker = true;
  }

  const resolved: ResolvedServerOptions<P> = {
    server: options.server,
    port,
    host,
    path,
    authenticate: options.authenticate,
    authenticateToken: options.authenticateToken,
    authTimeoutMs: options.authTimeoutMs ?? d.authTimeoutMs,
    principalExpiresAt: options.principalExpiresAt,
    authorize: options.authorize,
    allowOrigin,
    maxPayload: options.maxPayload ?? d.maxPayload,
    maxConnections: options.maxConnections ?? d.maxConnections,
    maxChannelsPerConnection: options.maxChannelsPerConnection ?? d.maxChannelsPerConnection,
    rateLimit,
    maxMalformedPerSecond: options.maxMalformedPerSecond ?? d.maxMalformedPerSecond,
    heartbeat,
    slowConsumer,
    broker,
    ownsBroker,
    onPublish: options.onPublish,
    perMessageDeflate,
    batch,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? d.handshakeTimeoutMs,
  };
  timer('authTimeoutMs', resolved.authTimeoutMs);
  count('maxPayload', resolved.maxPayload, 1);
  if (resolved.maxConnections !== Infinity) count('maxConnections', resolved.maxConnections, 1);
  count('maxChannelsPerConnection', resolved.maxChannelsPerConnection, 1);
  count('maxMalformedPerSecond', resolved.maxMalformedPerSecond, 0);
  timer('handshakeTimeoutMs', resolved.handshakeTimeoutMs);
  return resolved;
}

function fn(option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new SocketServerConfigError(option, `must be a function, got ${typeof value}.`);
  }
}

function count(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new SocketServerConfigError(option, `must be a whole number >= ${min}, got ${String(value)}.`);
  }
}

function positive(option: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SocketServerConfigError(option, `must be a finite number > 0, got ${String(value)}.`);
  }
}

/** Node clamps timer delays above 2^31 − 1 ms to 1 ms, which would turn a long timeout into a tight loop. */
function timer(option: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0 || value > 2_147_483_647) {
    throw new SocketServerConfigError(option, `must be a number of ms in (0, 2147483647], got ${String(value)}.`);
  }
}

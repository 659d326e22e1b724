import { DEFAULT_CONNECTION_OPTIONS as D } from './defaults';
import { defaultSignals, defaultTimers } from './environment';
import type { EnvironmentSignals, Timers, WebSocketConstructor } from './environment';
import { SocketboardConfigError } from './errors';
import type {
  AuthOptions,
  BackpressureOptions,
  ConnectionOptions,
  HeartbeatOptions,
  MetricsOptions,
  QueueOptions,
  ReconnectOptions,
  UrlProvider,
} from './options';
import { socketboardProtocol } from './protocol/socketboard';
import type { Protocol } from './protocol/types';

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  url: UrlProvider;
  protocols: readonly string[];
  WebSocket: WebSocketConstructor | undefined;
  protocol: Protocol;
  reconnect: ReconnectOptions;
  heartbeat: HeartbeatOptions | false;
  queue: QueueOptions;
  backpressure: BackpressureOptions;
  auth: AuthOptions | undefined;
  maxMessageBytes: number;
  ackTimeoutMs: number;
  channelGraceMs: number;
  metrics: MetricsOptions;
  timers: Timers;
  now: () => number;
  random: () => number;
  signals: EnvironmentSignals;
}

function fail(option: string, problem: string): never {
  throw new SocketboardConfigError(option, problem);
}

function nonNegative(option: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    fail(option, `expected a number >= 0, got ${String(value)}.`);
  }
  return value;
}

function positiveFinite(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(option, `expected a finite number > 0, got ${String(value)}.`);
  }
  return value;
}

function atLeastOneInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) fail(option, `expected a whole number >= 1, got ${String(value)}.`);
  return value;
}

function fn<T>(option: string, value: T): T {
  if (typeof value !== 'function') fail(option, `expected a function, got ${typeof value}.`);
  return value;
}

function method<T extends object>(option: string, target: T, key: keyof T & string): void {
  if (typeof target[key] !== 'function') fail(`${option}.${key}`, `expected a function, got ${typeof target[key]}.`);
}

function object(option: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    fail(option, `expected an object, got ${value === null ? 'null' : typeof value}.`);
  }
}

export function resolveOptions(options: ConnectionOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'pass an object such as `{ url }`.');
  const { url } = options;
  if (typeof url === 'string') {
    if (url.length === 0) fail('url', 'expected a ws:// or wss:// URL, got an empty string.');
  } else if (typeof url !== 'function') {
    fail('url', 'expected a string or a function returning one (sync or async).');
  }

  const protocols =
    options.protocols === undefined
      ? []
      : typeof options.protocols === 'string'
        ? [options.protocols]
        : options.protocols;
  if (!Array.isArray(protocols) || protocols.some((p) => typeof p !== 'string' || p.length === 0)) {
    fail('protocols', 'expected a non-empty string or an array of them.');
  }

  if (options.WebSocket !== undefined) fn('WebSocket', options.WebSocket);

  const protocol = options.protocol ?? socketboardProtocol();
  if (typeof protocol !== 'object' || protocol === null || typeof protocol.decode !== 'function') {
    fail('protocol', 'expected socketboardProtocol(), rawJsonProtocol({...}) or an object implementing Protocol.');
  }

  object('reconnect', options.reconnect);
  const r = { ...D.reconnect, ...options.reconnect };
  const reconnect: ReconnectOptions = {
    initialDelayMs: nonNegative('reconnect.initialDelayMs', r.initialDelayMs),
    maxDelayMs: nonNegative('reconnect.maxDelayMs', r.maxDelayMs),
    factor: r.factor,
    maxRetries: nonNegative('reconnect.maxRetries', r.maxRetries),
    minStableMs: nonNegative('reconnect.minStableMs', r.minStableMs),
    connectTimeoutMs: positiveFinite('reconnect.connectTimeoutMs', r.connectTimeoutMs),
    classifyClose: fn('reconnect.classifyClose', r.classifyClose),
  };
  if (typeof reconnect.factor !== 'number' || !(reconnect.factor >= 1) || !Number.isFinite(reconnect.factor)) {
    fail('reconnect.factor', `expected a finite number >= 1, got ${String(reconnect.factor)}.`);
  }
  if (reconnect.maxDelayMs < reconnect.initialDelayMs) {
    fail('reconnect.maxDelayMs', `must be >= reconnect.initialDelayMs (${reconnect.initialDelayMs}).`);
  }

  let heartbeat: HeartbeatOptions | false = false;
  if (options.heartbeat !== false) {
    object('heartbeat', options.heartbeat);
    const h = { ...D.heartbeat, ...options.heartbeat };
    heartbeat = {
      intervalMs: positiveFinite('heartbeat.intervalMs', h.intervalMs),
      timeoutMs: positiveFinite('heartbeat.timeoutMs', h.timeoutMs),
      rttSampleMs: h.rttSampleMs === Infinity ? Infinity : positiveFinite('heartbeat.rttSampleMs', h.rttSampleMs),
    };
  }

  object('queue', options.queue);
  const q = { ...D.queue, ...options.queue };
  if (!['drop-oldest', 'drop-newest', 'reject'].includes(q.overflow)) {
    fail('queue.overflow', `expected 'drop-oldest', 'drop-newest' or 'reject', got ${JSON.stringify(q.overflow)}.`);
  }
  const legacy = q as { storage?: unknown; storageKey?: unknown };
  if (legacy.storage !== undefined || legacy.storageKey !== undefined) {
    fail(
      'queue.storage',
      'was replaced by queue.persist: pass `queue: { persist: createStoragePersistence(localStorage) }` (from @socketboard/core).',
    );
  }
  if (q.persist !== undefined) {
    const p = q.persist as unknown as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || typeof p.load !== 'function' || typeof p.follow !== 'function') {
      fail('queue.persist', 'expected what createStoragePersistence(storage) returns.');
    }
  }
  const queue: QueueOptions = { ...q, max: atLeastOneInteger('queue.max', q.max) };

  object('backpressure', options.backpressure);
  const b = { ...D.backpressure, ...options.backpressure };
  const backpressure: BackpressureOptions = {
    highWaterMark: positiveFinite('backpressure.highWaterMark', b.highWaterMark),
    lowWaterMark: nonNegative('backpressure.lowWaterMark', b.lowWaterMark),
    pollMs: positiveFinite('backpressure.pollMs', b.pollMs),
  };
  if (backpressure.lowWaterMark > backpressure.highWaterMark) {
    fail('backpressure.lowWaterMark', `must be <= backpressure.highWaterMark (${backpressure.highWaterMark}).`);
  }

  let auth: AuthOptions | undefined;
  if (options.auth !== undefined) {
    const a = typeof options.auth === 'function' ? { getToken: options.auth } : options.auth;
    object('auth', a);
    auth = { ...D.auth, ...a, getToken: fn('auth.getToken', a.getToken) };
    if (auth.via !== 'frame' && auth.via !== 'subprotocol') {
      fail('auth.via', `expected 'frame' or 'subprotocol', got ${JSON.stringify(auth.via)}.`);
    }
  }

  object('metrics', options.metrics);
  const m = { ...D.metrics, ...options.metrics };
  const metrics: MetricsOptions = {
    sampleIntervalMs: positiveFinite('metrics.sampleIntervalMs', m.sampleIntervalMs),
    samples: atLeastOneInteger('metrics.samples', m.samples),
    rttWindow: atLeastOneInteger('metrics.rttWindow', m.rttWindow),
  };

  const timers = options.timers ?? defaultTimers;
  object('timers', timers);
  method('timers', timers, 'setTimeout');
  method('timers', timers, 'clearTimeout');
  const signals = options.signals ?? defaultSignals;
  object('signals', signals);
  method('signals', signals, 'isOnline');
  method('signals', signals, 'isVisible');
  method('signals', signals, 'subscribe');

  return {
    url,
    protocols,
    WebSocket: options.WebSocket,
    protocol,
    reconnect,
    heartbeat,
    queue,
    backpressure,
    auth,
    maxMessageBytes: positiveFinite('maxMessageBytes', options.maxMessageBytes ?? D.maxMessageBytes),
    ackTimeoutMs: positiveFinite('ackTimeoutMs', options.ackTimeoutMs ?? D.ackTimeoutMs),
    channelGraceMs: nonNegative('channelGraceMs', options.channelGraceMs ?? D.channelGraceMs),
    metrics,
    timers,
    now: fn('now', options.now ?? Date.now),
    random: fn('random', options.random ?? Math.random),
    signals,
  };
}

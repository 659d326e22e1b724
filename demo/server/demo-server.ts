import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryBroker } from '@socketboard/server';
import type { Broker, ConnectionInfo } from '@socketboard/server';
import { API, FIREHOSE_MAX_RATE, SOCKET_PATH, STALL_MAX_SECONDS } from '../shared/channels';
import type { ApiResult, DemoEvent, DemoEventLevel, HostInfo, SystemSample } from '../shared/channels';
import { Alerts } from './alerts';
import { describeClose } from './close-codes';
import { Firehose } from './firehose';
import { hostFacts, HostSampler } from './host-sampler';
import { isClientReport, LateReports } from './late-reports';
import { SocketHost } from './socket-host';
import { createStaticHandler } from './static-files';

export interface DemoServerOptions {
  /** Default 5178; `0` picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Anything else exposes the chaos buttons to the network. */
  host?: string;
  /** Serve the built page from here. Without it only the API and the socket are served (`npm run dev`). */
  staticDir?: string;
  /** Default: an in-memory broker, kept across socket server restarts. */
  broker?: Broker;
  /** How the broker is named in `GET /api/info`. Default `'memory'`. */
  brokerName?: string;
  /** Pause between closing the socket server and starting the next one on restart. Default 1 000 ms. */
  restartDelayMs?: number;
  /** Period of the `system` channel. Default 1 000 ms. */
  sampleIntervalMs?: number;
}

export interface DemoServer {
  /** The page (or, without `staticDir`, the API), e.g. `http://127.0.0.1:5178/`. */
  readonly url: string;
  readonly port: number;
  /** Stops publishing, closes every client with 1001, then the HTTP server. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 5178;
const MAX_BODY_BYTES = 1_024;
const RECENT_EVENTS = 100;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/**
 * A JSON body of at most 1 KiB. Requiring `application/json` also keeps other web sites out: a
 * cross-origin POST with that type needs a CORS preflight, which this server never grants.
 */
async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'Send a JSON body with content-type: application/json.');
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `The body is limited to ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below, as for any body that is not an object.
  }
  throw new HttpError(400, 'The body must be a JSON object.');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The demo in one process: an HTTP server for the built page and the API, with @socketboard/server
 * attached at /socket, publishing this machine's metrics (`system`, once a second), a `firehose` of
 * adjustable rate, and `events` (threshold alerts, clients, chaos).
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const {
    port = DEFAULT_PORT,
    host = '127.0.0.1',
    staticDir,
    brokerName = options.broker === undefined ? 'memory' : 'custom',
    restartDelayMs = 1_000,
    sampleIntervalMs = 1_000,
  } = options;
  const broker = options.broker ?? createMemoryBroker();
  const serveStatic = staticDir === undefined ? undefined : createStaticHandler(staticDir);

  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) send(response, status, { ok: false, message } satisfies ApiResult);
      else response.destroy();
    });
  });

  // The socket's replay reaches back 5 minutes (`since: 0`); GET /api/events keeps the last 100 events
  // whatever their age, so a page opened on a quiet server still shows what happened.
  const recentEvents: DemoEvent[] = [];
  let eventCount = 0;
  const publishEvent = (level: DemoEventLevel, source: string, message: string): void => {
    const time = Date.now();
    const event: DemoEvent = { id: `${time.toString(36)}-${++eventCount}`, time, level, source, message };
    recentEvents.push(event);
    if (recentEvents.length > RECENT_EVENTS) recentEvents.shift();
    sockets.publish('events', event).catch(() => {});
  };

  const clientNumbers = new WeakMap<ConnectionInfo, number>();
  let clientCount = 0;
  const clientName = (connection: ConnectionInfo) => `Client #${clientNumbers.get(connection) ?? '?'}`;
  const lateReports = new LateReports((connection, count, oldestMs) =>
    publishEvent(
      'success',
      'clients',
      `${clientName(connection)} delivered ${plural(count, 'report')} it had queued while offline (oldest ${(oldestMs / 1000).toFixed(1)} s)`,
    ),
  );
  const sockets = new SocketHost({
    http,
    path: SOCKET_PATH,
    broker,
    onConnection: (connection, online) => {
      clientNumbers.set(connection, ++clientCount);
      const from = connection.remoteAddress === undefined ? '' : ` from ${connection.remoteAddress}`;
      publishEvent('info', 'clients', `Client #${clientCount} connected${from} · ${online} online`);
    },
    onDisconnect: (connection, close, online) => {
      const level = close.code === 1000 || close.code === 1001 ? 'info' : 'warning';
      const why = describeClose(close.code, close.reason);
      publishEvent(level, 'clients', `${clientName(connection)} disconnected: ${why} · ${online} online`);
    },
    onError: (error) => publishEvent('error', 'server', error.message),
    // Pages may publish their reports, nothing else.
    onPublish: ({ channel, data, connection }) => {
      if (channel !== 'reports') return { reject: 'This demo takes publishes on "reports" only.', code: 'forbidden' };
      if (!isClientReport(data)) return { reject: 'A report is { sentAt, firehosePerSec }.', code: 'bad-data' };
      lateReports.seen(connection, data);
      return undefined;
    },
  });

  const firehose = new Firehose((message) => sockets.publish('firehose', message));
  const sampler = new HostSampler();
  const alerts = new Alerts();
  let previous = sockets.metrics();
  let previousAt = performance.now();
  let sampling = false;

  const sample = async (): Promise<void> => {
    if (sampling) return;
    sampling = true;
    try {
      const measured = await sampler.sample();
      const metrics = sockets.metrics();
      const now = performance.now();
      const seconds = Math.max(0.001, (now - previousAt) / 1000);
      // A restarted socket server counts from zero again.
      const fresh = metrics.restarts !== previous.restarts;
      const rate = (key: 'messagesOut' | 'bytesOut' | 'messagesIn') =>
        Math.round((fresh ? metrics[key] : Math.max(0, metrics[key] - previous[key])) / seconds);
      const system: SystemSample = {
        time: Date.now(),
        ...measured,
        server: {
          connections: metrics.connections,
          messagesOutPerSec: rate('messagesOut'),
          bytesOutPerSec: rate('bytesOut'),
          messagesInPerSec: rate('messagesIn'),
          uptime: Math.round(metrics.uptime),
          restarts: metrics.restarts,
        },
        firehose: { rate: firehose.currentRate, sentPerSec: Math.round(firehose.takeSent() / seconds) },
      };
      previous = metrics;
      previousAt = now;
      await sockets.publish('system', system);
      for (const alert of alerts.check(system)) publishEvent(alert.level, 'alert', alert.message);
    } finally {
      sampling = false;
    }
  };
  const sampleTimer = setInterval(() => {
    sample().catch((error: unknown) => {
      console.error('demo: sampling failed:', error);
    });
  }, sampleIntervalMs);

  const info: HostInfo = { ...hostFacts(), broker: brokerName, firehoseMax: FIREHOSE_MAX_RATE };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/api/')) {
      if (path === API.info) {
        if (request.method !== 'GET') throw new HttpError(405, `Use GET for ${path}.`);
        return send(response, 200, info);
      }
      if (path === API.events) {
        if (request.method !== 'GET') throw new HttpError(405, `Use GET for ${path}.`);
        return send(response, 200, recentEvents);
      }
      if (request.method !== 'POST') throw new HttpError(405, `Use POST for ${path}.`);
      const result = await act(path, await readJson(request));
      return send(response, 200, result);
    }
    if (serveStatic !== undefined && (await serveStatic(request, response))) return;
    if (path === SOCKET_PATH) throw new HttpError(426, `${SOCKET_PATH} is the WebSocket endpoint: upgrade required.`);
    throw new HttpError(
      404,
      serveStatic === undefined
        ? 'This is the demo API server; the page is served by Vite (npm run dev).'
        : `Nothing at ${path}.`,
    );
  }

  async function act(path: string, body: Record<string, unknown>): Promise<ApiResult> {
    switch (path) {
      case API.firehose: {
        const asked = Number(body.rate);
        if (!Number.isFinite(asked)) throw new HttpError(400, 'Give { "rate": messages per second }.');
        const rate = firehose.setRate(asked);
        const message = rate === 0 ? 'Firehose off' : `Firehose at ${rate.toLocaleString('en')} msg/s`;
        publishEvent('info', 'firehose', message);
        return { ok: true, message };
      }
      case API.drop: {
        const count = sockets.drop();
        const message = `Dropped ${plural(count, 'connection')} with 1012 (service restart)`;
        publishEvent('warning', 'chaos', message);
        return { ok: true, message };
      }
      case API.kill: {
        const count = sockets.kill();
        const message = `Killed ${plural(count, 'socket')} without a close frame (clients see 1006)`;
        publishEvent('warning', 'chaos', message);
        return { ok: true, message };
      }
      case API.stall: {
        const seconds = Math.min(STALL_MAX_SECONDS, Math.max(1, Number(body.seconds ?? 10) || 10));
        const count = sockets.stall(seconds * 1000);
        const message = `Stalled ${plural(count, 'connection')} for ${seconds} s: nothing in, nothing out`;
        publishEvent('warning', 'chaos', message);
        return { ok: true, message };
      }
      case API.restart: {
        if (sockets.isRestarting) return { ok: false, message: 'Already restarting' };
        publishEvent('warning', 'chaos', `Restarting the socket server (back in ~${restartDelayMs / 1000} s)`);
        const started = performance.now();
        await sockets.restart(restartDelayMs);
        const message = `Socket server restarted in ${((performance.now() - started) / 1000).toFixed(1)} s`;
        publishEvent('success', 'server', `${message}; clients resume from their last seq`);
        return { ok: true, message };
      }
      default:
        throw new HttpError(404, `No API at ${path}.`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  publishEvent('success', 'server', `Demo server started on port ${address.port} (${brokerName} broker)`);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sampleTimer);
        lateReports.stop();
        firehose.stop();
        sampler.stop();
        await sockets.close();
        if (options.broker === undefined) await broker.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })()),
  };
}

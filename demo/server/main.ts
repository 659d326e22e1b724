/**
 * `npm run demo` runs this (bundled by Vite into dist/server/main.js, plain Node 20):
 *
 *   PORT=5178 HOST=127.0.0.1 node demo/dist/server/main.js
 *
 * DEMO_API_ONLY=1 serves only the API and the socket (what `npm run dev` puts behind Vite).
 * REDIS_URL=redis://127.0.0.1:6379 keeps seqs, replay and sessions in Redis (`@socketboard/server/redis`)
 * instead of this process's memory, so that even a restart of the whole process loses nothing.
 * DEMO_RESTART_DELAY_MS sets how long the chaos restart keeps the socket server down (default 1 000).
 */
import { fileURLToPath } from 'node:url';
import type { Broker } from '@socketboard/server';
import { DEFAULT_PORT, startDemoServer } from './demo-server';

const REDIS_READY_TIMEOUT_MS = 5_000;

/** The Redis broker when REDIS_URL is set; loaded only then, so that ioredis is needed only then. */
async function brokerFromEnvironment(): Promise<{ broker?: Broker; name: string }> {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '') return { name: 'memory' };
  const { redisBroker } = await import('@socketboard/server/redis');
  const broker = redisBroker({ url, prefix: 'socketboard-demo:' });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from Redis at ${url} within ${REDIS_READY_TIMEOUT_MS / 1000} s`)),
      REDIS_READY_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([broker.ready, timeout]);
  } catch (error) {
    await broker.close().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Only the host and port: a password in the URL stays out of logs and of GET /api/info.
  const { hostname, port } = new URL(url);
  return { broker, name: `redis ${hostname}:${port || 6379}` };
}

const port = process.env.PORT === undefined || process.env.PORT === '' ? DEFAULT_PORT : Number(process.env.PORT);
const host = process.env.HOST || '127.0.0.1';
const apiOnly = process.env.DEMO_API_ONLY === '1';
const restartDelayMs = Number(process.env.DEMO_RESTART_DELAY_MS ?? 1_000);
// dist/server/main.js → dist/client/
const staticDir = apiOnly ? undefined : fileURLToPath(new URL('../client/', import.meta.url));

if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`demo: PORT must be a port number (0–65535), not "${process.env.PORT}".`);
  process.exit(2);
}

let server;
let broker: Broker | undefined;
try {
  const chosen = await brokerFromEnvironment();
  broker = chosen.broker;
  server = await startDemoServer({ port, host, staticDir, restartDelayMs, broker, brokerName: chosen.name });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error(
      `demo: port ${port} on ${host} is in use. Stop what runs there, or pick another: PORT=5199 npm run demo`,
    );
  } else {
    console.error(`demo: could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  await broker?.close().catch(() => {});
  process.exit(1);
}

console.log(
  apiOnly
    ? `Socketboard demo API and socket on ${server.url} (the page is served by Vite)`
    : `\n  Socketboard demo: ${server.url}\n\n  Live metrics of this machine over one WebSocket (${server.url.replace('http', 'ws')}socket).\n  Press Ctrl+C to stop.\n`,
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(130);
  stopping = true;
  console.log(`\ndemo: ${signal}, closing the connections…`);
  const force = setTimeout(() => process.exit(0), 3_000);
  force.unref();
  void server
    .close()
    .then(() => broker?.close())
    .then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

// One server node for the server benchmark, in its own process so its memory is measured alone.
// Driven over IPC by run.mjs. Uses the BUILT package (dist), as an app would.
//
//   node --expose-gc bench/server/node.mjs            in-memory broker
//   REDIS_URL=redis://127.0.0.1:6379 node …          Redis broker (@socketboard/server/redis)
import { performance } from 'node:perf_hooks';
import { createSocketServer } from '@socketboard/server';

const redisUrl = process.env.REDIS_URL;
let broker;
if (redisUrl) {
  const { redisBroker } = await import('@socketboard/server/redis');
  broker = redisBroker({ url: redisUrl });
  await broker.ready;
}
// Heartbeat off: with thousands of idle sockets it only adds noise to the figures.
const server = createSocketServer({ port: 0, host: '127.0.0.1', broker, heartbeat: false });
server.on('error', (error) => process.send?.({ type: 'log', text: `server error: ${error.code} ${error.message}` }));
const { port } = await server.ready;

/** Wall-clock ms with sub-ms resolution, comparable between processes on one machine. */
const wallNow = () => performance.timeOrigin + performance.now();

function stats({ gc = true }) {
  if (gc) {
    globalThis.gc?.();
    globalThis.gc?.();
  }
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    cpu: process.cpuUsage(),
    metrics: server.metrics(),
  };
}

/**
 * Publishes `ratePerSec` messages a second for `durationMs` (or until `count` were issued);
 * `ratePerSec: 0` = as fast as `window` publishes in flight allow.
 */
async function run({ channel, durationMs = Infinity, count = Infinity, ratePerSec, window = 64 }) {
  let published = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + durationMs;
  const one = () =>
    server.publish(channel, { t: wallNow() }).then(
      () => (published += 1),
      () => (failed += 1),
    );
  if (ratePerSec > 0) {
    // Paced by elapsed time, not by ticks: a late timer publishes what is due, as a real app's burst would.
    let issued = 0;
    const inFlight = new Set();
    for (let now = performance.now(); now < end && issued < count; now = performance.now()) {
      const due = Math.min(count, 1 + Math.floor(((now - started) / 1000) * ratePerSec));
      for (; issued < due; issued++) {
        const p = one();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(inFlight);
  } else {
    const worker = async () => {
      while (performance.now() < end) await one();
    };
    await Promise.all(Array.from({ length: window }, worker));
  }
  return { published, failed, seconds: (performance.now() - started) / 1000 };
}

process.on('message', async (request) => {
  try {
    if (request.type === 'stats') process.send({ id: request.id, result: stats(request) });
    else if (request.type === 'publish') process.send({ id: request.id, result: await run(request) });
    else if (request.type === 'close') {
      await server.close({ drainMs: 100 });
      await broker?.close();
      process.send({ id: request.id, result: null }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: request.id, error: String(error?.stack ?? error) });
  }
});
process.send({ type: 'ready', port, broker: redisUrl ? 'redis' : 'memory' });

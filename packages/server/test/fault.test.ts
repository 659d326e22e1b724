import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '@socketboard/core';
import { createFaultProxy } from '../../core/test/fault-proxy';
import type { FaultProxy } from '../../core/test/fault-proxy';
import { createMemoryBroker } from '../src';
import type { SocketServer } from '../src';
import { onCleanup, runCleanups, startServer, waitFor } from './helpers';
import { CLIENT_HEARTBEAT, INTACT, showTally, startTwoWayTraffic } from './two-way-traffic';

afterEach(runCleanups);

// Short heartbeats so a stall is found fast: the server terminates a silent peer within two of its
// intervals (the client's bound is in CLIENT_HEARTBEAT).
const SERVER_HEARTBEAT_MS = 150;
const CLIENT_BOUND_MS = CLIENT_HEARTBEAT.intervalMs + CLIENT_HEARTBEAT.timeoutMs;
const SERVER_BOUND_MS = 2 * SERVER_HEARTBEAT_MS;

/** Server ← proxy ← core client, with both directions numbered from 1 and recorded. */
async function harness() {
  const broker = createMemoryBroker();
  onCleanup(() => broker.close());
  const { server, port } = await startServer({ broker, heartbeat: { intervalMs: SERVER_HEARTBEAT_MS } });
  const proxy = await createFaultProxy({ targetPort: port });
  onCleanup(() => proxy.close());
  const link = await startTwoWayTraffic(proxy.url, broker, (n) => server.publish('down', n));
  /** What the recovery machinery did: reconnects, replay overlap the client dropped, resends the server acked again. */
  const figures = () =>
    `reconnects=${link.client.getMetrics().reconnects} client-dropped-overlap=${link.client.getMetrics().duplicates} server-deduped-resends=${server.metrics().duplicates}`;
  return { ...link, server, proxy, figures };
}

/** Measures how long each side takes to notice a stall, then ends it. */
async function stallAndMeasure(server: SocketServer, proxy: FaultProxy, client: Connection) {
  const liveIds: string[] = [];
  const offConnection = server.on('connection', (c) => liveIds.push(c.id));
  const before = server.metrics().heartbeatTimeouts;
  const start = performance.now();
  let clientAt: number | undefined;
  let serverAt: number | undefined;
  const offError = client.on('error', (error) => {
    if (error.code === 'heartbeat-timeout' && clientAt === undefined) {
      clientAt = performance.now() - start;
    }
  });
  const offDisconnect = server.on('disconnect', () => (serverAt ??= performance.now() - start));
  proxy.stall();
  // Generous deadlines: the assertion is that each side's heartbeat finds the stall while it lasts.
  await waitFor(() => clientAt !== undefined && serverAt !== undefined, 5000, 'both sides to notice the stall');
  expect(server.metrics().heartbeatTimeouts).toBe(before + 1);
  proxy.resume();
  offError();
  offDisconnect();
  offConnection();
  return { clientMs: Math.round(clientAt!), serverMs: Math.round(serverAt!) };
}

describe('core client and server through the fault proxy', () => {
  it('loses, duplicates and reorders nothing in either direction across cuts', async () => {
    const h = await harness();
    for (let round = 0; round < 5; round++) {
      const reconnects = h.client.getMetrics().reconnects;
      await h.traffic(20);
      await delay(5); // some of it arrives, some is in flight when the cut comes
      h.proxy.cut();
      await h.traffic(5); // sent into the void, or queued while reconnecting
      await waitFor(
        () =>
          h.client.getMetrics().reconnects > reconnects && h.client.channel('down').getState().status === 'subscribed',
        8000,
        'reconnected and resubscribed',
      );
    }
    await h.traffic(20);
    const result = await h.settle('cut');
    console.log(`[fault] cut ×5: down ${showTally(result.down)} | up ${showTally(result.up)} | ${h.figures()}`);
    expect(h.client.getMetrics().reconnects).toBeGreaterThanOrEqual(5);
    expect(result).toEqual(INTACT);
  });

  it('notices a stall by heartbeat on both sides, then resumes without loss', async () => {
    const h = await harness();
    await h.traffic(20);
    const times = await stallAndMeasure(h.server, h.proxy, h.client);
    await h.traffic(20);
    const result = await h.settle('stall');
    console.log(
      `[fault] stall: client noticed in ${times.clientMs} ms (bound ≈${CLIENT_BOUND_MS}), server terminated in ${times.serverMs} ms (bound ≈${SERVER_BOUND_MS}) | down ${showTally(result.down)} | up ${showTally(result.up)} | ${h.figures()}`,
    );
    expect(h.clientErrors).toContain('heartbeat-timeout');
    expect(result).toEqual(INTACT);
  });

  it('keeps retrying while connections are refused, then resumes without loss', async () => {
    const h = await harness();
    await h.traffic(20);
    h.proxy.refuse();
    h.proxy.cut();
    await h.traffic(20); // queued on the client, replayable on the server
    await waitFor(() => h.proxy.refused >= 3, 5000, 'three refused attempts');
    h.proxy.resume();
    const result = await h.settle('refuse');
    console.log(
      `[fault] refuse: ${h.proxy.refused} attempts refused | down ${showTally(result.down)} | up ${showTally(result.up)} | ${h.figures()}`,
    );
    expect(result).toEqual(INTACT);
  });

  it('survives a seeded mix of cuts, stalls and refusals with nothing lost, duplicated or reordered', async () => {
    const seed = Number(process.env.FAULT_SEED ?? 0x5eed);
    const random = mulberry32(seed);
    const h = await harness();
    const counts = { cut: 0, stall: 0, refuse: 0, none: 0 };
    const stalls: number[] = [];
    for (let step = 0; step < 12; step++) {
      await h.traffic(5 + Math.floor(random() * 20));
      const fault = (['cut', 'stall', 'refuse', 'none'] as const)[Math.floor(random() * 4)]!;
      counts[fault] += 1;
      if (fault === 'cut') h.proxy.cut();
      if (fault === 'stall') {
        await waitFor(() => h.client.store.getState().status === 'open', 8000, 'open before a stall');
        const times = await stallAndMeasure(h.server, h.proxy, h.client);
        stalls.push(Math.max(times.clientMs, times.serverMs));
      }
      if (fault === 'refuse') {
        h.proxy.refuse();
        h.proxy.cut();
        await h.traffic(5);
        await delay(50 + Math.floor(random() * 200));
        h.proxy.resume();
      }
      await delay(Math.floor(random() * 60));
    }
    const result = await h.settle('mix');
    console.log(
      `[fault] seeded mix (seed ${seed}): ${JSON.stringify(counts)}, ${h.sent().down} down / ${h.sent().up} up, slowest stall detection ${Math.max(0, ...stalls)} ms | down ${showTally(result.down)} | up ${showTally(result.up)} | ${h.figures()}`,
    );
    expect(result).toEqual(INTACT);
  });
});

/** A small seeded PRNG (mulberry32), so a failing mix can be replayed with FAULT_SEED. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

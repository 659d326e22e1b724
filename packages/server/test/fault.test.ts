import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '@socketboard/core';
import { createFaultProxy } from '../../core/test/fault-proxy';
import type { FaultProxy } from '../../core/test/fault-proxy';
import { createMemoryBroker } from '../src';
import type { SocketServer } from '../src';
import { coreClient, onCleanup, runCleanups, startServer, waitFor } from './helpers';

afterEach(runCleanups);

// Short heartbeats so a stall is found fast: the client declares the link dead at most
// CLIENT.intervalMs + CLIENT.timeoutMs after the last inbound frame, the server terminates a silent
// peer within two of its intervals.
const CLIENT_HEARTBEAT = { intervalMs: 150, timeoutMs: 150 };
const SERVER_HEARTBEAT_MS = 150;
const CLIENT_BOUND_MS = CLIENT_HEARTBEAT.intervalMs + CLIENT_HEARTBEAT.timeoutMs;
const SERVER_BOUND_MS = 2 * SERVER_HEARTBEAT_MS;

interface Tally {
  lost: number;
  duplicated: number;
  reordered: number;
}

function tally(expected: number, seen: readonly number[]): Tally {
  const unique = new Set(seen);
  let lost = 0;
  for (let n = 1; n <= expected; n++) if (!unique.has(n)) lost += 1;
  let reordered = 0;
  for (let i = 1; i < seen.length; i++) if (seen[i]! < seen[i - 1]!) reordered += 1;
  return { lost, duplicated: seen.length - unique.size, reordered };
}

const show = (t: Tally) => `lost=${t.lost} dup=${t.duplicated} reordered=${t.reordered}`;

/** Server ← proxy ← core client, with both directions numbered from 1 and recorded. */
async function harness() {
  const broker = createMemoryBroker();
  onCleanup(() => broker.close());
  const { server, port } = await startServer({ broker, heartbeat: { intervalMs: SERVER_HEARTBEAT_MS } });
  const proxy = await createFaultProxy({ targetPort: port });
  onCleanup(() => proxy.close());

  // Client → server: what the broker accepted, in the order it assigned seqs.
  const up: number[] = [];
  await broker.subscribe('up', (message) => up.push(JSON.parse(message.payload) as number));
  // Server → client: what the app saw.
  const down: number[] = [];
  const client = coreClient(proxy.url, {
    heartbeat: CLIENT_HEARTBEAT,
    ackTimeoutMs: 60_000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200, connectTimeoutMs: 1_000 },
  });
  client.subscribe('down', (data) => down.push(data as number));
  const clientErrors: string[] = [];
  client.on('error', (error) => clientErrors.push(error.code));
  client.connect();
  await waitFor(() => client.channel('down').getState().status === 'subscribed', 5000, 'the first subscription');

  let sentDown = 0;
  let sentUp = 0;
  const acks: Array<Promise<Ack>> = [];
  const failures: unknown[] = [];
  const traffic = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const ack = client.publish('up', ++sentUp, { ack: true });
      ack.catch((error: unknown) => failures.push(error));
      acks.push(ack);
      await server.publish('down', ++sentDown);
    }
  };
  /** Waits until the link is healthy again and every message went through, then tallies both ways. */
  const settle = async (what: string) => {
    await waitFor(() => client.store.getState().status === 'open', 8000, `${what}: reconnected`);
    await Promise.allSettled(acks);
    await waitFor(() => down.length >= sentDown && up.length >= sentUp, 8000, `${what}: all traffic`);
    await delay(50); // a late duplicate would show up now
    const result = { down: tally(sentDown, down), up: tally(sentUp, up) };
    expect(failures).toEqual([]);
    return result;
  };
  /** What the recovery machinery did: reconnects, replay overlap the client dropped, resends the server acked again. */
  const figures = () =>
    `reconnects=${client.getMetrics().reconnects} client-dropped-overlap=${client.getMetrics().duplicates} server-deduped-resends=${server.metrics().duplicates}`;
  return {
    server,
    proxy,
    client,
    broker,
    traffic,
    settle,
    clientErrors,
    figures,
    get sent() {
      return { sentDown, sentUp };
    },
  };
}

/** Measures how long each side takes to notice a stall, then ends it. */
async function stallAndMeasure(server: SocketServer, proxy: FaultProxy, client: ReturnType<typeof coreClient>) {
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
    console.log(`[fault] cut ×5: down ${show(result.down)} | up ${show(result.up)} | ${h.figures()}`);
    expect(h.client.getMetrics().reconnects).toBeGreaterThanOrEqual(5);
    expect(result).toEqual({
      down: { lost: 0, duplicated: 0, reordered: 0 },
      up: { lost: 0, duplicated: 0, reordered: 0 },
    });
  });

  it('notices a stall by heartbeat on both sides, then resumes without loss', async () => {
    const h = await harness();
    await h.traffic(20);
    const times = await stallAndMeasure(h.server, h.proxy, h.client);
    await h.traffic(20);
    const result = await h.settle('stall');
    console.log(
      `[fault] stall: client noticed in ${times.clientMs} ms (bound ≈${CLIENT_BOUND_MS}), server terminated in ${times.serverMs} ms (bound ≈${SERVER_BOUND_MS}) | down ${show(result.down)} | up ${show(result.up)} | ${h.figures()}`,
    );
    expect(h.clientErrors).toContain('heartbeat-timeout');
    expect(result).toEqual({
      down: { lost: 0, duplicated: 0, reordered: 0 },
      up: { lost: 0, duplicated: 0, reordered: 0 },
    });
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
      `[fault] refuse: ${h.proxy.refused} attempts refused | down ${show(result.down)} | up ${show(result.up)} | ${h.figures()}`,
    );
    expect(result).toEqual({
      down: { lost: 0, duplicated: 0, reordered: 0 },
      up: { lost: 0, duplicated: 0, reordered: 0 },
    });
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
      `[fault] seeded mix (seed ${seed}): ${JSON.stringify(counts)}, ${h.sent.sentDown} down / ${h.sent.sentUp} up, slowest stall detection ${Math.max(0, ...stalls)} ms | down ${show(result.down)} | up ${show(result.up)} | ${h.figures()}`,
    );
    expect(result).toEqual({
      down: { lost: 0, duplicated: 0, reordered: 0 },
      up: { lost: 0, duplicated: 0, reordered: 0 },
    });
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

import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '@socketboard/core';
import { createFaultProxy } from '../../core/test/fault-proxy';
import { redisBroker } from '../src/redis-broker';
import type { RedisBroker } from '../src/redis-broker';
import { coreClient, onCleanup, runCleanups, startServer, waitFor } from './helpers';
import type { Started } from './helpers';
import { startRedis } from './redis-server';

afterEach(runCleanups);

interface Node extends Started<unknown> {
  readonly broker: RedisBroker;
}

/** A Redis and `count` server nodes sharing it, each with its own broker (its own Redis connections). */
async function cluster(count: number): Promise<{ url: string; nodes: Node[] }> {
  const redis = await startRedis();
  onCleanup(() => redis.stop());
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) {
    const broker = redisBroker({ url: redis.url });
    onCleanup(() => broker.close());
    await broker.ready;
    nodes.push({ ...(await startServer({ broker, heartbeat: { intervalMs: 150 } })), broker });
  }
  return { url: redis.url, nodes };
}

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

describe('two server nodes sharing one Redis', () => {
  it('delivers to a client on node A what is published on node B, in seq order', async () => {
    const {
      nodes: [a, b],
    } = await cluster(2);
    const data: number[] = [];
    const seqs: number[] = [];
    const client = coreClient(a!.url);
    client.subscribe('feed', (value) => data.push(value as number));
    client.on('message', (message) => {
      if (message.channel === 'feed' && message.seq !== undefined) seqs.push(message.seq);
    });
    client.connect();
    await waitFor(() => client.channel('feed').getState().status === 'subscribed', 5000, 'the subscription');
    // Mostly from B, some from A, in a known order: seq n carries value n.
    for (let n = 1; n <= 60; n++) await (n % 5 === 0 ? a! : b!).server.publish('feed', n);
    await waitFor(() => data.length >= 60, 5000, 'all 60 messages on node A');
    const expected = Array.from({ length: 60 }, (_, i) => i + 1);
    expect(data).toEqual(expected);
    expect(seqs).toEqual(expected);
    expect(b!.server.metrics()).toMatchObject({ published: 48, broker: { status: 'ok' } });
  });

  it('resumes a client moved from node A to node B and back with nothing lost, duplicated or reordered', async () => {
    const { url, nodes } = await cluster(2);
    const [a, b] = nodes as [Node, Node];
    // Client → server, as delivered: an observer on its own broker counts each publish once per delivery.
    const observer = redisBroker({ url });
    onCleanup(() => observer.close());
    const up: number[] = [];
    await observer.subscribe('up', (message) => up.push(JSON.parse(message.payload) as number));

    const proxy = await createFaultProxy({ targetPort: a.port });
    onCleanup(() => proxy.close());
    const down: number[] = [];
    const client = coreClient(proxy.url, {
      heartbeat: { intervalMs: 150, timeoutMs: 150 },
      ackTimeoutMs: 60_000,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200, connectTimeoutMs: 1_000 },
    });
    client.subscribe('down', (value) => down.push(value as number));
    client.connect();
    await waitFor(() => client.channel('down').getState().status === 'subscribed', 5000, 'the first subscription');

    let sentUp = 0;
    let sentDown = 0;
    const acks: Array<Promise<Ack>> = [];
    const failures: unknown[] = [];
    // Server publishes alternate between the nodes; the client publishes with acks wherever it is.
    const traffic = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const ack = client.publish('up', ++sentUp, { ack: true });
        ack.catch((error: unknown) => failures.push(error));
        acks.push(ack);
        await (sentDown % 2 === 0 ? a : b).server.publish('down', ++sentDown);
      }
    };
    const connectionsOn = (node: Node) => node.server.metrics().connections;

    await traffic(30);
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const reconnects = client.getMetrics().reconnects;
      await traffic(10);
      await delay(5); // some of it arrives, some is in flight when the cut comes
      proxy.setTarget(to.port);
      proxy.cut();
      await traffic(10); // sent into the void, or queued while reconnecting
      await waitFor(
        () =>
          client.getMetrics().reconnects > reconnects &&
          client.channel('down').getState().status === 'subscribed' &&
          connectionsOn(to) === 1 &&
          connectionsOn(from) === 0,
        8000,
        'moved to the other node and resubscribed',
      );
      await traffic(10);
    }

    await Promise.allSettled(acks);
    await waitFor(() => down.length >= sentDown && up.length >= sentUp, 8000, 'all traffic');
    await delay(100); // a late duplicate would show up now
    expect(failures).toEqual([]);
    const result = { down: tally(sentDown, down), up: tally(sentUp, up) };
    console.log(
      `[redis cluster] A→B→A: ${sentDown} down / ${sentUp} up | down lost=${result.down.lost} dup=${result.down.duplicated} reordered=${result.down.reordered} | up lost=${result.up.lost} dup=${result.up.duplicated} reordered=${result.up.reordered} | resends deduped: A=${a.server.metrics().duplicates} B=${b.server.metrics().duplicates}, client dropped overlap=${client.getMetrics().duplicates}`,
    );
    expect(result).toEqual({
      down: { lost: 0, duplicated: 0, reordered: 0 },
      up: { lost: 0, duplicated: 0, reordered: 0 },
    });
    expect(client.getMetrics().reconnects).toBeGreaterThanOrEqual(2);
  });
});

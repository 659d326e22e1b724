import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultProxy } from '../../core/test/fault-proxy';
import { coreClient, onCleanup, runCleanups, waitFor } from './helpers';
import { brokerOn, nodeOn, redisForTest } from './redis-server';
import type { RedisNode } from './redis-server';
import { INTACT, showTally, startTwoWayTraffic } from './two-way-traffic';

afterEach(runCleanups);

/** A Redis and `count` server nodes sharing it, each with its own broker (its own Redis connections). */
async function cluster(count: number): Promise<{ url: string; nodes: RedisNode[] }> {
  const redis = await redisForTest();
  const nodes: RedisNode[] = [];
  for (let i = 0; i < count; i++) nodes.push(await nodeOn(redis.url, { heartbeat: { intervalMs: 150 } }));
  return { url: redis.url, nodes };
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
    const [a, b] = nodes as [RedisNode, RedisNode];
    // Client → server, as delivered: an observer on its own broker counts each publish once per delivery.
    const observer = await brokerOn(url);

    const proxy = await createFaultProxy({ targetPort: a.port });
    onCleanup(() => proxy.close());
    // Server publishes alternate between the nodes; the client publishes with acks wherever it is.
    const { client, traffic, settle, sent } = await startTwoWayTraffic(proxy.url, observer, (n) =>
      (n % 2 === 1 ? a : b).server.publish('down', n),
    );
    const connectionsOn = (node: RedisNode) => node.server.metrics().connections;

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

    const result = await settle('A→B→A');
    console.log(
      `[redis cluster] A→B→A: ${sent().down} down / ${sent().up} up | down ${showTally(result.down)} | up ${showTally(result.up)} | resends deduped: A=${a.server.metrics().duplicates} B=${b.server.metrics().duplicates}, client dropped overlap=${client.getMetrics().duplicates}`,
    );
    expect(result).toEqual(INTACT);
    expect(client.getMetrics().reconnects).toBeGreaterThanOrEqual(2);
  });
});

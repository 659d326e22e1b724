import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { SocketServerError } from '../src';
import { coreClient, runCleanups, waitFor } from './helpers';
import { nodeOn, redisForTest } from './redis-server';

afterEach(runCleanups);

describe('a server node on Redis when Redis restarts mid-stream', () => {
  it('keeps serving, reports degraded, nacks publishes meanwhile, and flows again once Redis is back', async () => {
    const redis = await redisForTest();
    const { server, url } = await nodeOn(redis.url);
    const errors: SocketServerError[] = [];
    server.on('error', (error) => errors.push(error));

    const seen: string[] = [];
    const client = coreClient(url);
    client.subscribe('live', (value) => seen.push(value as string));
    client.connect();
    await waitFor(() => client.channel('live').getState().status === 'subscribed', 5000, 'the subscription');
    const delivered: string[] = [];
    for (let i = 1; i <= 10; i++) {
      await server.publish('live', `before-${i}`);
      delivered.push(`before-${i}`);
    }
    await waitFor(() => seen.length === 10, 5000, 'the first ten');

    // Redis dies (SIGKILL, no persistence): every key is gone when it comes back.
    await redis.stop();
    await waitFor(() => server.metrics().broker.status === 'degraded', 5000, 'the degraded state');
    expect(server.metrics().broker.reason).toMatch(/unreachable/);
    expect(errors.map((e) => e.code)).toContain('unavailable');

    const refused: string[] = [];
    for (let i = 1; i <= 5; i++) {
      await expect(server.publish('live', `during-${i}`)).rejects.toMatchObject({
        name: 'SocketServerError',
        code: 'unavailable',
      });
      refused.push(`during-${i}`);
      await expect(client.publish('live', `client-during-${i}`, { ack: true })).rejects.toMatchObject({
        name: 'NackError',
        code: 'unavailable',
      });
      refused.push(`client-during-${i}`);
    }
    // The node still serves its clients: the connection stayed open and answers.
    expect(client.store.getState().status).toBe('open');
    expect(server.metrics().connections).toBe(1);

    const reconnects = client.getMetrics().reconnects;
    await redis.restart();
    await waitFor(() => server.metrics().broker.status === 'ok', 10_000, 'recovery');
    // Redis lost the channel's state: the node closed the client (1012) so it resubscribes with `since`.
    await waitFor(
      () => client.getMetrics().reconnects > reconnects && client.channel('live').getState().status === 'subscribed',
      8000,
      'the client resubscribed',
    );
    expect(client.channel('live').getState().resumed).toBe(false);
    for (let i = 1; i <= 10; i++) {
      await server.publish('live', `after-${i}`);
      delivered.push(`after-${i}`);
    }
    const ack = await client.publish('live', 'client-after', { ack: true });
    expect(ack.channel).toBe('live');
    delivered.push('client-after');
    await waitFor(() => seen.length >= delivered.length, 5000, 'the messages after recovery');
    expect(seen).toEqual(delivered);
    expect(seen.filter((value) => refused.includes(value))).toEqual([]);
    expect(server.metrics().broker).toMatchObject({ status: 'ok', recoveries: 1, stateLosses: 1 });
  });

  it('survives a crash under continuous traffic: nothing duplicated or reordered, nothing refused delivered', async () => {
    const redis = await redisForTest();
    const { server, url } = await nodeOn(redis.url);
    server.on('error', () => {}); // counted in metrics; the test looks at outcomes

    const seen: number[] = [];
    const client = coreClient(url);
    client.subscribe('live', (value) => seen.push(value as number));
    client.connect();
    await waitFor(() => client.channel('live').getState().status === 'subscribed', 5000, 'the subscription');

    // One publisher, one publish at a time: value n is published after n - 1 settled.
    const outcomes = new Map<number, 'accepted' | 'refused' | 'in-flight'>();
    let published = 0;
    let running = true;
    const publisher = (async () => {
      while (running) {
        const value = ++published;
        try {
          await server.publish('live', value);
          outcomes.set(value, 'accepted');
        } catch (error) {
          // Refused before it reached Redis, or cut off in flight (Redis may have run it).
          outcomes.set(value, /may or may not/.test((error as Error).message) ? 'in-flight' : 'refused');
          await delay(2);
        }
      }
    })();
    const count = (outcome: string) => [...outcomes.values()].filter((o) => o === outcome).length;

    await waitFor(() => seen.length >= 50, 5000, 'traffic before the crash');
    await redis.stop();
    await waitFor(() => count('refused') >= 20, 5000, 'publishes refused while Redis is down');
    expect(server.metrics().broker.status).toBe('degraded');
    const reconnects = client.getMetrics().reconnects;
    await redis.restart();
    await waitFor(
      () =>
        server.metrics().broker.status === 'ok' &&
        client.getMetrics().reconnects > reconnects &&
        client.channel('live').getState().status === 'subscribed',
      10_000,
      'recovery and resubscription',
    );
    const mark = published;
    await waitFor(
      () => count('accepted') > 0 && seen.some((value) => value > mark + 20),
      5000,
      'traffic after recovery',
    );
    running = false;
    await publisher;
    const lastAccepted = Math.max(...[...outcomes].filter(([, o]) => o === 'accepted').map(([value]) => value));
    await waitFor(() => seen.includes(lastAccepted), 5000, 'the last accepted publish');

    const increasing = seen.every((value, i) => i === 0 || value > seen[i - 1]!);
    const refusedButSeen = seen.filter((value) => outcomes.get(value) === 'refused');
    const acceptedAfterMarkMissing = [...outcomes]
      .filter(([value, o]) => o === 'accepted' && value > mark && !seen.includes(value))
      .map(([value]) => value);
    console.log(
      `[redis restart] ${published} publishes: ${count('accepted')} accepted, ${count('refused')} refused, ${count('in-flight')} cut in flight; client saw ${seen.length}`,
    );
    expect({ increasing, refusedButSeen, acceptedAfterMarkMissing }).toEqual({
      increasing: true,
      refusedButSeen: [],
      acceptedAfterMarkMissing: [],
    });
  });
});

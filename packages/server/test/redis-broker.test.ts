import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { BrokerMessage } from '../src';
import { redisBroker } from '../src/redis-broker';
import { onCleanup, runCleanups, waitFor } from './helpers';
import { brokerOn, redisForTest } from './redis-server';

afterEach(runCleanups);

function collect(into: number[]) {
  return (message: BrokerMessage) => into.push(message.seq);
}

describe('redisBroker against a real redis-server', () => {
  it('numbers a channel once for all nodes and fans every publish out to every node in seq order', async () => {
    const { url } = await redisForTest();
    const [a, b] = await Promise.all([brokerOn(url), brokerOn(url)]);
    const onA: number[] = [];
    const onB: number[] = [];
    await a.subscribe('c', collect(onA));
    await b.subscribe('c', collect(onB));
    const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).publish('c', `${i}`)));
    expect([...seqs].map((m) => m.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await waitFor(() => onA.length === 40 && onB.length === 40, 5000, 'both nodes to receive all');
    const expected = Array.from({ length: 40 }, (_, i) => i + 1);
    expect(onA).toEqual(expected);
    expect(onB).toEqual(expected);
  });

  it('replays on one node what was published on another, and says when the log no longer reaches back', async () => {
    const { url } = await redisForTest();
    const a = await brokerOn(url, { replay: { perChannel: 5 } });
    const b = await brokerOn(url, { replay: { perChannel: 5 } });
    for (let i = 1; i <= 8; i++) await a.publish('r', JSON.stringify(i));
    const recent = await b.replay('r', 5);
    expect(recent).toMatchObject({ seq: 8, complete: true });
    expect(recent.messages.map((m) => [m.seq, m.payload])).toEqual([
      [6, '6'],
      [7, '7'],
      [8, '8'],
    ]);
    const old = await b.replay('r', 1);
    expect(old.complete).toBe(false);
    expect(old.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(await b.replay('r', undefined)).toEqual({ seq: 8, messages: [], complete: true });
    expect(await b.replay('r', 20)).toEqual({ seq: 8, messages: [], complete: false });
    expect(await b.replay('never', 0)).toEqual({ seq: 0, messages: [], complete: true });
  });

  it('no longer replays messages older than the replay TTL', async () => {
    const { url } = await redisForTest();
    const a = await brokerOn(url, { replay: { ttlMs: 50 } });
    await a.publish('t', '1');
    await new Promise((resolve) => setTimeout(resolve, 120));
    await a.publish('t', '2');
    const result = await a.replay('t', 0);
    expect(result.messages.map((m) => m.seq)).toEqual([2]);
    expect(result.complete).toBe(false);
  });

  it('resumes a session on another node and suppresses a publish id accepted there', async () => {
    const { url } = await redisForTest();
    const [a, b] = await Promise.all([brokerOn(url), brokerOn(url)]);
    const { sid } = await a.openSession(undefined);
    expect(await a.claim(sid, 'p1')).toBe('new');
    await a.settle(sid, 'p1', true);
    await a.releaseSession(sid);
    expect(await b.openSession(sid)).toEqual({ sid, resumed: true });
    expect(await b.claim(sid, 'p1')).toBe('accepted');
    expect(await b.claim(sid, 'p2')).toBe('new');
    await b.settle(sid, 'p2', false);
    expect(await a.claim(sid, 'p2')).toBe('new'); // a refused id is judged afresh
  });

  it('makes a resend racing the original on another node wait for its outcome', async () => {
    const { url } = await redisForTest();
    const [a, b] = await Promise.all([brokerOn(url), brokerOn(url)]);
    const { sid } = await a.openSession(undefined);
    expect(await a.claim(sid, 'x')).toBe('new');
    let raced: string | undefined;
    const racing = b.claim(sid, 'x').then((result) => (raced = result));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(raced).toBeUndefined();
    await a.settle(sid, 'x', true);
    await racing;
    expect(raced).toBe('accepted');
  });

  it('forgets the oldest accepted ids past the dedupe window', async () => {
    const { url } = await redisForTest();
    const a = await brokerOn(url, { sessions: { dedupeWindow: 2 } });
    const { sid } = await a.openSession(undefined);
    for (const id of ['1', '2', '3']) {
      await a.claim(sid, id);
      await a.settle(sid, id, true);
    }
    expect(await a.claim(sid, '1')).toBe('new');
    expect(await a.claim(sid, '3')).toBe('accepted');
  });

  it('issues a new session for an unknown or expired sid, and keeps a held one alive past its TTL', async () => {
    const { url } = await redisForTest();
    // Held sessions are renewed every TTL / 3 (200 ms here): only a 400 ms stall could let one lapse.
    const a = await brokerOn(url, { sessions: { ttlMs: 600 } });
    const unknown = await a.openSession('AAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.resumed).toBe(false);
    expect(unknown.sid).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    const held = await a.openSession(undefined);
    const released = await a.openSession(undefined);
    await a.releaseSession(released.sid);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await a.openSession(held.sid)).resumed).toBe(true);
    expect((await a.openSession(released.sid)).resumed).toBe(false);
  });

  it('works on a given ioredis client, which it leaves open on close', async () => {
    const { url } = await redisForTest();
    const client = new Redis(url);
    onCleanup(() => void client.disconnect());
    const broker = redisBroker({ client });
    await broker.ready;
    const seen: number[] = [];
    await broker.subscribe('g', collect(seen));
    await broker.publish('g', '"x"');
    await waitFor(() => seen.length === 1, 5000, 'the message');
    await broker.close();
    expect(await client.ping()).toBe('PONG');
  });

  it('refuses at once with unavailable while Redis is down, reports degraded, and recovers when it is back', async () => {
    const server = await redisForTest();
    const broker = await brokerOn(server.url);
    const changes: string[] = [];
    broker.onHealthChange((health, error) => changes.push(`${health.status}:${error?.name ?? ''}`));
    const seen: number[] = [];
    let interrupted = 0;
    await broker.subscribe('d', collect(seen), () => (interrupted += 1));
    await broker.publish('d', '1');
    await waitFor(() => seen.length === 1, 5000, 'the first message');

    await server.stop();
    await waitFor(() => broker.health().status === 'degraded', 5000, 'degraded');
    await expect(broker.publish('d', '2')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(broker.openSession(undefined)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(broker.subscribe('other', () => {})).rejects.toMatchObject({ code: 'unavailable' });
    expect(broker.health().reason).toMatch(/unreachable/);

    await server.restart();
    await waitFor(() => broker.health().status === 'ok', 10_000, 'recovered');
    // The restart lost every key: the feed is interrupted and follows the new numbering.
    await waitFor(() => interrupted === 1, 5000, 'the interruption');
    expect(await broker.publish('d', '3')).toMatchObject({ seq: 1 });
    await waitFor(() => seen.length === 2, 5000, 'a message after recovery');
    expect(seen).toEqual([1, 1]);
    expect(broker.health()).toMatchObject({ status: 'ok', recoveries: 1, stateLosses: 1, interruptions: 1 });
    expect(changes).toEqual(['degraded:SocketServerError', 'ok:']);
  });

  it('fills from the log what pub/sub missed while its connection was cut, in order and without interruption', async () => {
    const { url } = await redisForTest();
    const [a, b] = await Promise.all([brokerOn(url), brokerOn(url)]);
    const seen: number[] = [];
    let interrupted = 0;
    await b.subscribe('g', collect(seen), () => (interrupted += 1));
    for (let i = 0; i < 5; i++) await a.publish('g', '0');
    await waitFor(() => seen.length === 5, 5000, 'the first five');
    const admin = new Redis(url);
    onCleanup(() => void admin.disconnect());
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub'); // only B subscribes to anything
    await waitFor(() => b.health().status === 'degraded', 5000, "B's pub/sub link down");
    for (let i = 0; i < 20; i++) await a.publish('g', '0'); // B cannot hear these live
    await waitFor(() => seen.length === 25, 5000, 'all 25 on B');
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(interrupted).toBe(0);
    expect(b.health()).toMatchObject({ status: 'ok', recoveries: 1, gapFills: 20, interruptions: 0, stateLosses: 0 });
  });

  it('interrupts the feed when the log no longer holds what pub/sub missed, then goes on after it', async () => {
    const { url } = await redisForTest();
    const [a, b] = await Promise.all([brokerOn(url, { replay: { perChannel: 5 } }), brokerOn(url)]);
    const seen: number[] = [];
    let interrupted = 0;
    await b.subscribe('g', collect(seen), () => (interrupted += 1));
    await a.publish('g', '0');
    await waitFor(() => seen.length === 1, 5000, 'the first');
    const admin = new Redis(url);
    onCleanup(() => void admin.disconnect());
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await waitFor(() => b.health().status === 'degraded', 5000, "B's pub/sub link down");
    for (let i = 0; i < 20; i++) await a.publish('g', '0'); // the log keeps the last 5
    await waitFor(() => interrupted === 1 && seen.length === 6, 5000, 'the interruption and what the log held');
    expect(seen).toEqual([1, 17, 18, 19, 20, 21]);
    await a.publish('g', '0');
    await waitFor(() => seen.length === 7, 5000, 'the next message');
    expect(seen.at(-1)).toBe(22);
  });

  it('starts degraded without crashing when Redis is not there, and connects once it is', async () => {
    const server = await redisForTest();
    await server.stop();
    const broker = redisBroker({ url: server.url, connectTimeoutMs: 200 });
    onCleanup(() => broker.close());
    await waitFor(() => broker.health().status === 'degraded', 5000, 'degraded');
    await expect(broker.publish('s', '1')).rejects.toMatchObject({ code: 'unavailable' });
    await server.restart();
    await broker.ready;
    expect((await broker.publish('s', '1')).seq).toBe(1);
  });
});

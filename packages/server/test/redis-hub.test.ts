import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src';
import type { Broker, BrokerListener, BrokerMessage } from '../src';
import { onCleanup, openRaw, runCleanups, startServer, subscribe } from './helpers';

afterEach(runCleanups);

/**
 * A memory broker that behaves like a networked one where it matters here: the test can interrupt
 * a channel's feed, and deliver a message late (after the replay that already held it).
 */
function networkedLike() {
  const inner = createMemoryBroker();
  onCleanup(() => inner.close());
  const feeds = new Map<string, { listener: BrokerListener; onInterrupted?: () => void }>();
  const broker: Broker = {
    ...inner,
    subscribe(channel, listener, onInterrupted) {
      feeds.set(channel, { listener, onInterrupted });
      return inner.subscribe(channel, listener);
    },
  };
  return {
    broker,
    interrupt: (channel: string) => feeds.get(channel)?.onInterrupted?.(),
    deliverLate: (message: BrokerMessage) => feeds.get(message.channel)?.listener(message),
  };
}

describe('the server with a broker whose feed can be cut (as with Redis)', () => {
  it("closes the channel's connections with 1012 when the broker interrupts its feed, and only those", async () => {
    const fake = networkedLike();
    const { url } = await startServer({ broker: fake.broker });
    const onA = await openRaw(url);
    const onB = await openRaw(url);
    await subscribe(onA, 'a');
    await subscribe(onB, 'b');
    fake.interrupt('a');
    expect(await onA.waitClose()).toEqual({
      code: 1012,
      reason: 'the channel feed was interrupted: resubscribe with since',
    });
    onB.send({ t: 'ping', ts: 1 });
    expect(await onB.next((f) => f.t === 'pong')).toEqual({ t: 'pong', ts: 1 });
    expect(onB.closed).toBeUndefined();
  });

  it('does not send a message again that the replay already held when the live feed brings it late', async () => {
    const fake = networkedLike();
    const { server, url } = await startServer({ broker: fake.broker });
    await server.publish('c', 1);
    await server.publish('c', 2);
    const client = await openRaw(url);
    const frames = await subscribe(client, 'c', 0);
    expect(frames.map((f) => [f.t, f.seq])).toEqual([
      ['msg', 1],
      ['msg', 2],
      ['subd', 2],
    ]);
    fake.deliverLate({ channel: 'c', seq: 2, payload: '2' });
    await server.publish('c', 3);
    expect(await client.next()).toEqual({ t: 'msg', ch: 'c', seq: 3, d: 3 });
  });
});

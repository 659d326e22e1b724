import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Ack, Connection } from '@socketboard/core';
import type { Broker } from '../src';
import { coreClient, waitFor } from './helpers';

/** The client declares a silent link dead at most intervalMs + timeoutMs after its last inbound frame. */
export const CLIENT_HEARTBEAT = { intervalMs: 150, timeoutMs: 150 };

export interface Tally {
  lost: number;
  duplicated: number;
  reordered: number;
}

/** What became of messages numbered 1..expected, given the numbers in the order they arrived. */
export function tally(expected: number, seen: readonly number[]): Tally {
  const unique = new Set(seen);
  let lost = 0;
  for (let n = 1; n <= expected; n++) if (!unique.has(n)) lost += 1;
  let reordered = 0;
  for (let i = 1; i < seen.length; i++) if (seen[i]! < seen[i - 1]!) reordered += 1;
  return { lost, duplicated: seen.length - unique.size, reordered };
}

export const showTally = (t: Tally) => `lost=${t.lost} dup=${t.duplicated} reordered=${t.reordered}`;

/** Both directions with nothing lost, duplicated or reordered. */
export const INTACT = {
  down: { lost: 0, duplicated: 0, reordered: 0 },
  up: { lost: 0, duplicated: 0, reordered: 0 },
};

export interface TwoWayTraffic {
  readonly client: Connection;
  /** The codes of the errors the client reported, in order. */
  readonly clientErrors: string[];
  /** Sends the next `count` numbers each way. */
  traffic(count: number): Promise<void>;
  /**
   * Waits until the link is open again and every message went through, then tallies both directions;
   * fails the test if any publish was refused.
   */
  settle(what: string): Promise<{ down: Tally; up: Tally }>;
  /** How many numbers were sent each way so far. */
  sent(): { down: number; up: number };
}

/**
 * A core client on `url` (a fault proxy in front of the server) and the server side exchanging numbers
 * from 1 both ways. Client → server: published on `up` with acks, recorded as `upBroker` delivers them
 * (in the order it assigned seqs). Server → client: `publishDown(n)` publishes n on `down`, recorded as
 * the app sees it. The client rides out faults: short heartbeats, fast reconnects, acks that wait a minute.
 * Resolves once the client is subscribed to `down`.
 */
export async function startTwoWayTraffic(
  url: string,
  upBroker: Pick<Broker, 'subscribe'>,
  publishDown: (n: number) => Promise<unknown>,
): Promise<TwoWayTraffic> {
  const up: number[] = [];
  await upBroker.subscribe('up', (message) => up.push(JSON.parse(message.payload) as number));
  const down: number[] = [];
  const client = coreClient(url, {
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
  return {
    client,
    clientErrors,
    async traffic(count) {
      for (let i = 0; i < count; i++) {
        const ack = client.publish('up', ++sentUp, { ack: true });
        ack.catch((error: unknown) => failures.push(error));
        acks.push(ack);
        await publishDown(++sentDown);
      }
    },
    async settle(what) {
      await waitFor(() => client.store.getState().status === 'open', 8000, `${what}: reconnected`);
      await Promise.allSettled(acks);
      await waitFor(() => down.length >= sentDown && up.length >= sentUp, 8000, `${what}: all traffic`);
      await delay(100); // a late duplicate would show up now
      expect(failures).toEqual([]);
      return { down: tally(sentDown, down), up: tally(sentUp, up) };
    },
    sent: () => ({ down: sentDown, up: sentUp }),
  };
}

import { describe, expect, it } from 'vitest';
import type { Timers } from '../src/environment';
import { framesOf, createHarness } from './integration-harness';
import { waitFor } from './test-server';

const h = createHarness();

describe('heartbeat against a black hole', () => {
  const intervalMs = 300;
  const timeoutMs = 300;

  it('detects a stall within intervalMs + timeoutMs, then reconnects and replays once the network recovers', async () => {
    const server = await h.server();
    const proxy = await h.proxy({ targetPort: server.port });
    const { connection, errors } = h.connection({
      url: proxy.url,
      heartbeat: { intervalMs, timeoutMs },
      // Attempts made during the stall hang in the black hole; give up on them quickly.
      reconnect: { connectTimeoutMs: 500 },
    });
    let detectedAt: number | undefined;
    connection.on('error', (error) => {
      if (error.code === 'heartbeat-timeout') detectedAt ??= Date.now();
    });
    const seqs: number[] = [];
    connection.subscribe('feed', (_data, meta) => seqs.push(meta.seq!));
    connection.connect();
    await waitFor(() => connection.channel('feed').getState().status === 'subscribed', 5_000, 'subscribed');
    server.publish('feed', 'before');
    await waitFor(() => seqs.length === 1, 5_000, 'live message');

    const pingsBefore = framesOf(server, 'ping').length;
    proxy.stall();
    const stalledAt = Date.now();
    server.publish('feed', 'during');
    await waitFor(() => detectedAt !== undefined, 5_000, 'heartbeat timeout');

    // The silence began at the stall at the latest; allow one interval for timers late on a busy machine.
    expect(detectedAt! - stalledAt).toBeLessThanOrEqual(intervalMs + timeoutMs + intervalMs);
    expect(connection.store.getState().status).toBe('reconnecting');
    expect(framesOf(server, 'ping')).toHaveLength(pingsBefore); // the probe went into the black hole
    expect(server.totalConnections).toBe(1);

    proxy.resume();
    server.publish('feed', 'after');
    await waitFor(() => seqs.length === 3, 5_000, 'replayed after the stall');
    expect(seqs).toEqual([1, 2, 3]);
    expect(connection.store.getState().status).toBe('open');
    expect(errors.filter((e) => e.code === 'heartbeat-timeout')).toHaveLength(1);
  });
});

describe('heartbeat with timers that fire late', () => {
  it('does not declare a link dead while inbound traffic arrives, however late its timers fire', async () => {
    const timeoutMs = 100;
    const server = await h.server();
    // Only the publish stream proves the link alive: pings go unanswered.
    server.options.respondToPing = false;
    // A throttled background tab: every timer fires 2 × timeoutMs later than asked.
    const late: Timers = {
      setTimeout: (callback, ms) => setTimeout(callback, ms + 2 * timeoutMs),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const { connection, errors, statuses } = h.connection({
      url: server.url,
      timers: late,
      heartbeat: { intervalMs: 10, timeoutMs },
    });
    const seqs: number[] = [];
    connection.subscribe('ticks', (_data, meta) => seqs.push(meta.seq!));
    connection.connect();
    await waitFor(() => connection.channel('ticks').getState().status === 'subscribed', 5_000, 'subscribed');

    const stream = setInterval(() => server.publish('ticks', Date.now()), 50);
    h.defer(() => clearInterval(stream));
    // Long enough for several pings, each judged by a deadline that fired far too late.
    const started = Date.now();
    await waitFor(() => framesOf(server, 'ping').length >= 3 && Date.now() - started >= 2_000, 8_000, 'pings');
    clearInterval(stream);

    expect(errors.filter((e) => e.code === 'heartbeat-timeout')).toEqual([]);
    expect(statuses).toEqual(['connecting', 'open']);
    expect(server.totalConnections).toBe(1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});

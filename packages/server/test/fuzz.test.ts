import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { coreClient, openRaw, runCleanups, startServer, subscribe, waitFor } from './helpers';
import type { RawClient } from './helpers';

afterEach(runCleanups);

const TYPES = ['sub', 'unsub', 'pub', 'ping', 'auth', 'hello', 'msg', 'subd', 'ack', '', 'SUB'] as const;

/** Values of every JSON type, plus the channel names most likely to do harm. */
const wild = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('steady', 'other', '', 'a b', 'x'.repeat(200), '__proto__', 'constructor'),
);

/** A frame with a real `t` and any field of any type (absent, wrong or right). */
const shapedFrame = fc
  .record(
    {
      t: fc.constantFrom(...TYPES),
      ch: wild,
      d: wild,
      id: wild,
      since: wild,
      ts: wild,
      token: wild,
      sid: wild,
      __proto__: wild,
    },
    { requiredKeys: ['t'] },
  )
  .map((frame) => JSON.stringify(frame));

/** Frames the protocol allows, aimed at the channel the good client listens to. */
const validFrame = fc
  .oneof(
    fc.record({ t: fc.constant('pub'), ch: fc.constantFrom('steady', 'other'), d: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ t: fc.constant('sub'), ch: fc.constantFrom('steady', 'other'), since: fc.nat(1000) }),
    fc.record({ t: fc.constant('unsub'), ch: fc.constantFrom('steady', 'other') }),
    fc.record({ t: fc.constant('hello'), sid: fc.string({ minLength: 1, maxLength: 30 }) }),
    fc.record({ t: fc.constant('ping'), ts: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
  )
  .map((frame) => JSON.stringify(frame));

type Thrown = string | Uint8Array;

const anyFrame: fc.Arbitrary<Thrown> = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 20, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 30, arbitrary: shapedFrame },
  { weight: 20, arbitrary: validFrame },
  { weight: 10, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(5_000)) }, // over maxPayload: 1009, for the attacker alone
);

describe('hostile input', () => {
  it('survives any frame from one connection while a well-behaved core client keeps receiving in order', async () => {
    const { url, server } = await startServer({ maxPayload: 4_096 });
    const serverErrors: string[] = [];
    server.on('error', (error) => serverErrors.push(`${error.code}: ${error.message}`));

    const client = coreClient(url);
    const seqs: number[] = [];
    const markers: number[] = [];
    client.subscribe('steady', (data, meta) => {
      seqs.push(meta.seq!);
      if (typeof data === 'string' && data.startsWith('server-marker-')) markers.push(Number(data.slice(14)));
    });
    client.connect();
    await waitFor(() => client.channel('steady').getState().status === 'subscribed', 5000, 'subscribed');

    let attacker: RawClient = await openRaw(url);
    let attackers = 1;
    let published = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyFrame, { minLength: 1, maxLength: 20 }), async (frames) => {
        if (attacker.closed !== undefined || attacker.ws.readyState !== attacker.ws.OPEN) {
          attacker = await openRaw(url);
          attackers += 1;
        }
        const target = server.metrics().messagesIn + frames.length;
        for (const frame of frames) {
          if (typeof frame === 'string') attacker.ws.send(frame);
          else attacker.ws.send(frame, { binary: true });
        }
        // Let the server read them (or drop the attacker) before the next marker, so the two interleave.
        const current = attacker;
        await waitFor(() => server.metrics().messagesIn >= target || current.closed !== undefined, 5000, 'the frames');
        await server.publish('steady', `server-marker-${++published}`);
      }),
      { numRuns: 150 },
    );

    await waitFor(() => markers.length === published, 10_000, 'every server message at the good client');
    expect(markers).toEqual(Array.from({ length: published }, (_, i) => i + 1));
    // Everything on the channel (the attacker may publish there too) arrived with contiguous seqs.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    expect(client.getMetrics()).toMatchObject({ reconnects: 0, decodeErrors: 0 });
    expect(client.store.getState().status).toBe('open');
    expect(serverErrors).toEqual([]);

    // And the server still serves newcomers normally.
    const newcomer = await openRaw(url);
    expect((await subscribe(newcomer, 'fresh')).at(-1)).toEqual({ t: 'subd', ch: 'fresh', seq: 0, resumed: true });
    const metrics = server.metrics();
    console.log(
      `[fuzz] ${published} rounds, ${attackers} attacker connection(s), malformed=${metrics.malformedFrames} oversize=${metrics.oversizeFrames} rateLimited=${metrics.rateLimited} policyCloses=${metrics.policyCloses}`,
    );
    expect(metrics.malformedFrames).toBeGreaterThan(0);
  });
});

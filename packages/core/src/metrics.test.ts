import { describe, expect, it } from 'vitest';
import { SocketboardConfigError } from './errors';
import { EMPTY_METRICS, MetricsCollector } from './metrics';
import type { MetricsGauges, MetricsSnapshot } from './metrics';

function setup(options: { samples?: number; rttWindow?: number } = {}) {
  let clock = 10_000;
  const gauges: MetricsGauges = { queueDepth: 0, bufferedAmount: 0, inFlight: 0, openedAt: undefined };
  const metrics = new MetricsCollector(
    { samples: options.samples ?? 5, rttWindow: options.rttWindow ?? 100 },
    () => clock,
    () => gauges,
  );
  return {
    metrics,
    gauges,
    advance(ms: number) {
      clock += ms;
    },
    get now() {
      return clock;
    },
  };
}

describe('MetricsCollector', () => {
  it('rejects samples or rttWindow below 1 with the option named', () => {
    const gauges = () => ({ queueDepth: 0, bufferedAmount: 0, inFlight: 0, openedAt: undefined });
    const thrown = (options: { samples: number; rttWindow: number }): unknown => {
      try {
        new MetricsCollector(options, () => 0, gauges);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const samplesError = thrown({ samples: 0, rttWindow: 10 });
    expect(samplesError).toBeInstanceOf(SocketboardConfigError);
    expect(samplesError).toMatchObject({ option: 'metrics.samples' });
    expect(thrown({ samples: 10, rttWindow: 1.5 })).toMatchObject({ option: 'metrics.rttWindow' });
  });

  it('starts with the same values as EMPTY_METRICS, apart from the time', () => {
    const t = setup();
    expect(t.metrics.snapshot()).toEqual({ ...EMPTY_METRICS, at: t.now });
  });

  it('totals messages and bytes in both directions', () => {
    const t = setup();
    t.metrics.recordIn(100);
    t.metrics.recordIn(50);
    t.metrics.recordOut(7);
    const s = t.metrics.snapshot();
    expect(s).toMatchObject({ messagesIn: 2, bytesIn: 150, messagesOut: 1, bytesOut: 7 });
  });

  it('reports rates over one second since construction', () => {
    const t = setup();
    for (let i = 0; i < 30; i++) t.metrics.recordIn(10);
    for (let i = 0; i < 4; i++) t.metrics.recordOut(25);
    t.advance(1000);
    const s = t.metrics.sample();
    expect(s).toMatchObject({ messagesInPerSec: 30, bytesInPerSec: 300, messagesOutPerSec: 4, bytesOutPerSec: 100 });
  });

  it('reports rates over 2.5 s relative to the previous sample, not to the start', () => {
    const t = setup();
    for (let i = 0; i < 1000; i++) t.metrics.recordIn(1);
    t.advance(1000);
    t.metrics.sample();
    for (let i = 0; i < 50; i++) t.metrics.recordIn(4);
    t.metrics.recordOut(10);
    t.advance(2500);
    const s = t.metrics.sample();
    expect(s.messagesIn).toBe(1050);
    expect(s.messagesInPerSec).toBe(20);
    expect(s.bytesInPerSec).toBe(80);
    expect(s.messagesOutPerSec).toBe(0.4);
    expect(s.bytesOutPerSec).toBe(4);
  });

  it('reports rates of 0 when no time has passed since the previous sample', () => {
    const t = setup();
    t.metrics.recordIn(10);
    const s = t.metrics.snapshot();
    expect(s.messagesInPerSec).toBe(0);
    expect(s.bytesInPerSec).toBe(0);
  });

  it('reports rates of 0 when the clock stepped backwards', () => {
    const t = setup();
    t.metrics.recordIn(10);
    t.advance(-500);
    expect(t.metrics.snapshot().messagesInPerSec).toBe(0);
  });

  it('does not move the rate baseline on snapshot(), only on sample()', () => {
    const t = setup();
    for (let i = 0; i < 10; i++) t.metrics.recordIn(1);
    t.advance(1000);
    expect(t.metrics.snapshot().messagesInPerSec).toBe(10);
    t.advance(1000);
    expect(t.metrics.snapshot().messagesInPerSec).toBe(5);
    t.metrics.sample();
    t.advance(1000);
    expect(t.metrics.snapshot().messagesInPerSec).toBe(0);
  });

  it('reports RTT last, EWMA, p50 and p95 over the configured window', () => {
    const t = setup({ rttWindow: 20 });
    t.metrics.recordRtt(1000);
    for (let ms = 1; ms <= 20; ms++) t.metrics.recordRtt(ms);
    const s = t.metrics.snapshot();
    expect(s.rttMs).toBe(20);
    expect(s.rttP50Ms).toBe(10);
    expect(s.rttP95Ms).toBe(19);
    expect(s.rttEwmaMs).toBeGreaterThan(20);
  });

  it('counts reconnects and keeps the last time to reconnect', () => {
    const t = setup();
    t.metrics.recordReconnect(1200);
    t.metrics.recordReconnect(300);
    expect(t.metrics.snapshot()).toMatchObject({ reconnects: 2, lastReconnectMs: 300 });
  });

  it('counts dropped messages, one by default or several at once, decode errors and duplicates', () => {
    const t = setup();
    t.metrics.recordDropped();
    t.metrics.recordDropped(3);
    t.metrics.recordDecodeError();
    t.metrics.recordDecodeError();
    t.metrics.recordDuplicate();
    expect(t.metrics.snapshot()).toMatchObject({ dropped: 4, decodeErrors: 2, duplicates: 1 });
  });

  it('reads queue depth, bufferedAmount and in-flight through the gauges callback at snapshot time', () => {
    const t = setup();
    t.gauges.queueDepth = 3;
    t.gauges.bufferedAmount = 4096;
    t.gauges.inFlight = 2;
    expect(t.metrics.snapshot()).toMatchObject({ queueDepth: 3, bufferedAmount: 4096, inFlight: 2 });
    t.gauges.queueDepth = 0;
    expect(t.metrics.snapshot().queueDepth).toBe(0);
  });

  it('derives uptime from openedAt, and reports 0 when the socket is not open', () => {
    const t = setup();
    expect(t.metrics.snapshot().uptimeMs).toBe(0);
    t.gauges.openedAt = t.now;
    t.advance(4200);
    expect(t.metrics.snapshot().uptimeMs).toBe(4200);
    t.gauges.openedAt = undefined;
    expect(t.metrics.snapshot().uptimeMs).toBe(0);
  });

  it('keeps at most `samples` samples, oldest first', () => {
    const t = setup({ samples: 3 });
    const taken: MetricsSnapshot[] = [];
    for (let i = 0; i < 5; i++) {
      t.advance(1000);
      t.metrics.recordIn(1);
      taken.push(t.metrics.sample());
    }
    const kept = t.metrics.samples();
    expect(kept).toHaveLength(3);
    expect(kept).toEqual(taken.slice(-3));
    expect(kept.map((s) => s.messagesIn)).toEqual([3, 4, 5]);
  });

  it('does not keep snapshot() readings in the history', () => {
    const t = setup();
    t.metrics.snapshot();
    expect(t.metrics.samples()).toEqual([]);
  });

  it('returns frozen snapshots', () => {
    const t = setup();
    expect(Object.isFrozen(t.metrics.snapshot())).toBe(true);
    expect(Object.isFrozen(t.metrics.sample())).toBe(true);
  });

  it('zeroes counters, RTT and history on reset() and measures the next rate from the reset', () => {
    const t = setup();
    for (let i = 0; i < 100; i++) t.metrics.recordIn(10);
    t.metrics.recordOut(5);
    t.metrics.recordRtt(40);
    t.metrics.recordReconnect(500);
    t.metrics.recordDropped();
    t.metrics.recordDecodeError();
    t.metrics.recordDuplicate();
    t.advance(1000);
    t.metrics.sample();
    t.advance(3000);
    t.metrics.reset();
    expect(t.metrics.samples()).toEqual([]);
    expect(t.metrics.snapshot()).toEqual({ ...EMPTY_METRICS, at: t.now });
    t.metrics.recordIn(8);
    t.advance(2000);
    expect(t.metrics.sample()).toMatchObject({ messagesInPerSec: 0.5, bytesInPerSec: 4 });
  });
});

describe('EMPTY_METRICS', () => {
  it('has every field of a snapshot, zero or undefined, taken at time 0', () => {
    const t = setup();
    expect(Object.keys(EMPTY_METRICS).sort()).toEqual(Object.keys(t.metrics.snapshot()).sort());
    for (const [key, value] of Object.entries(EMPTY_METRICS)) {
      expect([0, undefined], key).toContain(value);
    }
    expect(EMPTY_METRICS.at).toBe(0);
    expect(EMPTY_METRICS.rttMs).toBeUndefined();
    expect(EMPTY_METRICS.lastReconnectMs).toBeUndefined();
  });

  it('is frozen, so a shared idle snapshot cannot be mutated by one consumer', () => {
    expect(Object.isFrozen(EMPTY_METRICS)).toBe(true);
  });
});

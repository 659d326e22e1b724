import { describe, expect, it } from 'vitest';
import { HealthHistory, healthOf, healthOfState, uptimeRatio } from './health-history';

describe('HealthHistory', () => {
  it('cuts transitions into blocks that are up, down, degraded or unknown', () => {
    const history = new HealthHistory();
    history.record('up', 1_000);
    history.record('down', 2_500);
    history.record('up', 3_000);
    const blocks = history.blocks(5_000, 1_000, 5);
    expect(blocks.map((b) => b.state)).toEqual(['unknown', 'up', 'degraded', 'up', 'up']);
    expect(blocks[2]).toMatchObject({ upMs: 500, downMs: 500 });
    expect(uptimeRatio(blocks)).toBeCloseTo(3_500 / 4_000);
  });

  it('keeps block boundaries on multiples of blockMs when aligned, counting only time up to now', () => {
    const history = new HealthHistory();
    history.record('up', 0);
    const blocks = history.blocks(2_500, 1_000, 3, true);
    expect(blocks.map((b) => [b.from, b.to])).toEqual([
      [0, 1_000],
      [1_000, 2_000],
      [2_000, 3_000],
    ]);
    expect(blocks[2]).toMatchObject({ state: 'up', upMs: 500 });
    expect(history.revision).toBe(1);
  });

  it('ignores repeated health and clamps a clock that steps back', () => {
    const history = new HealthHistory();
    history.record('up', 1_000);
    history.record('up', 2_000);
    history.record('down', 500);
    expect(history.toArray()).toEqual([
      { at: 1_000, health: 'up' },
      { at: 1_000, health: 'down' },
    ]);
  });

  it('stays bounded by its capacity however often the link flaps', () => {
    const history = new HealthHistory(16);
    for (let i = 0; i < 100_000; i++) history.record(i % 2 === 0 ? 'up' : 'down', i);
    expect(history.size).toBe(16);
  });

  it('reads an outage from the connection state: a first connect is unknown, retries after a drop are down', () => {
    expect(healthOfState({ status: 'connecting', downSince: undefined })).toBe('unknown');
    expect(healthOfState({ status: 'reconnecting', downSince: 1_000 })).toBe('down');
    expect(healthOfState({ status: 'connecting', downSince: 1_000 })).toBe('down');
    expect(healthOfState({ status: 'failed', downSince: 1_000 })).toBe('down');
    expect(healthOfState({ status: 'open', downSince: undefined })).toBe('up');
    expect(healthOfState({ status: 'closed', downSince: undefined })).toBe('unknown');
  });

  it('maps statuses: open is up, trying or failed is down, idle and closed are unknown', () => {
    expect(healthOf('open')).toBe('up');
    expect(healthOf('reconnecting')).toBe('down');
    expect(healthOf('failed')).toBe('down');
    expect(healthOf('closed')).toBe('unknown');
  });
});

import { describe, expect, it } from 'vitest';
import { manualFrames } from '../test/manual-frames';
import { LiveSeries } from './live-series';

function setup(options: Partial<ConstructorParameters<typeof LiveSeries>[0]> = {}) {
  const frames = manualFrames();
  let clock = 1_000;
  const series = new LiveSeries({
    categories: ['a', 'b'],
    windowMs: 10_000,
    frames,
    now: () => clock,
    ...options,
  });
  let published = 0;
  series.subscribe(() => published++);
  return {
    series,
    frames,
    published: () => published,
    tick(ms: number) {
      clock += ms;
    },
  };
}

describe('LiveSeries', () => {
  it('publishes a burst of pushes as one view on the next frame', () => {
    const { series, frames, published } = setup();
    for (let i = 0; i < 500; i++) series.push(i, [i, -i]);
    expect(published()).toBe(0);
    expect(frames.waiting).toBe(1);
    frames.flush();
    expect(published()).toBe(1);
    expect(series.getView().points).toBe(500);
    expect(series.getView().latest).toEqual([499, -499]);
    expect(frames.flush()).toBe(0);
  });

  it('shows only the visible time window, downsampled to maxPoints, with null for gaps', () => {
    const { series, frames } = setup({ maxPoints: 40 });
    for (let t = 0; t <= 30_000; t += 10) series.pushRecord(t, { a: t, b: t % 1000 === 0 ? 'gap' : 1 });
    frames.flush();
    const view = series.getView();
    expect(view.domain).toEqual([20_000, 30_000]);
    expect(view.points).toBe(1_001);
    expect(view.rows.length).toBeLessThanOrEqual(40);
    expect(view.rows[0]!.time).toBe(20_000);
    expect(view.rows.at(-1)!.time).toBe(30_000);
    expect(view.rows[0]!.b).toBeNull();
    expect(view.yMax).toBe(30_000);
  });

  it('keeps buffering while paused without publishing, counts what arrived, and shows it at once on resume', () => {
    const { series, frames, published } = setup();
    series.push(1, [1, 1]);
    frames.flush();
    let pendingSignals = 0;
    series.subscribePending(() => pendingSignals++);
    series.setPaused(true);
    const frozen = series.getView();
    pendingSignals = 0;
    for (let i = 2; i <= 100; i++) series.push(i, [i, i]);
    frames.flush();
    expect(series.getView()).toBe(frozen);
    expect(series.getPending()).toBe(99);
    expect(pendingSignals).toBe(1);
    const before = published();
    series.setPaused(false);
    expect(published()).toBe(before + 1);
    expect(series.getView().latest).toEqual([100, 100]);
    expect(series.getPending()).toBe(0);
  });

  it('keeps the frozen window when a setting changes while paused', () => {
    const { series, frames } = setup();
    series.push(1_000, [1, 1]);
    series.push(2_000, [2, 2]);
    frames.flush();
    series.setPaused(true);
    series.push(3_000, [3, 3]);
    series.setWindow(60_000);
    expect(series.getView().latest).toEqual([2, 2]);
    expect(series.getView().domain).toEqual([2_000 - 60_000, 2_000]);
  });

  it('does not publish while inactive, and publishes what it buffered as soon as it is active again', () => {
    const { series, frames, published } = setup();
    series.setActive(false);
    for (let i = 0; i < 10; i++) series.push(i, [i, i]);
    expect(frames.waiting).toBe(0);
    expect(published()).toBe(0);
    series.setActive(true);
    expect(published()).toBe(1);
    expect(series.getView().points).toBe(10);
  });

  it('records the local time of the newest push as updatedAt', () => {
    const { series, frames, tick } = setup();
    expect(series.getView().updatedAt).toBeUndefined();
    tick(500);
    series.push(1, [1, 1]);
    frames.flush();
    expect(series.getView().updatedAt).toBe(1_500);
  });

  it('syncs a data array by appending only newer rows and starts over when the array goes back in time', () => {
    const { series } = setup();
    const rows = [
      { time: 1, a: 1 },
      { time: 2, a: 2 },
    ];
    series.syncRows(rows, (r) => r.time as number);
    expect(series.getView().points).toBe(2);
    series.syncRows([...rows, { time: 3, a: 3 }], (r) => r.time as number);
    expect(series.buffer.total).toBe(3);
    expect(series.getView().latest[0]).toBe(3);
    series.syncRows([{ time: 0, a: 9 }], (r) => r.time as number);
    expect(series.getView().points).toBe(1);
    expect(series.getView().latest[0]).toBe(9);
    series.syncRows([], (r) => r.time as number);
    expect(series.getView().points).toBe(0);
  });
});

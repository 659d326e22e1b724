import { describe, expect, it } from 'vitest';
import { manualFrames } from '../test/manual-frames';
import { LiveLog } from './live-log';

describe('LiveLog', () => {
  it('keeps only its capacity after a million pushes and publishes them once per frame', () => {
    const frames = manualFrames();
    const log = new LiveLog<number>({ capacity: 50, frames });
    let published = 0;
    log.subscribe(() => published++);
    for (let i = 0; i < 1_000_000; i++) log.push(i);
    frames.flush();
    expect(published).toBe(1);
    expect(log.size).toBe(50);
    expect(log.getView().entries.map((e) => e.value)).toEqual(Array.from({ length: 50 }, (_, i) => 999_950 + i));
    expect(log.getView().total).toBe(1_000_000);
  });

  it('freezes while paused, counts new items, and jumps to live on resume', () => {
    const frames = manualFrames();
    const log = new LiveLog<string>({ capacity: 3, frames });
    log.push('a');
    frames.flush();
    log.setPaused(true);
    log.push('b');
    log.push('c');
    frames.flush();
    expect(log.getView().entries.map((e) => e.value)).toEqual(['a']);
    expect(log.getPending()).toBe(2);
    log.setPaused(false);
    expect(log.getView().entries.map((e) => e.value)).toEqual(['a', 'b', 'c']);
  });

  it('syncs an items array by appending what follows the newest kept item', () => {
    const log = new LiveLog<{ id: number }>({ capacity: 10, frames: manualFrames() });
    const same = (a: { id: number }, b: { id: number }) => a.id === b.id;
    log.syncItems([{ id: 1 }, { id: 2 }], same);
    log.syncItems([{ id: 2 }, { id: 3 }], same);
    expect(log.getView().entries.map((e) => e.value.id)).toEqual([1, 2, 3]);
    log.syncItems([{ id: 7 }], same);
    expect(log.getView().entries.map((e) => e.value.id)).toEqual([7]);
  });
});

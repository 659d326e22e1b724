import { describe, expect, it, vi } from 'vitest';
import type { StorageAdapter, Timers } from './environment';
import { OutboundQueue, type QueueEntry } from './queue';
import { SocketboardConfigError } from './errors';
import { createStoragePersistence, loadPersistedQueue, persistQueue } from './queue-storage';

const KEY = 'socketboard:queue';

/** Timers run by hand: `tick()` fires what is due, as the event loop would after a macrotask. */
function manualTimers() {
  let nextId = 1;
  const due = new Map<number, () => void>();
  const timers: Timers = {
    setTimeout(callback) {
      const id = nextId++;
      due.set(id, callback);
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
  };
  return {
    timers,
    get pending() {
      return due.size;
    },
    tick() {
      const callbacks = [...due.values()];
      due.clear();
      for (const callback of callbacks) callback();
    },
  };
}

type Op = ['set', string, string] | ['remove', string];

function syncStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const ops: Op[] = [];
  const storage: StorageAdapter = {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      ops.push(['set', key, value]);
      data.set(key, value);
    },
    removeItem: (key) => {
      ops.push(['remove', key]);
      data.delete(key);
    },
  };
  return { storage, data, ops };
}

/** An async storage whose writes complete only when the test says so, and only then take effect. */
function asyncStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const inFlight: { op: Op; finish: (error?: Error) => void }[] = [];
  const write = (op: Op, apply: () => void) =>
    new Promise<void>((resolve, reject) => {
      inFlight.push({
        op,
        finish: (error) => {
          if (error === undefined) {
            apply();
            resolve();
          } else reject(error);
        },
      });
    });
  const storage: StorageAdapter = {
    getItem: (key) => Promise.resolve(data.get(key) ?? null),
    setItem: (key, value) => write(['set', key, value], () => data.set(key, value)),
    removeItem: (key) => write(['remove', key], () => data.delete(key)),
  };
  return {
    storage,
    data,
    inFlight,
    /** Completes the oldest write in flight (or fails it) and lets its callbacks run. */
    async finish(error?: Error) {
      inFlight.shift()!.finish(error);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const stored = (...entries: object[]) => JSON.stringify({ v: 1, entries });
const text = (frame: string, extra: Omit<QueueEntry, 'frame'> = {}): QueueEntry => ({ frame, ...extra });

function setup(storage: StorageAdapter, max = 100) {
  const clock = manualTimers();
  const queue = new OutboundQueue(max, 'drop-oldest');
  const onError = vi.fn();
  const persistence = persistQueue(queue, storage, KEY, clock.timers, onError);
  return { clock, queue, onError, persistence };
}

describe('persistQueue', () => {
  it('coalesces a burst of changes into one write on the next timer tick', () => {
    const { storage, data, ops } = syncStorage();
    const { clock, queue } = setup(storage);
    queue.push(text('a', { channel: 'chat', ackId: 'id1' }));
    queue.push(text('b', { channel: 'chat' }));
    queue.push(text('c'));
    expect(ops).toEqual([]);
    expect(clock.pending).toBe(1);
    clock.tick();
    expect(ops).toHaveLength(1);
    expect(data.get(KEY)).toBe(stored({ f: 'a', ch: 'chat', id: 'id1' }, { f: 'b', ch: 'chat' }, { f: 'c' }));
  });

  it('removes the key once the queue is empty', () => {
    const { storage, data, ops } = syncStorage();
    const { clock, queue } = setup(storage);
    queue.push(text('a'));
    clock.tick();
    queue.shift();
    clock.tick();
    expect(data.has(KEY)).toBe(false);
    expect(ops.at(-1)).toEqual(['remove', KEY]);
  });

  it('persists text frames only, leaving binary frames out', () => {
    const { storage, data } = syncStorage();
    const { clock, queue } = setup(storage);
    queue.push(text('a'));
    queue.push({ frame: new Uint8Array([1, 2]) });
    queue.push({ frame: new ArrayBuffer(4), channel: 'bin' });
    clock.tick();
    expect(data.get(KEY)).toBe(stored({ f: 'a' }));
  });

  it('removes the key when only binary frames are queued', () => {
    const { storage, data } = syncStorage({ [KEY]: stored({ f: 'old' }) });
    const { clock, queue } = setup(storage);
    queue.push({ frame: new ArrayBuffer(4) });
    clock.tick();
    expect(data.has(KEY)).toBe(false);
  });

  it('skips a write that would store what is already stored', () => {
    const { storage, ops } = syncStorage();
    const { clock, queue } = setup(storage);
    queue.push(text('a'));
    clock.tick();
    queue.push(text('b'));
    queue.removeWhere((e) => e.frame === 'b');
    clock.tick();
    queue.push({ frame: new ArrayBuffer(1) }); // not persisted: same stored text
    clock.tick();
    expect(ops).toHaveLength(1);
  });

  it('flush writes at once and cancels the pending write', () => {
    const { storage, data, ops } = syncStorage();
    const { clock, queue, persistence } = setup(storage);
    queue.push(text('a'));
    persistence.flush();
    expect(data.get(KEY)).toBe(stored({ f: 'a' }));
    expect(clock.pending).toBe(0);
    clock.tick();
    expect(ops).toHaveLength(1);
  });

  it('stop cancels the pending write and stops following the queue', () => {
    const { storage, ops } = syncStorage();
    const { clock, queue, persistence } = setup(storage);
    queue.push(text('a'));
    persistence.stop();
    expect(clock.pending).toBe(0);
    queue.push(text('b'));
    clock.tick();
    expect(ops).toEqual([]);
  });

  it('never overlaps writes to an async storage, so the last state lands last', async () => {
    const s = asyncStorage();
    const { clock, queue } = setup(s.storage);
    queue.push(text('a'));
    clock.tick();
    expect(s.inFlight.map((w) => w.op)).toEqual([['set', KEY, stored({ f: 'a' })]]);

    queue.push(text('b'));
    clock.tick();
    queue.shift();
    queue.shift();
    clock.tick();
    expect(s.inFlight).toHaveLength(1); // waits for the first write

    await s.finish();
    expect(s.inFlight.map((w) => w.op)).toEqual([['remove', KEY]]); // one catch-up write with the latest state
    await s.finish();
    expect(s.inFlight).toHaveLength(0);
    expect(s.data.has(KEY)).toBe(false);
  });

  it('stop drops the catch-up write an async storage was waiting for', async () => {
    const s = asyncStorage();
    const { clock, queue, persistence } = setup(s.storage);
    queue.push(text('a'));
    clock.tick();
    queue.push(text('b'));
    clock.tick();
    persistence.stop();
    await s.finish();
    expect(s.inFlight).toHaveLength(0);
    expect(s.data.get(KEY)).toBe(stored({ f: 'a' }));
  });

  it('reports a storage that throws to onError instead of throwing, and tries again on the next change', () => {
    const { storage, data } = syncStorage();
    const quota = new Error('QuotaExceededError');
    let failures = 1;
    const setItem = storage.setItem;
    storage.setItem = (key, value) => {
      if (failures-- > 0) throw quota;
      return setItem(key, value);
    };
    const { clock, queue, onError } = setup(storage);
    queue.push(text('a'));
    expect(() => clock.tick()).not.toThrow();
    expect(onError).toHaveBeenCalledWith(quota);
    queue.push(text('b'));
    clock.tick();
    expect(data.get(KEY)).toBe(stored({ f: 'a' }, { f: 'b' }));
  });

  it('rewrites unchanged contents after a failed write when flushed', () => {
    const { storage, data } = syncStorage();
    let fail = true;
    const setItem = storage.setItem;
    storage.setItem = (key, value) => {
      if (fail) throw new Error('busy');
      return setItem(key, value);
    };
    const { queue, persistence, onError } = setup(storage);
    queue.push(text('a'));
    persistence.flush();
    expect(onError).toHaveBeenCalledTimes(1);
    fail = false;
    persistence.flush();
    expect(data.get(KEY)).toBe(stored({ f: 'a' }));
  });

  it('reports a rejected async write to onError and keeps writing afterwards', async () => {
    const s = asyncStorage();
    const { clock, queue, onError } = setup(s.storage);
    queue.push(text('a'));
    clock.tick();
    queue.push(text('b'));
    clock.tick();
    const failure = new Error('IndexedDB closed');
    await s.finish(failure);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(s.inFlight.map((w) => w.op)).toEqual([['set', KEY, stored({ f: 'a' }, { f: 'b' })]]);
    await s.finish();
    expect(s.data.get(KEY)).toBe(stored({ f: 'a' }, { f: 'b' }));
  });

  it('rewrites unchanged contents after a rejected async write when flushed', async () => {
    const s = asyncStorage();
    const { clock, queue, persistence } = setup(s.storage);
    queue.push(text('a'));
    clock.tick();
    await s.finish(new Error('aborted'));
    persistence.flush();
    expect(s.inFlight.map((w) => w.op)).toEqual([['set', KEY, stored({ f: 'a' })]]);
  });

  it('reports timers that throw to onError', () => {
    const { storage } = syncStorage();
    const queue = new OutboundQueue(10, 'reject');
    const onError = vi.fn();
    const broken = new Error('no timers');
    const timers: Timers = {
      setTimeout: () => {
        throw broken;
      },
      clearTimeout: () => {},
    };
    persistQueue(queue, storage, KEY, timers, onError);
    expect(queue.push(text('a')).accepted).toBe(true);
    expect(onError).toHaveBeenCalledWith(broken);
  });
});

describe('loadPersistedQueue', () => {
  it('returns nothing for a missing key', async () => {
    expect(await loadPersistedQueue(syncStorage().storage, KEY)).toEqual({ entries: [], discarded: 0 });
  });

  it('reads back what persistQueue wrote to a sync storage', async () => {
    const { storage } = syncStorage();
    const queue = new OutboundQueue(10, 'reject');
    const persistence = persistQueue(queue, storage, KEY, manualTimers().timers, () => {});
    const entries = [text('a', { channel: 'chat', ackId: 'x1' }), text('b', { channel: 'chat' }), text('c')];
    for (const e of entries) queue.push(e);
    persistence.flush();
    expect(await loadPersistedQueue(storage, KEY)).toEqual({ entries, discarded: 0 });
  });

  it('reads back what persistQueue wrote to an async storage once the write completed', async () => {
    const s = asyncStorage();
    const queue = new OutboundQueue(10, 'reject');
    const persistence = persistQueue(queue, s.storage, KEY, manualTimers().timers, () => {});
    const entries = [text('a', { channel: 'chat', ackId: 'x1' }), text('b')];
    for (const e of entries) queue.push(e);
    persistence.flush();
    await s.finish();
    expect(await loadPersistedQueue(s.storage, KEY)).toEqual({ entries, discarded: 0 });
  });

  it('restored entries carry no keys for absent channel or ack id', async () => {
    const { storage } = syncStorage({ [KEY]: stored({ f: 'a' }) });
    const { entries } = await loadPersistedQueue(storage, KEY);
    expect(Object.keys(entries[0]!)).toEqual(['frame']);
  });

  it.each([
    ['text that is not JSON', '{"v":1,"entries":[', 1],
    ['JSON that is not an object', '42', 1],
    ['null', 'null', 1],
    ['an object without entries', '{"v":1}', 1],
    ['an unknown version', JSON.stringify({ v: 2, entries: [{ f: 'a' }, { f: 'b' }, { f: 'c' }] }), 3],
    ['an unknown version with no entries', JSON.stringify({ v: 2, entries: [] }), 1],
  ])('discards %s, counts it and removes the key', async (_what, raw, discarded) => {
    const { storage, data } = syncStorage({ [KEY]: raw });
    expect(await loadPersistedQueue(storage, KEY)).toEqual({ entries: [], discarded });
    expect(data.has(KEY)).toBe(false);
  });

  it('keeps the readable entries, counts the others and rewrites the key without them', async () => {
    const raw = JSON.stringify({
      v: 1,
      entries: [{ f: 'a' }, { f: 1 }, null, { f: 'b', ch: 2 }, { f: 'c', id: 'x' }, 'd'],
    });
    const { storage, data } = syncStorage({ [KEY]: raw });
    const result = await loadPersistedQueue(storage, KEY);
    expect(result).toEqual({ entries: [text('a'), text('c', { ackId: 'x' })], discarded: 4 });
    expect(data.get(KEY)).toBe(stored({ f: 'a' }, { f: 'c', id: 'x' }));
  });

  it('leaves intact data untouched', async () => {
    const { storage, ops } = syncStorage({ [KEY]: stored({ f: 'a' }) });
    await loadPersistedQueue(storage, KEY);
    expect(ops).toEqual([]);
  });

  it.each([
    [
      'throws',
      (err: Error) => () => {
        throw err;
      },
    ],
    ['rejects', (err: Error) => () => Promise.reject(err)],
  ])('reports a getItem that %s and returns nothing', async (_how, failing) => {
    const failure = new Error('SecurityError');
    const storage: StorageAdapter = { ...syncStorage().storage, getItem: failing(failure) };
    const onError = vi.fn();
    expect(await loadPersistedQueue(storage, KEY, onError)).toEqual({ entries: [], discarded: 0 });
    expect(onError).toHaveBeenCalledWith(failure);
  });

  it('reports a failing cleanup of corrupt data and still returns the count', async () => {
    const failure = new Error('read-only');
    const storage: StorageAdapter = {
      getItem: () => 'not json',
      setItem: () => {},
      removeItem: () => Promise.reject(failure),
    };
    const onError = vi.fn();
    expect(await loadPersistedQueue(storage, KEY, onError)).toEqual({ entries: [], discarded: 1 });
    expect(onError).toHaveBeenCalledWith(failure);
  });

  it('never rejects without an onError', async () => {
    const storage: StorageAdapter = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {},
      removeItem: () => {},
    };
    await expect(loadPersistedQueue(storage, KEY)).resolves.toEqual({ entries: [], discarded: 0 });
  });
});

describe('createStoragePersistence', () => {
  it('reads back under its key what it wrote while following a queue', async () => {
    const { storage } = syncStorage();
    const persist = createStoragePersistence(storage, 'app:queue');
    const queue = new OutboundQueue(100, 'drop-oldest');
    const clock = manualTimers();
    const handle = persist.follow(queue, clock.timers, () => {});
    queue.push(text('{"t":"pub"}', { channel: 'a' }));
    handle.flush();
    handle.stop();
    expect(await persist.load(() => {})).toEqual({ entries: [text('{"t":"pub"}', { channel: 'a' })], discarded: 0 });
    expect(await loadPersistedQueue(storage, KEY)).toEqual({ entries: [], discarded: 0 });
  });

  it('refuses a storage without getItem, setItem and removeItem, and an empty key, naming the option', () => {
    expect(() => createStoragePersistence({ getItem: () => null } as unknown as StorageAdapter)).toThrow(
      SocketboardConfigError,
    );
    expect(() => createStoragePersistence(syncStorage().storage, '')).toThrow(/Invalid option `key`/);
  });
});

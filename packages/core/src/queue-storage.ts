import type { StorageAdapter, Timers } from './environment';
import { SocketboardConfigError } from './errors';
import type { QueueEntry } from './queue';

/*
 * Stored format, version 1: `{"v":1,"sid":"<session>","entries":[{"f":"<text frame>","ch":"<channel>","id":"<ack id>"}]}`,
 * oldest first; `sid`, `ch` and `id` are left out when absent. The session id travels with the
 * entries so that a reloaded page presents the same session and the server can drop acked
 * publishes it already delivered. Only text frames are persisted: binary
 * frames have no faithful JSON form, so they are left out of what is stored (they stay in the live
 * queue and are sent as usual if the page is not reloaded first). An empty queue removes the key.
 */
const VERSION = 1;

interface StoredEntry {
  f: string;
  ch?: string;
  id?: string;
}

/** What is persisted: the outbound queue itself, or a view that also holds sent-but-unacked publishes. */
export interface PersistSource {
  toArray(): readonly QueueEntry[];
  /** Calls `listener` after every change worth saving; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  sessionId?(): string | undefined;
}

export interface PersistHandle {
  /** Writes the queue now instead of at the end of the current burst of changes. */
  flush(): void;
  /** Stops following the queue and cancels a pending write. A write already under way completes. */
  stop(): void;
}

/**
 * Queue persistence for the `queue.persist` option: where unsent publishes survive a page reload.
 * Build one with {@link createStoragePersistence}; it is a separate import so apps that do not persist
 * do not ship the storage code.
 */
export interface QueuePersistence {
  /** Reads what an earlier page left. Never throws or rejects; storage failures go to `onError`. */
  load(onError: (err: unknown) => void): Promise<{ entries: QueueEntry[]; discarded: number; sessionId?: string }>;
  /** Keeps the store in step with `source` until `stop()`. Called once `load` has settled. */
  follow(source: PersistSource, timers: Timers, onError: (err: unknown) => void): PersistHandle;
}

/**
 * Persists unsent text frames (and sent but unacked publishes) in `storage` under `key`, e.g.
 * `createConnection({ url, queue: { persist: createStoragePersistence(localStorage) } })`.
 *
 * @throws {SocketboardConfigError} when `storage` lacks getItem/setItem/removeItem or `key` is empty.
 */
export function createStoragePersistence(storage: StorageAdapter, key = 'socketboard:queue'): QueuePersistence {
  const s = storage as unknown as Record<string, unknown> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    ['getItem', 'setItem', 'removeItem'].some((m) => typeof s[m] !== 'function')
  ) {
    throw new SocketboardConfigError(
      'storage',
      'expected an object with getItem, setItem and removeItem (localStorage fits).',
    );
  }
  if (typeof key !== 'string' || key.length === 0)
    throw new SocketboardConfigError('key', 'expected a non-empty string.');
  return {
    load: (onError) => loadPersistedQueue(storage, key, onError),
    follow: (source, timers, onError) => persistQueue(source, storage, key, timers, onError),
  };
}

/**
 * Keeps `storage[key]` in step with `queue`. Changes are coalesced into one write per burst (a
 * `timers.setTimeout(…, 0)` after the first change), a write identical to the last one is skipped,
 * and writes to an async storage never overlap, so the last state always lands last.
 * Failures of the storage (thrown or rejected) go to `onError`, never to the caller.
 *
 * Call {@link loadPersistedQueue} before this: the first write replaces whatever was stored.
 */
export function persistQueue(
  queue: PersistSource,
  storage: StorageAdapter,
  key: string,
  timers: Timers,
  onError: (err: unknown) => void,
): PersistHandle {
  let timer: unknown;
  let scheduled = false;
  let writing = false;
  // A write was asked for while an async one was under way; done once that one settles.
  let pending = false;
  let stopped = false;
  // What the last successful write left in storage (`null` = removed); `undefined` = not known.
  let lastWritten: string | null | undefined;

  const fire = (): void => {
    scheduled = false;
    timer = undefined;
    save();
  };

  const schedule = (): void => {
    if (stopped || scheduled) return;
    scheduled = true;
    try {
      timer = timers.setTimeout(fire, 0);
    } catch (error) {
      scheduled = false;
      onError(error);
    }
  };

  const cancel = (): void => {
    if (!scheduled) return;
    scheduled = false;
    timers.clearTimeout(timer);
    timer = undefined;
  };

  const settled = (): void => {
    writing = false;
    if (pending) {
      pending = false;
      save();
    }
  };

  function save(): void {
    if (writing) {
      pending = true;
      return;
    }
    const value = serializeEntries(queue.toArray(), queue.sessionId?.());
    if (value === lastWritten) return;
    let result: void | Promise<void>;
    try {
      result = value === null ? storage.removeItem(key) : storage.setItem(key, value);
    } catch (error) {
      lastWritten = undefined;
      onError(error);
      return;
    }
    if (!isThenable(result)) {
      lastWritten = value;
      return;
    }
    writing = true;
    void Promise.resolve(result)
      .then(
        () => {
          lastWritten = value;
        },
        (error: unknown) => {
          lastWritten = undefined;
          onError(error);
        },
      )
      .finally(settled);
  }

  const unsubscribe = queue.subscribe(schedule);

  return {
    flush() {
      cancel();
      save();
    },
    stop() {
      stopped = true;
      pending = false;
      cancel();
      unsubscribe();
    },
  };
}

/**
 * Reads the queue stored under `key`. Never throws: a missing key gives no entries; data that is
 * corrupt or of an unknown version gives no entries, counts what was lost in `discarded` (a blob that
 * cannot be read at all counts as 1) and removes the key; entries that are individually unreadable
 * are discarded and counted, and the key is rewritten without them. Storage failures go to `onError`.
 */
export async function loadPersistedQueue(
  storage: StorageAdapter,
  key: string,
  onError: (err: unknown) => void = () => {},
): Promise<{ entries: QueueEntry[]; discarded: number; sessionId?: string }> {
  let raw: string | null;
  try {
    raw = await storage.getItem(key);
  } catch (error) {
    onError(error);
    return { entries: [], discarded: 0 };
  }
  if (raw === null || raw === undefined) return { entries: [], discarded: 0 };

  const { entries, discarded, sessionId } = parseStored(raw);
  if (discarded > 0) {
    const rewritten = serializeEntries(entries, sessionId);
    try {
      await (rewritten === null ? storage.removeItem(key) : storage.setItem(key, rewritten));
    } catch (error) {
      onError(error);
    }
  }
  return sessionId === undefined ? { entries, discarded } : { entries, discarded, sessionId };
}

function serializeEntries(entries: readonly QueueEntry[], sessionId: string | undefined): string | null {
  const stored: StoredEntry[] = [];
  for (const entry of entries) {
    if (typeof entry.frame !== 'string') continue;
    const item: StoredEntry = { f: entry.frame };
    if (entry.channel !== undefined) item.ch = entry.channel;
    if (entry.ackId !== undefined) item.id = entry.ackId;
    stored.push(item);
  }
  if (stored.length === 0) return null;
  return JSON.stringify(
    sessionId === undefined ? { v: VERSION, entries: stored } : { v: VERSION, sid: sessionId, entries: stored },
  );
}

function parseStored(raw: string): { entries: QueueEntry[]; discarded: number; sessionId?: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { entries: [], discarded: 1 };
  }
  if (typeof data !== 'object' || data === null) return { entries: [], discarded: 1 };
  const { v, sid, entries: stored } = data as { v?: unknown; sid?: unknown; entries?: unknown };
  if (!Array.isArray(stored)) return { entries: [], discarded: 1 };
  if (v !== VERSION) return { entries: [], discarded: Math.max(1, stored.length) };

  const entries: QueueEntry[] = [];
  let discarded = 0;
  for (const item of stored as unknown[]) {
    const entry = toEntry(item);
    if (entry === undefined) discarded++;
    else entries.push(entry);
  }
  return typeof sid === 'string' && sid.length > 0 ? { entries, discarded, sessionId: sid } : { entries, discarded };
}

function toEntry(item: unknown): QueueEntry | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { f, ch, id } = item as { f?: unknown; ch?: unknown; id?: unknown };
  if (typeof f !== 'string') return undefined;
  if (ch !== undefined && typeof ch !== 'string') return undefined;
  if (id !== undefined && typeof id !== 'string') return undefined;
  // Keys are only set when present, so restored entries look exactly like freshly queued ones.
  if (ch === undefined) return id === undefined ? { frame: f } : { frame: f, ackId: id };
  return id === undefined ? { frame: f, channel: ch } : { frame: f, channel: ch, ackId: id };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

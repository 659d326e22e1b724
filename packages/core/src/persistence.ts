import { reportDrop, track } from './acks';
import { errorMessage, report, setState } from './engine';
import type { Engine } from './engine';
import { MessageDroppedError, SocketboardError } from './errors';
import { drain } from './outbound';
import type { QueueEntry } from './queue';
import type { PersistSource, QueuePersistence } from './queue-storage';

/**
 * With `queue.persist`: restores what an earlier page left, then keeps the store in step. Restore
 * comes first because the first write replaces what is stored.
 */
export function startPersistence(e: Engine, persist: QueuePersistence): void {
  if (e.persistence !== undefined) return;
  e.restoring ??= restoreQueue(e, persist);
  void e.restoring.then(() => {
    if (!e.wanted || e.persistence !== undefined) return;
    e.persistence = persist.follow(persistSource(e), e.o.timers, (error) =>
      report(e, new SocketboardError('storage', `Could not persist the outbound queue: ${errorMessage(error)}`)),
    );
    // Publishes made while restoring are not saved yet.
    for (const listener of e.persistListeners) listener();
  });
}

/** On `close()`: the last state is written now, then persistence stops until the next `connect()`. */
export function stopPersistence(e: Engine): void {
  e.persistence?.flush();
  e.persistence?.stop();
  e.persistence = undefined;
}

/**
 * What survives a reload: publishes written but not yet acked (they would be lost otherwise), then
 * the queue, plus the session id so the server recognises resent ids.
 */
function persistSource(e: Engine): PersistSource {
  return {
    toArray: () => {
      const entries: QueueEntry[] = [];
      for (const flight of e.inFlight.values()) {
        if (flight.sent) entries.push({ frame: flight.frame, channel: flight.channel, ackId: flight.id });
      }
      for (const entry of e.queue.toArray()) entries.push(entry);
      return entries;
    },
    subscribe: (listener) => {
      const offQueue = e.queue.subscribe(listener);
      e.persistListeners.add(listener);
      return () => {
        offQueue();
        e.persistListeners.delete(listener);
      };
    },
    sessionId: () => e.store.getState().sessionId,
  };
}

async function restoreQueue(e: Engine, persist: QueuePersistence): Promise<void> {
  const failed = (error: unknown) =>
    report(e, new SocketboardError('storage', `Could not read the persisted queue: ${errorMessage(error)}`));
  let loaded: Awaited<ReturnType<QueuePersistence['load']>>;
  try {
    loaded = await persist.load(failed);
  } catch (error) {
    // A custom persistence whose load rejects must not keep the connection from connecting: report it
    // and start with an empty queue.
    failed(error);
    return;
  }
  const { entries, discarded, sessionId } = loaded;
  if (discarded > 0) {
    e.collector.recordDropped(discarded);
    report(e, new MessageDroppedError('unserializable', `${discarded} persisted frame(s) were unreadable.`));
  }
  if (sessionId !== undefined && e.store.getState().sessionId === undefined) setState(e, { sessionId });
  if (entries.length === 0) return;
  for (const entry of entries) {
    // The promise of a restored acked publish died with the previous page; track it anyway so it is
    // resent after a drop, and report its fate through on('error') instead.
    if (entry.ackId !== undefined && !e.inFlight.has(entry.ackId)) {
      track(
        e,
        entry.ackId,
        entry.channel ?? '',
        entry.frame,
        e.o.ackTimeoutMs,
        () => {},
        (error) => report(e, error),
      );
    }
  }
  const removed = e.queue.unshiftMany(entries);
  for (const entry of removed) reportDrop(e, entry, 'queue-overflow', 'the restored queue exceeded queue.max.');
  drain(e);
}

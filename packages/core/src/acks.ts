import type { Ack } from './connection';
import { report } from './engine';
import type { Engine, InFlight } from './engine';
import { AckTimeoutError, ConnectionClosedError, MessageDroppedError } from './errors';
import type { DropReason, SocketboardError } from './errors';
import type { OutboundFrame } from './protocol/types';
import type { QueueEntry } from './queue';

/** Registers an acked publish as in flight until its ack, nack or timeout. */
export function track(
  e: Engine,
  id: string,
  channel: string,
  frame: OutboundFrame,
  timeoutMs: number,
  resolve: (ack: Ack) => void,
  reject: (error: SocketboardError) => void,
): void {
  const flight: InFlight = { id, channel, frame, sent: false, timer: undefined, resolve, reject };
  e.inFlight.set(id, flight);
  flight.timer = e.o.timers.setTimeout(() => {
    if (e.inFlight.get(id) !== flight) return;
    e.inFlight.delete(id);
    // Still queued: it will never be wanted now, so do not send it later.
    e.queue.removeWhere((entry) => entry.ackId === id);
    persistChanged(e);
    reject(new AckTimeoutError(id, channel, timeoutMs));
  }, timeoutMs);
}

/** Resolves (with `ack`) or rejects (with `error`) the acked publish `id`, if it is still in flight. */
export function settleFlight(e: Engine, id: string, ack: Ack | undefined, error?: SocketboardError): void {
  const flight = e.inFlight.get(id);
  if (flight === undefined) return;
  e.inFlight.delete(id);
  e.o.timers.clearTimeout(flight.timer);
  if (flight.sent) persistChanged(e);
  if (error !== undefined) flight.reject(error);
  else flight.resolve(ack ?? { id, channel: flight.channel });
}

/** Rejects every acked publish still waiting, with `ConnectionClosedError` saying `detail`. */
export function failInFlight(e: Engine, detail: string): void {
  if (e.inFlight.size === 0) return;
  const ids = new Set(e.inFlight.keys());
  e.queue.removeWhere((entry) => entry.ackId !== undefined && ids.has(entry.ackId));
  for (const id of ids) {
    const flight = e.inFlight.get(id)!;
    e.collector.recordDropped();
    settleFlight(e, id, undefined, new ConnectionClosedError(`Message ${id} on "${flight.channel}": ${detail}`));
  }
}

/** Counts and reports a dropped outbound message; an acked one's promise rejects with the same error. */
export function reportDrop(e: Engine, entry: QueueEntry, reason: DropReason, detail: string): void {
  const error = new MessageDroppedError(reason, detail, entry.channel);
  e.collector.recordDropped();
  if (entry.ackId !== undefined) settleFlight(e, entry.ackId, undefined, error);
  report(e, error);
}

/** Tells queue persistence (when on) that the set of sent-but-unacked publishes changed. */
export function persistChanged(e: Engine): void {
  for (const listener of e.persistListeners) listener();
}

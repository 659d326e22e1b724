import { persistChanged, reportDrop, settleFlight, track } from './acks';
import type { Ack, PublishOptions, SendResult } from './connection';
import { errorMessage, report, setState } from './engine';
import type { Engine } from './engine';
import { MessageDroppedError, SocketboardError } from './errors';
import type { OutboundFrame } from './protocol/types';
import { frameByteLength } from './protocol/utf8';
import type { QueueEntry } from './queue';

const OPEN = 1;

export function publish(
  e: Engine,
  channel: string,
  data: unknown,
  options?: PublishOptions,
): SendResult | Promise<Ack> {
  if (options?.ack === true) return publishAcked(e, channel, data, options.timeoutMs ?? e.o.ackTimeoutMs);
  let frame: OutboundFrame;
  try {
    frame = e.protocol.encodePublish(channel, data);
  } catch (error) {
    reportDrop(e, { frame: '', channel }, 'unserializable', errorMessage(error));
    return 'dropped';
  }
  return enqueueOrSend(e, { frame, channel });
}

function publishAcked(e: Engine, channel: string, data: unknown, timeoutMs: number): Promise<Ack> {
  if (!e.protocol.acks) {
    return Promise.reject(
      new SocketboardError(
        'acks-unsupported',
        `The ${e.protocol.name} protocol has no acks; publish without { ack: true }, or use socketboardProtocol().`,
      ),
    );
  }
  const id = e.idPrefix + (++e.idCounter).toString(36);
  let frame: OutboundFrame;
  try {
    frame = e.protocol.encodePublish(channel, data, id);
  } catch (error) {
    const dropped = new MessageDroppedError('unserializable', errorMessage(error), channel);
    e.collector.recordDropped();
    report(e, dropped);
    return Promise.reject(dropped);
  }
  return new Promise<Ack>((resolve, reject) => {
    track(e, id, channel, frame, timeoutMs, resolve, reject);
    const result = enqueueOrSendChecked(e, { frame, channel, ackId: id });
    if (result instanceof MessageDroppedError) settleFlight(e, id, undefined, result);
  });
}

/** `send()` and plain publishes: a refused frame throws under `overflow: 'reject'`, else says `dropped`. */
export function enqueueOrSend(e: Engine, entry: QueueEntry): SendResult {
  const result = enqueueOrSendChecked(e, entry);
  if (result instanceof MessageDroppedError) {
    if (e.o.queue.overflow === 'reject') throw result;
    return 'dropped';
  }
  return result;
}

/** Writes now when possible, else queues; every refusal or eviction is counted and reported. */
function enqueueOrSendChecked(e: Engine, entry: QueueEntry): SendResult | MessageDroppedError {
  if (canWrite(e) && e.queue.size === 0) {
    if (write(e, entry)) return 'sent';
  }
  const result = e.queue.push(entry);
  if (result.accepted) {
    if (result.evicted !== undefined) {
      reportDrop(
        e,
        result.evicted,
        'queue-overflow',
        `the queue is full (queue.max = ${e.queue.max}); evicted the oldest.`,
      );
    }
    return 'queued';
  }
  const error = new MessageDroppedError(
    'queue-overflow',
    `the queue is full (queue.max = ${e.queue.max}, overflow '${result.policy}').`,
    entry.channel,
  );
  e.collector.recordDropped();
  report(e, error);
  return error;
}

function canWrite(e: Engine): boolean {
  const { status, backpressured } = e.store.getState();
  return e.socket !== undefined && status === 'open' && !backpressured && e.socket.readyState === OPEN;
}

/** Writes one frame to the open socket. Returns false (and leaves the entry unsent) when the socket refused it. */
export function write(e: Engine, entry: QueueEntry): boolean {
  const socket = e.socket;
  // A socket whose close frame arrived but whose close event has not fired yet is CLOSING: a send
  // now would be lost (and browsers log an error), so the frame stays queued for the next socket.
  if (socket === undefined || socket.readyState !== OPEN) return false;
  try {
    socket.send(entry.frame);
  } catch {
    return false;
  }
  e.collector.recordOut(frameByteLength(entry.frame));
  if (entry.ackId !== undefined) {
    const flight = e.inFlight.get(entry.ackId);
    if (flight !== undefined && !flight.sent) {
      flight.sent = true;
      persistChanged(e);
    }
  }
  if (socket.bufferedAmount > e.o.backpressure.highWaterMark) startBackpressure(e);
  return true;
}

/**
 * Control frames (auth, hello, sub, ping) skip the queue: they must lead, and are tiny. A protocol's
 * encoder may throw (a user callback of the raw protocol); that is reported, never thrown.
 */
export function writeControl(e: Engine, encode: () => OutboundFrame | undefined): boolean {
  if (e.socket === undefined) return false;
  let frame: OutboundFrame | undefined;
  try {
    frame = encode();
  } catch (error) {
    reportDrop(e, { frame: '' }, 'unserializable', `a control frame could not be encoded: ${errorMessage(error)}`);
    return false;
  }
  if (frame === undefined) return false;
  return write(e, { frame });
}

/** Writes queued frames, oldest first, while the socket takes them. */
export function drain(e: Engine): void {
  while (e.queue.size > 0 && canWrite(e)) {
    const entry = e.queue.peek()!;
    if (!write(e, entry)) return;
    e.queue.shift();
  }
}

/** Browsers have no drain event: poll `bufferedAmount` until it falls to the low-water mark. */
function startBackpressure(e: Engine): void {
  if (e.store.getState().backpressured) return;
  setState(e, { backpressured: true });
  const poll = () => {
    const socket = e.socket;
    if (socket === undefined) return;
    if (socket.bufferedAmount <= e.o.backpressure.lowWaterMark) {
      setState(e, { backpressured: false });
      drain(e);
    } else {
      e.timers.set('backpressure', e.o.backpressure.pollMs, poll);
    }
  };
  e.timers.set('backpressure', e.o.backpressure.pollMs, poll);
}

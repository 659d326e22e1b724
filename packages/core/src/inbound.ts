import type { ChannelEntry } from './channel';
import { retrySubscription } from './channels';
import { settleFlight } from './acks';
import { errorMessage, report, reportListenerError, setState } from './engine';
import type { Engine } from './engine';
import { DecodeError, NackError, ServerError } from './errors';
import { excerpt } from './protocol/excerpt';
import { decodeParsed, isMsg, parseFrame } from './protocol/socketboard';
import type { DecodeResult, InboundEvent, InboundFrame } from './protocol/types';
import { utf8ByteLength } from './protocol/utf8';
import { describeIssues } from './standard-schema';
import type { StandardSchemaResult, StandardSchemaV1 } from './standard-schema';

/** `err` codes for a refused subscription that may succeed if asked again (PROTOCOL.md, error codes). */
const TRANSIENT_REFUSALS = new Set(['unavailable', 'rate-limited']);
/** The connection store's `lastMessageAt` is written at most this often (ms), plus a trailing write. */
const STATE_WRITE_INTERVAL_MS = 250;

/**
 * One WebSocket message from the socket. The hot path (a v1 `msg` text frame, alone or inside a batch)
 * allocates nothing of its own until the channel store's new state: the parsed frame is routed as is,
 * without a decode result or event.
 */
export function onFrame(e: Engine, raw: unknown): void {
  const now = e.o.now();
  e.lastInboundAt = now;
  e.heartbeat?.inbound(now);
  if (now - e.lastStateWriteAt >= STATE_WRITE_INTERVAL_MS) writeLastMessageAt(e, now);
  else if (!e.trailingWrite) armTrailingWrite(e, now);

  let bytes: number;
  if (typeof raw === 'string') bytes = utf8ByteLength(raw);
  else if (raw instanceof ArrayBuffer) bytes = raw.byteLength;
  // `binaryType = 'arraybuffer'` makes this impossible in browsers; some Node shims hand over Buffers.
  else if (ArrayBuffer.isView(raw)) {
    const copy = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    raw = copy;
    bytes = copy.byteLength;
  } else {
    decodeFailed(e, `unsupported frame type ${typeof raw}`, '');
    return;
  }
  const frame = raw as InboundFrame;
  e.collector.recordIn(bytes);
  if (bytes > e.o.maxMessageBytes) {
    decodeFailed(e, `${bytes} bytes is over maxMessageBytes (${e.o.maxMessageBytes})`, excerpt(frame));
    return;
  }
  let result: DecodeResult;
  if (e.v1 && typeof frame === 'string') {
    const value = parseFrame(frame);
    if (isMsg(value)) {
      onMessage(e, value.ch, value.d, value.seq, now);
      return;
    }
    if (Array.isArray(value)) {
      onBatch(e, value, now);
      return;
    }
    result = decodeParsed(value);
  } else if (e.batches && typeof frame === 'string' && frame.charCodeAt(0) === 91 /* [ */) {
    // A protocol that wraps v1's decode (logging, say) still gets the server's batches, frame by frame.
    const value = parseFrame(frame);
    if (Array.isArray(value)) {
      onBatch(e, value, now, (element) => e.protocol.decode(JSON.stringify(element)));
      return;
    }
    result = e.protocol.decode(frame);
  } else {
    result = e.protocol.decode(frame);
  }
  if (!result.ok) {
    decodeFailed(e, result.reason, excerpt(frame), result.channel);
    return;
  }
  onEvent(e, result.event, now);
}

/**
 * A v1 batch (PROTOCOL.md, batches): a JSON array of frames, each handled as if it had arrived alone.
 * The WebSocket message's bytes were counted once by the caller, together with its first frame; each
 * further frame counts as one more message of 0 bytes. A bad element is dropped and reported on its own.
 */
function onBatch(
  e: Engine,
  frames: readonly unknown[],
  now: number,
  decode: (element: unknown) => DecodeResult = decodeParsed,
): void {
  if (frames.length === 0) {
    decodeFailed(e, 'empty batch (a JSON array holding no frame)', '[]');
    return;
  }
  // A listener may close or reconnect the connection: frames after that would never have been
  // delivered had they arrived alone, so the rest of the batch goes with the socket.
  const socket = e.socket;
  for (let i = 0; i < frames.length; i++) {
    if (i > 0) {
      if (e.socket !== socket) return;
      e.collector.recordIn(0);
    }
    const value = frames[i];
    // A store subscriber that throws must not take the rest of the batch with it (a frame arriving
    // alone would only lose itself): report it and go on with the next frame.
    try {
      if (decode === decodeParsed && isMsg(value)) {
        onMessage(e, value.ch, value.d, value.seq, now);
        continue;
      }
      // Nested arrays are not batches: decodeParsed refuses them as "not an object".
      const result = decode(value);
      if (result.ok) onEvent(e, result.event, now);
      else decodeFailed(e, `batch frame ${i}: ${result.reason}`, safeExcerpt(value), result.channel);
    } catch (error) {
      reportListenerError(e, error, `a subscriber of a channel store (batch frame ${i})`);
    }
  }
}

function onEvent(e: Engine, event: InboundEvent, now: number): void {
  switch (event.type) {
    case 'message':
      onMessage(e, event.channel, event.data, event.seq, now);
      return;
    case 'subscribed': {
      const entry = e.channels.get(event.channel);
      if (entry === undefined) return;
      const state = entry.store.getState();
      const resumed = state.seq === undefined && event.resumed !== false ? undefined : event.resumed;
      entry.refusals = 0;
      entry.replaying = false;
      entry.store.setState({
        status: entry.refs > 0 ? 'subscribed' : state.status,
        seq: event.seq ?? state.seq,
        resumed: resumed ?? state.resumed,
        error: undefined,
      });
      return;
    }
    case 'ack': {
      const flight = e.inFlight.get(event.id);
      if (flight !== undefined) settleFlight(e, event.id, { id: event.id, channel: flight.channel });
      return;
    }
    case 'nack': {
      const flight = e.inFlight.get(event.id);
      if (flight !== undefined) {
        settleFlight(e, event.id, undefined, new NackError(event.id, flight.channel, event.code, event.reason));
      }
      return;
    }
    case 'pong':
      e.heartbeat?.pong(event.ts);
      return;
    case 'welcome':
      setState(e, { sessionId: event.sessionId });
      for (const listener of e.persistListeners) listener();
      return;
    case 'error': {
      const error = new ServerError(event.code, event.reason, event.channel);
      if (event.channel !== undefined) {
        const entry = e.channels.get(event.channel);
        if (entry !== undefined && entry.store.getState().status === 'subscribing') {
          entry.store.setState({ status: 'error', error });
          if (TRANSIENT_REFUSALS.has(event.code)) retrySubscription(e, entry);
        }
      }
      setState(e, { lastError: error });
      report(e, error);
      return;
    }
  }
}

function onMessage(e: Engine, channel: string | undefined, data: unknown, seq: number | undefined, now: number): void {
  const entry = channel === undefined ? undefined : e.channels.get(channel);
  if (entry !== undefined) {
    const last = entry.store.getState().seq;
    if (seq !== undefined && last !== undefined && seq <= last) {
      // Replay overlapping what we already have: exactly-once as far as the app can tell.
      e.collector.recordDuplicate();
      return;
    }
    if (entry.schema !== undefined || entry.validation !== undefined) {
      validateThenDeliver(e, entry, data, seq, now);
      return;
    }
    entry.deliver(data, seq, now, entry.replaying, e.onListenerError);
  }
  if (e.events.has('message')) e.events.emit('message', { channel, data, seq, receivedAt: now });
}

function validateThenDeliver(
  e: Engine,
  entry: ChannelEntry,
  data: unknown,
  seq: number | undefined,
  now: number,
): void {
  // Read on arrival: an async validation may finish after the `subd` that ends the replay.
  const replayed = entry.replaying;
  const finish = (result: StandardSchemaResult<unknown>) => {
    if (result.issues !== undefined) {
      decodeFailed(e, `schema rejected the payload (${describeIssues(result.issues)})`, safeExcerpt(data), entry.name);
      return;
    }
    entry.deliver(result.value, seq, now, replayed, e.onListenerError);
    if (e.events.has('message'))
      e.events.emit('message', { channel: entry.name, data: result.value, seq, receivedAt: now });
  };
  const fail = (error: unknown) =>
    decodeFailed(e, `schema threw: ${errorMessage(error)}`, safeExcerpt(data), entry.name);
  const run = (schema: StandardSchemaV1 | undefined) => {
    if (schema === undefined) return finish({ value: data });
    try {
      return schema['~standard'].validate(data);
    } catch (error) {
      fail(error);
      return undefined;
    }
  };
  if (entry.validation === undefined) {
    const result = run(entry.schema);
    if (result === undefined) return;
    if (!(result instanceof Promise)) {
      finish(result);
      return;
    }
    // An async validator: later messages on this channel wait their turn so order is kept.
    const chained = result.then(finish, fail).finally(() => {
      if (entry.validation === chained) entry.validation = undefined;
    });
    entry.validation = chained;
    return;
  }
  const chained: Promise<void> = entry.validation
    .then(async () => {
      const result = run(entry.schema);
      if (result === undefined) return;
      finish(await result);
    })
    .catch(fail)
    .finally(() => {
      if (entry.validation === chained) entry.validation = undefined;
    });
  entry.validation = chained;
}

function decodeFailed(e: Engine, reason: string, frameExcerpt: string, channel?: string): void {
  e.collector.recordDecodeError();
  const error = new DecodeError(reason, frameExcerpt, channel);
  setState(e, { lastError: error });
  report(e, error);
}

function writeLastMessageAt(e: Engine, now: number): void {
  e.lastStateWriteAt = now;
  setState(e, { lastMessageAt: now });
}

/** A trailing write, so the store never lags the truth by more than the interval. */
function armTrailingWrite(e: Engine, now: number): void {
  e.trailingWrite = true;
  e.timers.set('lastMessage', STATE_WRITE_INTERVAL_MS - (now - e.lastStateWriteAt), () => {
    e.trailingWrite = false;
    e.lastStateWriteAt = e.o.now();
    setState(e, { lastMessageAt: e.lastInboundAt });
  });
}

function safeExcerpt(data: unknown): string {
  try {
    return excerpt(JSON.stringify(data) ?? String(data));
  } catch {
    return '<unprintable>';
  }
}

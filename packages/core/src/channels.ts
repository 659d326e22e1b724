import { reportDrop } from './acks';
import { backoffDelay } from './backoff';
import { ChannelEntry } from './channel';
import type { ChannelListener, SubscribeOptions } from './channel';
import { errorMessage } from './engine';
import type { Engine } from './engine';
import { SocketboardError } from './errors';
import { writeControl } from './outbound';
import type { OutboundFrame } from './protocol/types';

/** `connection.subscribe()`: the first listener of a channel subscribes on the wire. */
export function subscribe(
  e: Engine,
  channel: string,
  listener: ChannelListener,
  options?: SubscribeOptions,
): () => void {
  if (typeof channel !== 'string' || channel.length === 0) {
    throw new SocketboardError(
      'bad-channel',
      `subscribe() needs a non-empty channel name, got ${JSON.stringify(channel)}.`,
    );
  }
  if (typeof listener !== 'function') {
    throw new SocketboardError('bad-listener', `subscribe("${channel}", listener) needs a function as listener.`);
  }
  const history = options?.history ?? 0;
  if (!Number.isInteger(history) || history < 0) {
    throw new SocketboardError(
      'bad-history',
      `subscribe("${channel}") history must be a whole number >= 0, got ${String(history)}.`,
    );
  }
  const since = options?.since;
  if (since !== undefined && !(Number.isSafeInteger(since) && since >= 0)) {
    throw new SocketboardError(
      'bad-since',
      `subscribe("${channel}") since must be a seq, a whole number >= 0 (0 replays all the server still holds), got ${String(since)}.`,
    );
  }
  const entry = channelEntry(e, channel);
  if (options?.schema !== undefined) entry.schema = options.schema;
  // Only a channel starting afresh takes `since`. One already live, waiting for a reconnect, or within its
  // grace period is not asked again: a replay would repeat what its store and history already hold.
  if (entry.refs === 0 && !entry.onWire && !e.timers.has(`grace:${channel}`)) entry.starting = true;
  if (since !== undefined && entry.starting && e.protocol.replay) entry.since = Math.min(entry.since ?? since, since);
  const subscriber = entry.add(listener, history);
  e.timers.clear(`grace:${channel}`);
  if (entry.refs === 1 && !entry.onWire) {
    entry.store.setState({ status: 'subscribing', error: undefined });
    if (e.store.getState().status === 'open') subscribeOnWire(e, entry);
  }
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    entry.remove(subscriber);
    if (entry.refs > 0) return;
    if (!e.wanted) {
      // Not connected (idle, closed, failed): nothing on the wire to keep warm, and a grace timer
      // armed now would outlive close() (e.g. components unmounting after their provider closed).
      retireChannel(e, entry);
      return;
    }
    e.timers.set(`grace:${channel}`, e.o.channelGraceMs, () => {
      if (entry.refs === 0) retireChannel(e, entry);
    });
  };
}

/** The channel's bookkeeping, created on first use (without subscribing on the wire). */
export function channelEntry(e: Engine, name: string): ChannelEntry {
  let entry = e.channels.get(name);
  if (entry === undefined) {
    entry = new ChannelEntry(name);
    e.channels.set(name, entry);
  }
  return entry;
}

export function subscribeOnWire(e: Engine, entry: ChannelEntry): void {
  const backfill = entry.since;
  const since = e.protocol.replay ? (backfill ?? entry.store.getState().seq) : undefined;
  let frame: OutboundFrame | undefined;
  try {
    frame = e.protocol.encodeSubscribe(entry.name, since);
  } catch (error) {
    reportDrop(e, { frame: '', channel: entry.name }, 'unserializable', `subscribe: ${errorMessage(error)}`);
    return;
  }
  entry.onWire = true;
  entry.starting = false;
  entry.since = undefined;
  if (frame === undefined) {
    // This protocol has no subscriptions: the channel is live as soon as the socket is.
    entry.store.setState({ status: 'subscribed' });
    return;
  }
  entry.replaying = since !== undefined;
  // A backfill restarts the channel's stream at `since`, even below the seq a retired channel kept: the
  // store's seq is what duplicates are dropped against and what a resubscription after a drop asks for.
  entry.store.setState(backfill === undefined ? { status: 'subscribing' } : { status: 'subscribing', seq: backfill });
  writeControl(e, () => frame);
  if (!(e.protocol.confirmsSubscriptions ?? e.protocol.replay)) entry.store.setState({ status: 'subscribed' });
}

/** After every (re)open: each channel with listeners subscribes again (with `since`, to replay the gap). */
export function resubscribeAll(e: Engine): void {
  for (const entry of e.channels.values()) {
    entry.onWire = false;
    if (entry.refs > 0) subscribeOnWire(e, entry);
  }
}

/**
 * The server refused a subscription for a reason that passes (its broker is down, a rate limit):
 * ask again with backoff on this socket, instead of leaving the channel dead until a reconnect.
 */
export function retrySubscription(e: Engine, entry: ChannelEntry): void {
  entry.refusals++;
  entry.onWire = false;
  const delay = backoffDelay(entry.refusals, e.o.reconnect, e.o.random);
  e.timers.set(`resubscribe:${entry.name}`, delay, () => {
    if (entry.refs > 0 && !entry.onWire && e.store.getState().status === 'open') subscribeOnWire(e, entry);
  });
}

/** Nobody listens any more: unsubscribe on the wire and release the history. The store and its last value stay. */
export function retireChannel(e: Engine, entry: ChannelEntry): void {
  e.timers.clear(`grace:${entry.name}`);
  e.timers.clear(`resubscribe:${entry.name}`);
  entry.refusals = 0;
  if (entry.onWire && e.store.getState().status === 'open') {
    writeControl(e, () => e.protocol.encodeUnsubscribe(entry.name));
  }
  entry.onWire = false;
  entry.schema = undefined;
  entry.release();
  entry.store.setState({ status: 'idle', history: [] });
}

/** The socket is gone: every channel must subscribe again on the next one. */
export function markChannelsPending(e: Engine): void {
  for (const entry of e.channels.values()) {
    entry.onWire = false;
    entry.replaying = false;
    if (entry.refs > 0 && entry.store.getState().status === 'subscribed')
      entry.store.setState({ status: 'subscribing' });
  }
}

/** On `close()`: channels nobody listens to are retired, the others wait (idle) for the next `connect()`. */
export function idleChannels(e: Engine): void {
  for (const entry of e.channels.values()) {
    if (entry.refs === 0) retireChannel(e, entry);
    else if (entry.store.getState().status !== 'idle') entry.store.setState({ status: 'idle' });
  }
}

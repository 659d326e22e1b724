import type { Broker, BrokerMessage } from './broker';
import { encodeErr, encodeMsg, encodeSubd } from './codec';
import type { ClientConnection, Subscription } from './connection';

/** Local fan-out of one channel: one broker subscription, however many connections listen here. */
interface LocalChannel {
  readonly name: string;
  readonly subscriptions: Set<Subscription>;
  ready: Promise<() => Promise<void>>;
}

/**
 * The channels this server has subscribers for. It holds one broker subscription per channel and
 * fans each message out to the local subscribers, and runs the subscribe sequence that makes
 * resuming exact: live feed first, then the replay, then `subd`, then what arrived meanwhile.
 */
export class ChannelHub {
  private readonly channels = new Map<string, LocalChannel>();

  constructor(
    private readonly broker: Broker,
    private readonly onBrokerError: (error: unknown, connection?: ClientConnection<unknown>) => void,
  ) {}

  /** Channels with at least one local subscriber. */
  get size(): number {
    return this.channels.size;
  }

  /**
   * Subscribes (or resubscribes) an authorized connection and sends, in order: the replayed
   * messages after `since`, `subd {seq, resumed}`, then live messages above that seq. Messages
   * published meanwhile are parked, so none is skipped and none is sent twice.
   */
  async subscribe(connection: ClientConnection<unknown>, channel: string, since: number | undefined): Promise<void> {
    const existing = connection.subscriptions.get(channel);
    if (existing !== undefined) this.unsubscribe(existing);
    const local = this.attach(channel);
    const subscription: Subscription = { connection, channel, pending: [], pendingBytes: 0, floor: 0 };
    local.subscriptions.add(subscription);
    connection.subscriptions.set(channel, subscription);

    let replay;
    try {
      // The live feed must be on before the replay is read: a message is then in one or both.
      await local.ready;
      replay = await this.broker.replay(channel, since);
    } catch (error) {
      if (connection.subscriptions.get(channel) === subscription) this.unsubscribe(subscription);
      this.onBrokerError(error, connection);
      connection.send(encodeErr('unavailable', 'the channel is unavailable right now; subscribe again later', channel));
      return;
    }
    if (connection.state !== 'open' || connection.subscriptions.get(channel) !== subscription) return;
    const floor = since ?? replay.seq;
    for (const message of replay.messages) {
      if (message.seq > floor && message.seq <= replay.seq) send(connection, message);
    }
    connection.send(encodeSubd(channel, replay.seq, replay.complete));
    subscription.floor = replay.seq;
    const parked = subscription.pending!;
    subscription.pending = undefined;
    subscription.pendingBytes = 0;
    for (const message of parked) if (message.seq > replay.seq) send(connection, message);
  }

  unsubscribe(subscription: Subscription): void {
    const connection = subscription.connection;
    if (connection.subscriptions.get(subscription.channel) === subscription) {
      connection.subscriptions.delete(subscription.channel);
    }
    const local = this.channels.get(subscription.channel);
    if (local === undefined || !local.subscriptions.delete(subscription)) return;
    if (local.subscriptions.size === 0) void this.drop(local);
  }

  /** Ends every subscription of a connection that went away. */
  unsubscribeAll(connection: ClientConnection<unknown>): void {
    for (const subscription of connection.subscriptions.values()) this.unsubscribe(subscription);
  }

  /** Releases every broker subscription (server shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.channels.values()].map((local) => this.drop(local)));
  }

  private attach(name: string): LocalChannel {
    const local = this.channels.get(name);
    if (local !== undefined) return local;
    const created: LocalChannel = { name, subscriptions: new Set(), ready: undefined as never };
    created.ready = this.broker.subscribe(
      name,
      (message) => fanOut(created, message),
      () => interrupted(created),
    );
    created.ready.catch(() => {
      // Forget a channel whose broker subscription failed, so the next `sub` tries again.
      if (this.channels.get(name) === created) this.channels.delete(name);
    });
    this.channels.set(name, created);
    return created;
  }

  private async drop(local: LocalChannel): Promise<void> {
    if (this.channels.get(local.name) === local) this.channels.delete(local.name);
    let unsubscribe: () => Promise<void>;
    try {
      unsubscribe = await local.ready;
    } catch {
      return; // a failed broker subscription was reported to each subscriber already
    }
    try {
      await unsubscribe();
    } catch (error) {
      this.onBrokerError(error);
    }
  }
}

/** The hot path: one encoding per message, shared by every local subscriber. */
function fanOut(local: LocalChannel, message: BrokerMessage): void {
  let frame: Buffer | undefined;
  for (const subscription of local.subscriptions) {
    const connection = subscription.connection;
    if (subscription.pending !== undefined) {
      connection.park(subscription, message);
      continue;
    }
    if (message.seq <= subscription.floor) continue;
    frame ??= Buffer.from(encodeMsg(message.channel, message.seq, message.payload));
    connection.sendMessage(frame, frame.length);
  }
}

/**
 * The broker lost part of the channel's feed for good: each subscriber reconnects (1012, service
 * restart) and resubscribes with `since`, which replays what is still held or says `resumed: false`.
 */
function interrupted(local: LocalChannel): void {
  for (const subscription of local.subscriptions) {
    subscription.connection.close(1012, 'the channel feed was interrupted: resubscribe with since');
  }
}

function send(connection: ClientConnection<unknown>, message: BrokerMessage): void {
  const frame = encodeMsg(message.channel, message.seq, message.payload);
  connection.sendMessage(frame, Buffer.byteLength(frame));
}

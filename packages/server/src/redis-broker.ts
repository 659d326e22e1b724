import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type {
  Broker,
  BrokerHealth,
  BrokerHealthListener,
  BrokerListener,
  BrokerMessage,
  ClaimResult,
  ReplayResult,
  SessionResult,
} from './broker';
import { messageOf } from './describe-error';
import { SocketServerConfigError, SocketServerError } from './errors';
import { ChannelFeed } from './redis-feed';
import type { FeedEvents, FeedSource } from './redis-feed';
import { CLAIM, PUBLISH, READ, runScript, SETTLE, TOUCH_SESSION } from './redis-scripts';

export interface RedisBrokerOptions {
  /**
   * Where Redis is, e.g. `redis://127.0.0.1:6379`. The broker opens (and on `close()` closes) two
   * connections: one for commands, one for pub/sub.
   */
  url?: string;
  /** ioredis options for the connections opened from `url` (not with `client`). */
  redisOptions?: RedisOptions;
  /**
   * An ioredis client to run commands on instead of `url`. The broker `duplicate()`s it for pub/sub
   * and leaves it open on `close()`. Recommended options: `autoResendUnfulfilledCommands: false`
   * (see "A publish in flight when the link drops" in REDIS.md) and a `commandTimeout`.
   */
  client?: Redis;
  /** Prepended to every key and pub/sub channel, so several apps can share a Redis. Default `'sb:'`. */
  prefix?: string;
  replay?: {
    /** Messages kept per channel for `sub {since}` (a capped Redis stream). `0` turns replay off. Default `1_000`. */
    perChannel?: number;
    /** Messages older than this (ms) are no longer replayed; an idle channel's log expires after it. Default `300_000`. */
    ttlMs?: number;
  };
  sessions?: {
    /** A session no connection holds expires after this many ms. Default `300_000` (5 minutes). */
    ttlMs?: number;
    /** Accepted publish ids remembered per session for duplicate suppression. Default `1_000`. */
    dedupeWindow?: number;
    /**
     * How long a claimed publish id stays claimed without being settled (its node died mid-publish)
     * before a resend may take it over. Default `10_000`.
     */
    claimLeaseMs?: number;
  };
  /** How long an operation waits for the very first connection before it is refused. Default `10_000`. */
  connectTimeoutMs?: number;
}

export const DEFAULT_REDIS_BROKER_OPTIONS = Object.freeze({
  prefix: 'sb:',
  replay: Object.freeze({ perChannel: 1_000, ttlMs: 300_000 }),
  sessions: Object.freeze({ ttlMs: 300_000, dedupeWindow: 1_000, claimLeaseMs: 10_000 }),
  connectTimeoutMs: 10_000,
});

/** What `health()` (and so the server's `metrics().broker`) reports. Counters are since creation. */
export interface RedisBrokerHealth extends BrokerHealth {
  /** Times the link came back after it was lost. */
  readonly recoveries: number;
  /** Times Redis was found to have lost its state (a restart without persistence). */
  readonly stateLosses: number;
  /** Messages read from the replay log because the live feed had skipped them (link cut). */
  readonly gapFills: number;
  /** Channel feeds interrupted because a gap could not be filled: their clients were told to resubscribe. */
  readonly interruptions: number;
  /** Channels this node has a pub/sub subscription for. */
  readonly channels: number;
}

export interface RedisBroker extends Broker {
  /** Resolves once connected for the first time. Rejects only if the broker is closed before. */
  readonly ready: Promise<void>;
  health(): RedisBrokerHealth;
  onHealthChange(listener: BrokerHealthListener): () => void;
}

/**
 * A broker on Redis, so that several server nodes act as one: a channel's seq is one Redis counter,
 * its replay buffer a capped stream, its fan-out Redis pub/sub (one Lua script per publish does all
 * three, so every node sees seq order), and sessions with their publish-id dedupe live in Redis
 * too. A client can reconnect to any node and resume from `since` with nothing lost or doubled.
 *
 * While Redis is unreachable the node keeps serving its clients; everything that needs Redis is
 * refused at once with `SocketServerError` code `unavailable` (a publish is nacked, never queued or
 * dropped silently), `health()` says `'degraded'`, and ioredis reconnects with backoff. Once back,
 * each channel's live feed is caught up from the log; if Redis lost its state meanwhile, the
 * channel's clients are told to resubscribe.
 *
 * @throws {SocketServerConfigError} when an option is invalid.
 */
export function redisBroker(options: RedisBrokerOptions): RedisBroker {
  return new RedisBrokerImpl(options);
}

/** Our own command connection: a nack must be final, so nothing is queued or resent behind our back. */
const COMMAND_DEFAULTS: RedisOptions = {
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 5_000,
  connectionName: 'socketboard',
};

/** The pub/sub connection: resubscribes by itself, and an unsubscribe waits for the link rather than failing. */
const SUBSCRIBER_OVERRIDES: RedisOptions = {
  enableOfflineQueue: true,
  autoResubscribe: true,
  maxRetriesPerRequest: null,
  lazyConnect: false,
  connectionName: 'socketboard:sub',
};

const SID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const RETRY_MS = 1_000;
const noop = (): void => {};

class PublishedMessage implements BrokerMessage {
  constructor(
    readonly channel: string,
    readonly seq: number,
    readonly payload: string,
  ) {}
}

class LoggedMessage extends PublishedMessage {
  constructor(
    channel: string,
    seq: number,
    payload: string,
    /** When Redis logged it (ms), for the replay TTL. */
    readonly at: number,
  ) {
    super(channel, seq, payload);
  }
}

interface LogRead {
  readonly seq: number;
  readonly now: number;
  readonly messages: readonly LoggedMessage[];
}

type Reject = (error: Error) => void;

class RedisBrokerImpl implements RedisBroker {
  readonly ready: Promise<void>;

  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly ownsCommandClient: boolean;
  private readonly prefix: string;
  private readonly perChannel: number;
  private readonly replayTtlMs: number;
  private readonly sessionTtlMs: number;
  private readonly dedupeWindow: number;
  private readonly claimLeaseMs: number;
  private readonly connectTimeoutMs: number;
  private readonly where: string;
  private readonly nodeId = randomBytes(6).toString('base64url');

  /** By pub/sub channel name. */
  private readonly feeds = new Map<string, ChannelFeed>();
  /** Sessions held by connections on this node, with how many hold each. Their TTL is kept fresh. */
  private readonly held = new Map<string, number>();
  /** The token of each claim this node holds, by `sid \n id`. */
  private readonly claims = new Map<string, string>();
  private readonly settleWaiters = new Map<string, Set<() => void>>();
  private readonly inflightCommands = new Set<Reject>();
  private readonly inflightSubscriber = new Set<Reject>();
  private readonly healthListeners = new Set<BrokerHealthListener>();
  /** Requests waiting for the first connection: woken by any status change. */
  private readonly statusWaiters = new Set<() => void>();
  private readonly detach: Array<() => void> = [];

  private status: BrokerHealth['status'] = 'connecting';
  private reason: string | undefined = 'connecting to Redis';
  private degradedSince: number | undefined = Date.now();
  private lastError: Error | undefined;
  private epoch: string | undefined;
  private initializing = false;
  private resyncing = false;
  private resyncAgain = false;
  /** A resync failed before it finished: the retry must run it again even if no feed looks stale. */
  private resyncPending = false;
  private closed = false;
  private claimCounter = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly counts = { recoveries: 0, stateLosses: 0, gapFills: 0, interruptions: 0 };
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;

  private readonly source: FeedSource = {
    read: (channel, after) => this.read(channel, after),
  };
  private readonly feedEvents: FeedEvents = {
    filled: (count) => (this.counts.gapFills += count),
    interrupted: () => (this.counts.interruptions += 1),
    failed: () => this.retrySoon(),
  };

  constructor(options: RedisBrokerOptions) {
    if ((options.url === undefined) === (options.client === undefined)) {
      throw new SocketServerConfigError(
        'url',
        'give exactly one of `url` (a redis:// URL) and `client` (an ioredis client).',
      );
    }
    if (options.url !== undefined && typeof options.url !== 'string') {
      throw new SocketServerConfigError('url', 'must be a redis:// URL string.');
    }
    this.prefix = options.prefix ?? DEFAULT_REDIS_BROKER_OPTIONS.prefix;
    if (typeof this.prefix !== 'string') throw new SocketServerConfigError('prefix', 'must be a string.');
    this.perChannel = options.replay?.perChannel ?? DEFAULT_REDIS_BROKER_OPTIONS.replay.perChannel;
    this.replayTtlMs = options.replay?.ttlMs ?? DEFAULT_REDIS_BROKER_OPTIONS.replay.ttlMs;
    this.sessionTtlMs = options.sessions?.ttlMs ?? DEFAULT_REDIS_BROKER_OPTIONS.sessions.ttlMs;
    this.dedupeWindow = options.sessions?.dedupeWindow ?? DEFAULT_REDIS_BROKER_OPTIONS.sessions.dedupeWindow;
    this.claimLeaseMs = options.sessions?.claimLeaseMs ?? DEFAULT_REDIS_BROKER_OPTIONS.sessions.claimLeaseMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_REDIS_BROKER_OPTIONS.connectTimeoutMs;
    requireWhole('replay.perChannel', this.perChannel, 0);
    requireWhole('replay.ttlMs', this.replayTtlMs, 1);
    requireWhole('sessions.ttlMs', this.sessionTtlMs, 1);
    requireWhole('sessions.dedupeWindow', this.dedupeWindow, 1);
    requireWhole('sessions.claimLeaseMs', this.claimLeaseMs, 1);
    requireWhole('connectTimeoutMs', this.connectTimeoutMs, 1);

    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(noop);

    if (options.client !== undefined) {
      this.cmd = options.client;
      this.ownsCommandClient = false;
    } else {
      this.cmd = new Redis(options.url!, { ...COMMAND_DEFAULTS, ...options.redisOptions, lazyConnect: true });
      this.ownsCommandClient = true;
    }
    this.sub = this.cmd.duplicate({ ...SUBSCRIBER_OVERRIDES });
    const { host, port, path } = this.cmd.options;
    this.where = path ?? `${host ?? 'localhost'}:${port ?? 6379}`;

    this.listen(this.cmd, this.inflightCommands, () => undefined);
    this.listen(this.sub, this.inflightSubscriber, () => {
      for (const feed of this.feeds.values()) feed.suspend();
    });
    const onMessage = (name: string, text: string): void => this.onMessage(name, text);
    this.sub.on('message', onMessage);
    this.detach.push(() => this.sub.off('message', onMessage));
    if (this.cmd.status === 'wait') this.cmd.connect().catch(noop);
  }

  // -----------------------------------------------------------------------------------------------
  // Link state

  private listen(client: Redis, inflight: Set<Reject>, onClose: () => void): void {
    const onReady = (): void => this.linkChanged();
    const onError = (error: Error): void => {
      // Listening here is also what keeps an unreachable Redis from crashing the process.
      this.lastError = error;
      this.linkChanged();
    };
    const onClosed = (): void => {
      this.failInflight(inflight);
      onClose();
      this.linkChanged();
    };
    client.on('ready', onReady);
    client.on('error', onError);
    client.on('close', onClosed);
    this.detach.push(() => {
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('close', onClosed);
    });
  }

  private get linkUp(): boolean {
    return this.cmd.status === 'ready' && this.sub.status === 'ready';
  }

  private linkChanged(): void {
    if (this.closed) return;
    if (this.linkUp) {
      if (this.epoch === undefined) {
        void this.initialize();
      } else if (this.status !== 'ok') {
        this.counts.recoveries += 1;
        this.setStatus('ok');
        void this.resync();
      }
      return;
    }
    const detail = this.lastError === undefined ? 'connection closed' : messageOf(this.lastError);
    const reason = `Redis at ${this.where} is unreachable: ${detail}`;
    if (this.status === 'degraded') {
      this.reason = reason; // the latest attempt's error, without reporting each retry
      return;
    }
    if (this.status === 'connecting' && this.lastError === undefined) return; // still trying the first time
    this.setStatus('degraded', reason);
  }

  private setStatus(status: BrokerHealth['status'], reason?: string): void {
    this.status = status;
    this.reason = reason;
    this.degradedSince = status === 'ok' ? undefined : Date.now();
    let error: Error | undefined;
    if (status !== 'ok') {
      error = new SocketServerError(
        'unavailable',
        `${reason ?? 'Redis is unreachable'}. Publishes, subscribes and sessions are refused with "unavailable" until it is back; reconnecting with backoff.`,
        { cause: this.lastError },
      );
    } else {
      this.lastError = undefined;
    }
    const waiters = [...this.statusWaiters];
    this.statusWaiters.clear();
    for (const wake of waiters) wake();
    const health = this.health();
    for (const listener of this.healthListeners) {
      try {
        listener(health, error);
      } catch {
        // A watcher's failure is its own business.
      }
    }
  }

  /** First connection: learn Redis's epoch (a random id set once), to tell a restart that lost state. */
  private async initialize(): Promise<void> {
    if (this.initializing) return;
    this.initializing = true;
    try {
      this.epoch = await this.currentEpoch();
      if (this.closed) return;
      this.setStatus('ok');
      this.resolveReady();
      // The link may have dropped meanwhile.
      if (!this.linkUp) this.linkChanged();
    } catch {
      this.retrySoon();
    } finally {
      this.initializing = false;
    }
  }

  private async currentEpoch(): Promise<string> {
    const key = `${this.prefix}epoch`;
    return this.command(async () => {
      const known = await this.cmd.get(key);
      if (known !== null) return known;
      await this.cmd.set(key, randomBytes(12).toString('base64url'), 'NX');
      return (await this.cmd.get(key)) ?? '';
    });
  }

  /**
   * The link is back: confirm the pub/sub subscriptions, find out whether Redis lost its state,
   * re-create the sessions held here, and catch every feed up from the log.
   */
  private async resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    this.resyncPending = true;
    try {
      do {
        this.resyncAgain = false;
        const names = [...this.feeds.keys()];
        // Once this answers, every subscription is live again: nothing published after the reads below is missed.
        if (names.length > 0) await this.onSubscriber(() => this.sub.subscribe(...names));
        const epoch = await this.currentEpoch();
        const lost = epoch !== this.epoch;
        if (lost) {
          this.epoch = epoch;
          this.counts.stateLosses += 1;
        }
        this.refreshSessions();
        await Promise.all([...this.feeds.values()].map((feed) => feed.resync(lost)));
      } while (this.resyncAgain && !this.closed);
      this.resyncPending = false;
    } catch {
      this.retrySoon();
    } finally {
      this.resyncing = false;
    }
  }

  /** Something failed while the link looked up: try again shortly. */
  private retrySoon(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed || !this.linkUp) return; // the next 'ready' takes over
      if (this.epoch === undefined) void this.initialize();
      else if (this.resyncPending || [...this.feeds.values()].some((feed) => feed.stale)) void this.resync();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private failInflight(inflight: Set<Reject>): void {
    if (inflight.size === 0) return;
    const error = new SocketServerError(
      'unavailable',
      `The connection to Redis at ${this.where} closed with this request in flight; it may or may not have been applied.`,
    );
    const rejects = [...inflight];
    inflight.clear();
    for (const reject of rejects) reject(error);
  }

  private unavailable(): SocketServerError {
    const reason = this.reason ?? `Redis at ${this.where} is unreachable`;
    return new SocketServerError('unavailable', `${reason}. Retry once it is back.`, { cause: this.lastError });
  }

  /** Runs a command once the link allows: at once when up, refused at once when down, waiting only for the first connection. */
  private command<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    if (this.epoch === undefined && !this.initializing) return this.firstConnection().then(() => this.command(run));
    if (this.cmd.status !== 'ready') return Promise.reject(this.unavailable());
    return this.track(this.inflightCommands, run);
  }

  private onSubscriber<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    if (this.sub.status !== 'ready') return Promise.reject(this.unavailable());
    return this.track(this.inflightSubscriber, run);
  }

  /** Settles with `run`, or rejects early when its connection closes (ioredis would hold it until reconnected). */
  private track<T>(inflight: Set<Reject>, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      inflight.add(reject);
      run().then(
        (value) => {
          inflight.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          inflight.delete(reject);
          reject(
            error instanceof SocketServerError
              ? error
              : new SocketServerError('unavailable', `Redis refused or timed out: ${messageOf(error)}`, {
                  cause: error,
                }),
          );
        },
      );
    });
  }

  /**
   * Waits for the first connection while it is still being made (up to `connectTimeoutMs`); once an
   * attempt failed, requests are refused at once like in any other outage.
   */
  private async firstConnection(): Promise<void> {
    if (this.status === 'connecting') {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.statusWaiters.add(resolve);
        timer = setTimeout(resolve, this.connectTimeoutMs);
      });
      clearTimeout(timer);
    }
    if (this.closed) throw closedError();
    if (this.epoch === undefined) throw this.unavailable();
  }

  // -----------------------------------------------------------------------------------------------
  // Keys. `{…}` hash tags keep a channel's (or a session's) keys on one Redis Cluster slot.

  private seqKey(channel: string): string {
    return `${this.prefix}{${channel}}:seq`;
  }

  private logKey(channel: string): string {
    return `${this.prefix}{${channel}}:log`;
  }

  private feedName(channel: string): string {
    return `${this.prefix}{${channel}}`;
  }

  private sessionKeys(sid: string): [string, string, string] {
    const base = `${this.prefix}s:{${sid}}`;
    return [base, `${base}:ids`, `${base}:order`];
  }

  // -----------------------------------------------------------------------------------------------
  // Channels

  publish(channel: string, payload: string): Promise<BrokerMessage> {
    return this.command(() =>
      runScript(
        this.cmd,
        PUBLISH,
        [this.seqKey(channel), this.logKey(channel)],
        [payload, this.perChannel, this.replayTtlMs, this.feedName(channel)],
      ),
    ).then((seq) => new PublishedMessage(channel, seq as number, payload));
  }

  async subscribe(channel: string, listener: BrokerListener, onInterrupted?: () => void): Promise<() => Promise<void>> {
    if (this.closed) throw closedError();
    const name = this.feedName(channel);
    let feed = this.feeds.get(name);
    if (feed === undefined) {
      const created = new ChannelFeed(channel, this.source, this.feedEvents);
      created.ready = this.startFeed(name, created);
      this.feeds.set(name, created);
      feed = created;
    }
    feed.waiting += 1;
    try {
      await feed.ready;
    } catch (error) {
      // The last subscriber out drops a feed that failed to start, so the next `subscribe` tries afresh.
      feed.waiting -= 1;
      this.dropIfUnused(name, feed);
      throw error;
    }
    feed.waiting -= 1;
    if (this.feeds.get(name) !== feed) throw closedError();
    const entry = feed.add(listener, onInterrupted);
    let active = true;
    const subscribed = feed;
    return () => {
      if (!active) return Promise.resolve();
      active = false;
      subscribed.listeners.delete(entry);
      this.dropIfUnused(name, subscribed);
      return Promise.resolve();
    };
  }

  private async startFeed(name: string, feed: ChannelFeed): Promise<void> {
    if (this.epoch === undefined) await this.firstConnection();
    await this.onSubscriber(() => this.sub.subscribe(name));
    // Read after the subscription is on: anything later comes through pub/sub.
    const { seq } = await this.read(feed.channel, -1);
    feed.start(seq);
  }

  private dropIfUnused(name: string, feed: ChannelFeed): void {
    if (feed.listeners.size > 0 || feed.waiting > 0 || this.feeds.get(name) !== feed) return;
    this.feeds.delete(name);
    feed.close();
    if (!this.closed) this.sub.unsubscribe(name).catch(noop);
  }

  private onMessage(name: string, text: string): void {
    const feed = this.feeds.get(name);
    if (feed === undefined) return;
    // `<seq>:<payload>`, as PUBLISH sends it.
    let seq = 0;
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 58) break;
      seq = seq * 10 + (c - 48);
    }
    feed.receive(new PublishedMessage(feed.channel, seq, text.slice(i + 1)));
  }

  private async read(channel: string, after: number): Promise<LogRead> {
    const reply = (await this.command(() =>
      runScript(this.cmd, READ, [this.seqKey(channel), this.logKey(channel)], [after]),
    )) as [number, number, Array<[string, string[]]>];
    const [seq, now, entries] = reply;
    const messages: LoggedMessage[] = [];
    for (const [id, fields] of entries) {
      let payload = '';
      let at = 0;
      for (let f = 0; f + 1 < fields.length; f += 2) {
        if (fields[f] === 'd') payload = fields[f + 1]!;
        else if (fields[f] === 't') at = Number(fields[f + 1]);
      }
      messages.push(new LoggedMessage(channel, Number(id.slice(0, id.indexOf('-'))), payload, at));
    }
    return { seq, now, messages };
  }

  async replay(channel: string, since: number | undefined): Promise<ReplayResult> {
    const { seq, now, messages } = await this.read(channel, since ?? -1);
    if (since === undefined || since === seq) return { seq, messages: [], complete: true };
    if (since > seq) return { seq, messages: [], complete: false };
    const cutoff = now - this.replayTtlMs;
    let start = 0;
    while (start < messages.length && messages[start]!.at < cutoff) start += 1;
    const held = start === 0 ? messages : messages.slice(start);
    // The log's seqs are contiguous: it reaches back far enough when its first one is since + 1.
    return { seq, messages: held, complete: held.length > 0 && held[0]!.seq <= since + 1 };
  }

  // -----------------------------------------------------------------------------------------------
  // Sessions and publish-id dedupe

  async openSession(sid: string | undefined): Promise<SessionResult> {
    if (sid !== undefined && SID_PATTERN.test(sid)) {
      const exists = await this.command(() =>
        runScript(this.cmd, TOUCH_SESSION, this.sessionKeys(sid), [this.sessionTtlMs, '0']),
      );
      if (exists === 1) {
        this.hold(sid);
        return { sid, resumed: true };
      }
    }
    // 128 random bits: the id is a bearer value for dedupe, so it must not be guessable.
    const fresh = randomBytes(16).toString('base64url');
    await this.command(() => runScript(this.cmd, TOUCH_SESSION, this.sessionKeys(fresh), [this.sessionTtlMs, '1']));
    this.hold(fresh);
    return { sid: fresh, resumed: false };
  }

  releaseSession(sid: string): Promise<void> {
    const holders = this.held.get(sid);
    if (holders === undefined) return Promise.resolve();
    if (holders > 1) {
      this.held.set(sid, holders - 1);
      return Promise.resolve();
    }
    this.held.delete(sid);
    if (this.held.size === 0) this.stopRefreshing();
    // Restart the TTL from now. If Redis is down, the key still expires a TTL after its last refresh.
    if (this.epoch !== undefined && this.cmd.status === 'ready' && !this.closed) {
      this.command(() => runScript(this.cmd, TOUCH_SESSION, this.sessionKeys(sid), [this.sessionTtlMs, '0'])).catch(
        noop,
      );
    }
    return Promise.resolve();
  }

  private hold(sid: string): void {
    this.held.set(sid, (this.held.get(sid) ?? 0) + 1);
    if (this.refreshTimer === undefined && !this.closed) {
      // Held sessions never expire: their TTL is renewed well before it runs out.
      this.refreshTimer = setInterval(() => this.refreshSessions(), Math.max(10, Math.floor(this.sessionTtlMs / 3)));
      this.refreshTimer.unref();
    }
  }

  private stopRefreshing(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** Renews (or, after Redis lost its state, re-creates) every session held on this node. */
  private refreshSessions(): void {
    if (this.closed || this.cmd.status !== 'ready' || this.epoch === undefined) return;
    for (const sid of this.held.keys()) {
      this.command(() => runScript(this.cmd, TOUCH_SESSION, this.sessionKeys(sid), [this.sessionTtlMs, '1'])).catch(
        noop,
      );
    }
  }

  async claim(sid: string, id: string): Promise<ClaimResult> {
    const [session, ids] = this.sessionKeys(sid);
    const key = `${sid}\n${id}`;
    for (let attempt = 0; ; attempt++) {
      const token = `${this.nodeId}.${(++this.claimCounter).toString(36)}`;
      const result = await this.command(() =>
        runScript(this.cmd, CLAIM, [session, ids], [id, token, this.claimLeaseMs, this.sessionTtlMs]),
      );
      if (result === 'unknown') return 'new'; // dedupe is best effort within the session's life
      if (result === 'accepted') return 'accepted';
      if (result === 'new') {
        this.claims.set(key, token);
        return 'new';
      }
      // Claimed and not settled yet, here or on another node: wait for its outcome.
      await this.waitForSettle(key, Math.min(250, 10 * 2 ** attempt));
      if (this.closed) throw closedError();
    }
  }

  async settle(sid: string, id: string, accepted: boolean): Promise<void> {
    const key = `${sid}\n${id}`;
    const token = this.claims.get(key);
    this.claims.delete(key);
    try {
      if (token === undefined) return;
      const [, ids, order] = this.sessionKeys(sid);
      await this.command(() =>
        runScript(
          this.cmd,
          SETTLE,
          [ids, order],
          [id, token, accepted ? '1' : '0', this.dedupeWindow, this.sessionTtlMs],
        ),
      );
    } finally {
      const waiters = this.settleWaiters.get(key);
      if (waiters !== undefined) for (const wake of waiters) wake();
    }
  }

  /** Resolves when a claim on `key` settles on this node, or after `ms` (it may settle on another node). */
  private waitForSettle(key: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let waiters = this.settleWaiters.get(key);
      if (waiters === undefined) {
        waiters = new Set();
        this.settleWaiters.set(key, waiters);
      }
      const set = waiters;
      const wake = (): void => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.settleWaiters.get(key) === set) this.settleWaiters.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  // -----------------------------------------------------------------------------------------------
  // Health and lifecycle

  health(): RedisBrokerHealth {
    return {
      status: this.status,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.degradedSince === undefined ? {} : { since: this.degradedSince }),
      ...this.counts,
      channels: this.feeds.size,
    };
  }

  onHealthChange(listener: BrokerHealthListener): () => void {
    this.healthListeners.add(listener);
    return () => {
      this.healthListeners.delete(listener);
    };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.stopRefreshing();
    clearTimeout(this.retryTimer);
    this.rejectReady(closedError());
    for (const feed of this.feeds.values()) feed.close();
    this.feeds.clear();
    for (const waiters of [...this.settleWaiters.values()]) for (const wake of [...waiters]) wake();
    const error = closedError();
    for (const inflight of [this.inflightCommands, this.inflightSubscriber]) {
      const rejects = [...inflight];
      inflight.clear();
      for (const reject of rejects) reject(error);
    }
    this.healthListeners.clear();
    for (const wake of [...this.statusWaiters]) wake();
    this.statusWaiters.clear();
    for (const off of this.detach.splice(0)) off();
    // Our own connections keep a listener, so a late socket error is never an unhandled 'error'.
    this.sub.on('error', noop);
    this.sub.disconnect();
    if (this.ownsCommandClient) {
      this.cmd.on('error', noop);
      this.cmd.disconnect();
    }
    return Promise.resolve();
  }
}

function closedError(): SocketServerError {
  return new SocketServerError('closed', 'The Redis broker was closed; create a new one.');
}

function requireWhole(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new SocketServerConfigError(option, `must be a whole number >= ${min}, got ${String(value)}.`);
  }
}

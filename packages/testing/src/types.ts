import type { WebSocketHandler } from 'msw';

/** A frame as the mock server logs it: JSON parsed into an object (v1 frames always are). */
export type MockFrame = { readonly [key: string]: unknown };

/** A publish a client made (protocol v1: a `pub` frame). */
export interface ClientPublish<T = unknown> {
  readonly channel: string;
  readonly data: T;
  /** The ack id, for acked publishes. */
  readonly id: string | undefined;
}

/** How the mock server answers the publishes a `nack()` rule matches. */
export interface NackOptions {
  /** Default `'rejected'`. */
  code?: string;
  /** Default `'rejected by the mock server'`. */
  reason?: string;
}

/** How the mock server answers the subscriptions a `refuseSubscription()` rule matches. */
export interface RefusalOptions {
  /** Default `'forbidden'`. */
  code?: string;
  /** Default `may not subscribe to "<channel>"`. */
  reason?: string;
}

/** One connected client, as the mock server sees it. */
export interface MockClient {
  /** msw's id of the connection. */
  readonly id: string;
  readonly url: string;
  /** The session it announced or was given (protocol v1), once `hello` was answered. */
  readonly sessionId: string | undefined;
  /** Channels it is subscribed to now (protocol v1). */
  readonly channels: ReadonlySet<string>;
  /**
   * Sends a frame to this client only: strings and binary as they are, anything else as JSON. Goes
   * through `delay()` and `stall()` like every frame of the server.
   */
  send(frame: unknown): void;
  /** Closes this client's socket from the server side. Default code 1000. */
  close(code?: number, reason?: string): void;
}

export interface MockSocketServerOptions {
  /**
   * `'v1'` (default) speaks Socketboard's wire protocol v1 like `@socketboard/server`: sessions,
   * subscriptions with replay after `since`, acks and deduplication of resent publish ids.
   * `'raw'` speaks plain JSON for clients using `rawJsonProtocol()`: no acks, no replay, no channels on
   * the wire; `publish()` sends `encode(channel, data)` to every client and `onMessage` answers the rest.
   */
  protocol?: 'v1' | 'raw';
  /** v1: how many messages each channel keeps for replay. Default `100`. */
  replay?: number;
  /**
   * v1: a client's publish is fanned out to the channel's subscribers (the publisher too) with the
   * next seq, as the real server does. Default `true`.
   */
  echo?: boolean;
  /**
   * Called with every frame the server hears (parsed when it is JSON) and the client that sent it:
   * after the built-in answer in v1, as the only answer in raw mode. Not called while stalled.
   */
  onMessage?: (message: unknown, client: MockClient) => void;
  /** raw: what `publish(channel, data)` sends. Default `JSON.stringify(data)`. */
  encode?: (channel: string, data: unknown) => string;
  /** raw: a client message's channel, for `received(channel)` and `inbound(channel)`. Default its `channel`, `ch` or `type` field. */
  channelOf?: (message: unknown) => string | undefined;
}

/** A scripted stand-in for your Socketboard server, built on msw's WebSocket interception. */
export interface MockSocketServer {
  readonly url: string;
  readonly protocol: 'v1' | 'raw';
  /**
   * The msw handler that routes `url` to this server: `setupServer(handler)`, `server.use(handler)`,
   * or `setupWorker(handler)` in the browser and Storybook.
   */
  readonly handler: WebSocketHandler;
  /** Clients connected now. */
  readonly clients: number;
  /** The clients connected now. */
  readonly sockets: readonly MockClient[];
  /** Every connection attempt that reached this server, refused ones included: the client's socket attempts. */
  readonly connections: number;
  /** v1: resent publishes recognised by their id (acked again, not delivered twice). */
  readonly duplicates: number;
  /** v1: how many connected clients are subscribed to `channel`. */
  subscribers(channel: string): number;
  /** v1: resolves once a client is subscribed to `channel` (at once if one is). Publish after it to be seen. */
  whenSubscribed(channel: string): Promise<void>;
  /**
   * Publishes on `channel` and returns the message's seq. v1: sent as `msg` to the channel's
   * subscribers and kept for replay (also while stalled, so a resubscription gets it). raw: sent to
   * every client as `encode(channel, data)`.
   */
  publish(channel: string, data: unknown): number;
  /** Sends a frame to every connected client: strings and binary as they are, anything else as JSON. */
  broadcast(frame: unknown): void;
  /**
   * What clients published, oldest first: the payloads (`d`) of accepted `pub` frames in v1 (not the
   * nacked ones, not resent duplicates), every message in raw mode. Only those of `channel` if given.
   */
  received<T = unknown>(channel?: string): T[];
  /** Like `received`, with the channel and ack id of each publish. */
  publishes<T = unknown>(channel?: string): ClientPublish<T>[];
  /** Every frame the server heard, parsed, oldest first; only those of type `t` (v1) or channel (raw) if given. */
  inbound<T = MockFrame>(filter?: string): T[];
  /** Every frame the server delivered to a client, parsed, oldest first; only those of type `t` (v1) if given. */
  sent<T = MockFrame>(filter?: string): T[];
  /** Forgets the logs behind `received`, `publishes`, `inbound` and `sent` (channels, seqs and sessions stay). */
  clearLogs(): void;

  // Scripted faults.

  /**
   * Closes every connected client from the server side. Default `1012` (service restart), which
   * clients retry. `drop(1006)` also works, though msw reports every close as clean.
   */
  drop(code?: number, reason?: string): void;
  /** A black hole: frames from clients are swallowed and nothing is sent (or answered) until `resume()`. */
  stall(): void;
  resume(): void;
  /**
   * The next `count` connection attempts are closed before they open: default 1 attempt, code `1013`
   * (try again later). `refuseNext(Infinity)` keeps the server down until `refuseNext(0)`.
   */
  refuseNext(count?: number, code?: number, reason?: string): void;
  /** Holds every frame sent from now on back by `ms` (in order), on the global timers, so fake timers control it. `0` turns it off. */
  delay(ms: number): void;
  /**
   * Refuses the publishes `predicate` matches: `nack {id, code, reason}` for acked ones, `err {code,
   * reason, ch}` for the others. Returns a function that removes the rule.
   */
  nack(predicate: (publish: ClientPublish) => boolean, options?: NackOptions): () => void;
  /**
   * v1: refuses the subscriptions to `channel` (or to the channels `channel` matches) as the real
   * server's authorization does: `err {code, reason, ch}` instead of `subd`, and no data. Default code
   * `'forbidden'`. Subscriptions made before stay. Returns a function that removes the rule.
   */
  refuseSubscription(channel: string | ((channel: string) => boolean), options?: RefusalOptions): () => void;
}

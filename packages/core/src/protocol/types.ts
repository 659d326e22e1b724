/** What a socket can carry: text, or binary as an ArrayBuffer or any typed array / DataView. */
export type OutboundFrame = string | ArrayBuffer | ArrayBufferView;

/** A frame as the socket delivers it (`binaryType` is always `'arraybuffer'`). */
export type InboundFrame = string | ArrayBuffer;

/** One decoded inbound frame, in protocol-neutral terms. */
export type InboundEvent =
  /** A channel message. `channel` is undefined when a raw protocol could not route it. */
  | { readonly type: 'message'; readonly channel: string | undefined; readonly data: unknown; readonly seq?: number }
  /**
   * The server confirmed a subscription. Replayed messages (if any) came before this.
   * `seq` is the channel's current seq; `resumed: false` means the replay buffer no longer reached
   * back to `since`, so messages were missed and the app should refetch.
   */
  | { readonly type: 'subscribed'; readonly channel: string; readonly seq?: number; readonly resumed?: boolean }
  | { readonly type: 'ack'; readonly id: string }
  | { readonly type: 'nack'; readonly id: string; readonly code: string; readonly reason: string }
  /** A heartbeat answer; `ts` echoes the ping's timestamp when the protocol has one. */
  | { readonly type: 'pong'; readonly ts?: number }
  /** The server's session id (protocol v1), issued on first connect and presented again on reconnect. */
  | { readonly type: 'welcome'; readonly sessionId: string; readonly resumed: boolean }
  /** The server reported a problem; `channel` set when it concerns one channel (e.g. a refused subscription). */
  | { readonly type: 'error'; readonly code: string; readonly reason: string; readonly channel?: string };

export type DecodeResult =
  | { readonly ok: true; readonly event: InboundEvent }
  | { readonly ok: false; readonly reason: string; readonly channel?: string };

/**
 * A wire protocol: how frames are encoded and decoded. Socketboard ships two,
 * `socketboardProtocol()` (wire protocol v1) and `rawJsonProtocol()` (any JSON server).
 *
 * `decode` must never throw: it returns `{ ok: false, reason }` for anything it cannot read.
 * The `encode*` methods that return `undefined` mean "this protocol has no such frame" and the
 * engine skips the step (e.g. a raw server without subscriptions).
 */
export interface Protocol {
  /** A short name for logs and errors, e.g. `socketboard.v1`. */
  readonly name: string;
  /** A WebSocket subprotocol to request in the handshake, if any. */
  readonly subprotocol?: string;
  /** Acked publishes (`pub` with an id, answered by `ack`/`nack`). */
  readonly acks: boolean;
  /** Resubscription with `since` replays what was missed. */
  readonly replay: boolean;
  /**
   * Whether the server answers a subscribe frame (a `subscribed` event). When it does not, a channel
   * counts as subscribed once its subscribe frame is written. Default: the value of `replay`.
   */
  readonly confirmsSubscriptions?: boolean;
  decode(frame: InboundFrame): DecodeResult;
  encodePublish(channel: string, data: unknown, id?: string): OutboundFrame;
  encodeSubscribe(channel: string, since?: number): OutboundFrame | undefined;
  encodeUnsubscribe(channel: string): OutboundFrame | undefined;
  /** A heartbeat probe. `undefined`: the protocol has none, and the heartbeat is off. */
  encodePing(ts: number): OutboundFrame | undefined;
  /** An auth frame carrying a token. `undefined`: the protocol cannot carry tokens in a frame. */
  encodeAuth(token: string): OutboundFrame | undefined;
  /** The first frame after open, presenting the previous session id. `undefined`: no sessions. */
  encodeHello(sessionId: string | undefined): OutboundFrame | undefined;
}

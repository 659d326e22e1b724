/** One message as the mock server keeps it for replay. */
export interface LoggedMessage {
  readonly seq: number;
  /** The encoded `msg` frame, built once and sent to every subscriber. */
  readonly frame: string;
}

export interface Replay {
  readonly messages: readonly LoggedMessage[];
  /** The channel's current seq, sent in `subd`. */
  readonly seq: number;
  /** `false` when the log no longer reaches back to `since`: the client missed messages for good. */
  readonly resumed: boolean;
}

/**
 * A channel's seq counter and its last `limit` messages, so that a `sub` with `since` can be answered
 * like the real server does: the messages after `since`, then `subd` saying whether that was all.
 */
export class ChannelLog {
  seq = 0;
  private readonly recent: LoggedMessage[] = [];

  constructor(
    readonly name: string,
    private readonly limit: number,
  ) {}

  /** Assigns the next seq and keeps the message; returns it. */
  append(data: unknown): LoggedMessage {
    const seq = ++this.seq;
    const message = { seq, frame: JSON.stringify({ t: 'msg', ch: this.name, seq, d: data }) };
    if (this.limit > 0) {
      this.recent.push(message);
      if (this.recent.length > this.limit) this.recent.shift();
    }
    return message;
  }

  /**
   * What a subscription starting after `since` gets. Without `since` a client starts from now: no
   * replay. A `since` above the current seq means this server lost the channel's state: not resumed.
   */
  replay(since: number | undefined): Replay {
    if (since === undefined || since === this.seq) return { messages: [], seq: this.seq, resumed: true };
    if (since > this.seq) return { messages: [], seq: this.seq, resumed: false };
    const messages = this.recent.filter((message) => message.seq > since);
    const oldest = messages[0]?.seq;
    return { messages, seq: this.seq, resumed: oldest === since + 1 };
  }
}

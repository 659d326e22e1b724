/**
 * Every error Socketboard raises or reports is a `SocketboardError` with a stable `code`,
 * so apps can branch on `err.code` instead of parsing messages.
 */
export class SocketboardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SocketboardError';
    this.code = code;
  }
}

/** An option passed to `createConnection` (or another factory) is invalid. Thrown at creation. */
export class SocketboardConfigError extends SocketboardError {
  readonly option: string;

  constructor(option: string, problem: string) {
    super('config', `Invalid option \`${option}\`: ${problem}`);
    this.name = 'SocketboardConfigError';
    this.option = option;
  }
}

/** An inbound frame could not be decoded or validated; it was dropped and counted. */
export class DecodeError extends SocketboardError {
  /** Why decoding failed, e.g. `not JSON`, `unknown frame type "x"`. */
  readonly reason: string;
  /** The first characters of the offending frame, for logs. */
  readonly excerpt: string;
  /** The channel the frame was addressed to, when that much could be read. */
  readonly channel: string | undefined;

  constructor(reason: string, excerpt: string, channel?: string) {
    super(
      'decode',
      `Dropped an inbound frame${channel === undefined ? '' : ` on channel "${channel}"`}: ${reason}. ` +
        `The connection stays open; check what the server sends (frame starts with ${JSON.stringify(excerpt)}).`,
    );
    this.name = 'DecodeError';
    this.reason = reason;
    this.excerpt = excerpt;
    this.channel = channel;
  }
}

/** The server did not ack an acknowledged publish within `timeoutMs`. */
export class AckTimeoutError extends SocketboardError {
  readonly id: string;
  readonly channel: string;

  constructor(id: string, channel: string, timeoutMs: number) {
    super(
      'ack-timeout',
      `No ack for message ${id} on channel "${channel}" within ${timeoutMs} ms. ` +
        `It may or may not have been delivered; retry with the same data if the operation is idempotent, or raise \`timeoutMs\`.`,
    );
    this.name = 'AckTimeoutError';
    this.id = id;
    this.channel = channel;
  }
}

/** The server refused an acknowledged publish. */
export class NackError extends SocketboardError {
  readonly id: string;
  readonly channel: string;
  readonly reason: string;

  constructor(id: string, channel: string, code: string, reason: string) {
    super(code, `The server refused message ${id} on channel "${channel}": ${reason} (${code}).`);
    this.name = 'NackError';
    this.id = id;
    this.channel = channel;
    this.reason = reason;
  }
}

/** Why an outbound message was dropped instead of sent. */
export type DropReason = 'queue-overflow' | 'closed' | 'timeout' | 'unserializable';

/** An outbound message was dropped. Reported through `on('error')` and counted in `metrics.dropped`. */
export class MessageDroppedError extends SocketboardError {
  readonly reason: DropReason;
  readonly channel: string | undefined;

  constructor(reason: DropReason, detail: string, channel?: string) {
    super(
      'dropped',
      `Dropped an outbound message${channel === undefined ? '' : ` on channel "${channel}"`}: ${detail}`,
    );
    this.name = 'MessageDroppedError';
    this.reason = reason;
    this.channel = channel;
  }
}

/** The connection was closed by the app (or gave up) while a publish still waited for its ack. */
export class ConnectionClosedError extends SocketboardError {
  constructor(detail: string) {
    super('closed', detail);
    this.name = 'ConnectionClosedError';
  }
}

/** The server sent an `err` frame. */
export class ServerError extends SocketboardError {
  readonly channel: string | undefined;
  readonly reason: string;

  constructor(code: string, reason: string, channel?: string) {
    super(code, `The server reported ${code}${channel === undefined ? '' : ` on channel "${channel}"`}: ${reason}`);
    this.name = 'ServerError';
    this.reason = reason;
    this.channel = channel;
  }
}

/** A transport-level problem: the socket could not be created, did not open in time, or errored. */
export class TransportError extends SocketboardError {
  constructor(
    code: 'connect-timeout' | 'socket-error' | 'url' | 'auth' | 'heartbeat-timeout',
    detail: string,
    cause?: unknown,
  ) {
    super(code, detail, cause === undefined ? undefined : { cause });
    this.name = 'TransportError';
  }
}

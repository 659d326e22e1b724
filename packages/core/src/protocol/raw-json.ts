import { MessageDroppedError, SocketboardConfigError } from '../errors';
import { describeThrown, stringifyOrDrop } from './serialize';
import type { DecodeResult, InboundEvent, OutboundFrame, Protocol } from './types';

/**
 * How `rawJsonProtocol` talks to a server that speaks plain JSON. Every callback that returns a value
 * to send has it JSON-encoded, unless it returns an `ArrayBuffer` or typed array, which is sent as a
 * binary frame as is (pairs with `decodeBinary` for msgpack, CBOR...).
 *
 * Callbacks are declared as methods so that a typed one, e.g. `channelOf: (m: MyMessage) => m.type`,
 * is accepted without a cast.
 */
export interface RawJsonProtocolOptions {
  /** Which channel an inbound message belongs to, e.g. `m => m.type`. `undefined`: no channel (still delivered as a message). */
  channelOf(message: unknown): string | undefined;
  /**
   * The heartbeat message to send, e.g. `() => ({ type: 'ping' })`. Default `false`: no heartbeat (the
   * server has no ping). Pair it with `isPong`, or the answer is delivered as a channel message.
   */
  ping?: (() => unknown) | false;
  /** Inbound messages for which this returns true are heartbeat answers, not channel messages. */
  isPong?(message: unknown): boolean;
  /** The message to send for `publish(channel, data)`. Default: `data` as is. */
  encode?(channel: string, data: unknown): unknown;
  /** A frame asking the server for a channel. Default: none (the server pushes everything). Return `undefined` to send nothing. */
  subscribe?(channel: string): unknown;
  /** A frame leaving a channel. Default: none. Return `undefined` to send nothing. */
  unsubscribe?(channel: string): unknown;
  /** A frame carrying an auth token. Default: none (put the token in the URL or a cookie). */
  auth?(token: string): unknown;
  /** Decodes a binary frame (msgpack, CBOR...); the result is routed with `channelOf`. Default: binary frames are dropped. */
  decodeBinary?(data: ArrayBuffer): unknown;
}

const NOT_JSON: DecodeResult = Object.freeze({ ok: false, reason: 'not JSON' });
const NO_BINARY: DecodeResult = Object.freeze({
  ok: false,
  reason: 'binary frame, but raw-json reads text frames only (set the decodeBinary option to read binary)',
});
const PONG: InboundEvent = Object.freeze({ type: 'pong' });
const PONG_RESULT: DecodeResult = Object.freeze({ ok: true, event: PONG });

const CALLBACKS = ['isPong', 'encode', 'subscribe', 'unsubscribe', 'auth', 'decodeBinary'] as const;

/**
 * A protocol for any existing JSON WebSocket server: channels are routed client-side by `channelOf`,
 * the heartbeat message is configurable, and there are no acks, replay or sessions.
 *
 * @throws SocketboardConfigError when `channelOf` is missing or a given callback is not a function.
 */
export function rawJsonProtocol(options: RawJsonProtocolOptions): Protocol {
  validate(options);
  // Taken once (bound, so callbacks written as methods of a class keep their `this`): later changes
  // to the options object cannot swap in unvalidated callbacks.
  const channelOf = options.channelOf.bind(options);
  const isPong = options.isPong?.bind(options);
  const encode = options.encode?.bind(options);
  const subscribe = options.subscribe?.bind(options);
  const unsubscribe = options.unsubscribe?.bind(options);
  const auth = options.auth?.bind(options);
  const decodeBinary = options.decodeBinary?.bind(options);
  const ping = options.ping === false ? undefined : options.ping?.bind(options);

  function route(message: unknown): DecodeResult {
    if (isPong !== undefined) {
      let pong: boolean;
      try {
        pong = isPong(message);
      } catch (err) {
        return { ok: false, reason: `isPong threw: ${describeThrown(err)}` };
      }
      if (pong) return PONG_RESULT;
    }
    let channel: unknown;
    try {
      channel = channelOf(message);
    } catch (err) {
      return { ok: false, reason: `channelOf threw: ${describeThrown(err)}` };
    }
    if (channel !== undefined && typeof channel !== 'string') {
      return { ok: false, reason: `channelOf returned ${describeValue(channel)}, expected a string or undefined` };
    }
    return { ok: true, event: { type: 'message', channel, data: message } };
  }

  return {
    name: 'raw-json',
    acks: false,
    replay: false,
    // A raw server has no `subd`: a written subscribe frame is as subscribed as the channel gets.
    confirmsSubscriptions: false,
    decode(frame) {
      if (typeof frame === 'string') {
        let message: unknown;
        try {
          message = JSON.parse(frame);
        } catch {
          return NOT_JSON;
        }
        return route(message);
      }
      if (decodeBinary === undefined) return NO_BINARY;
      let message: unknown;
      try {
        message = decodeBinary(frame);
      } catch (err) {
        return { ok: false, reason: `decodeBinary threw: ${describeThrown(err)}` };
      }
      return route(message);
    },
    encodePublish(channel, data) {
      if (encode === undefined) return toFrame(data, channel);
      let message: unknown;
      try {
        message = encode(channel, data);
      } catch (err) {
        throw new MessageDroppedError('unserializable', `the encode option threw: ${describeThrown(err)}`, channel);
      }
      return toFrame(message, channel);
    },
    encodeSubscribe(channel) {
      return subscribe === undefined ? undefined : optionalFrame('subscribe', () => subscribe(channel), channel);
    },
    encodeUnsubscribe(channel) {
      return unsubscribe === undefined ? undefined : optionalFrame('unsubscribe', () => unsubscribe(channel), channel);
    },
    encodePing() {
      return ping === undefined ? undefined : optionalFrame('ping', ping, undefined);
    },
    encodeAuth(token) {
      return auth === undefined ? undefined : optionalFrame('auth', () => auth(token), undefined);
    },
    encodeHello() {
      return undefined;
    },
  };
}

function toFrame(message: unknown, channel: string | undefined): OutboundFrame {
  if (message instanceof ArrayBuffer || ArrayBuffer.isView(message)) return message;
  return stringifyOrDrop(message, channel);
}

/**
 * A frame from a user callback that runs rarely (subscribe, ping, auth). Its failures become the same
 * `MessageDroppedError` as a publish's, so the engine has one thing to catch; `undefined` means "send nothing".
 */
function optionalFrame(option: string, make: () => unknown, channel: string | undefined): OutboundFrame | undefined {
  let message: unknown;
  try {
    message = make();
  } catch (err) {
    throw new MessageDroppedError('unserializable', `the ${option} option threw: ${describeThrown(err)}`, channel);
  }
  return message === undefined ? undefined : toFrame(message, channel);
}

function validate(options: RawJsonProtocolOptions): void {
  // Checked at runtime too: plain-JS callers and `as any` configs get a clear error instead of a
  // TypeError on the first inbound frame.
  const given = options as unknown;
  if (typeof given !== 'object' || given === null) {
    throw new SocketboardConfigError(
      'channelOf',
      'rawJsonProtocol needs an options object with a `channelOf` function, e.g. `{ channelOf: m => m.type }`.',
    );
  }
  const o = given as Record<string, unknown>;
  if (typeof o.channelOf !== 'function') {
    throw new SocketboardConfigError(
      'channelOf',
      `must be a function returning a message's channel, e.g. \`m => m.type\`; got ${describeValue(o.channelOf)}.`,
    );
  }
  if (o.ping !== undefined && o.ping !== false && typeof o.ping !== 'function') {
    throw new SocketboardConfigError(
      'ping',
      `must be a function returning the heartbeat message, or false for no heartbeat; got ${describeValue(o.ping)}.`,
    );
  }
  for (const name of CALLBACKS) {
    const value = o[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new SocketboardConfigError(name, `must be a function, or left out; got ${describeValue(value)}.`);
    }
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `the ${typeof value} ${String(value)}`;
    default:
      return `a value of type ${typeof value}`;
  }
}

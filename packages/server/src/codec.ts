import { isValidChannelName, MAX_CHANNEL_LENGTH } from './channel-name';

/**
 * The server side of wire protocol v1: client frames in, server frames out. The client's codec is
 * `socketboardProtocol()` in `@socketboard/core/protocol`; `codec.test.ts` pins the two together.
 */

/** Longest publish id and session id accepted: both are kept in the dedupe store, so they are bounded. */
export const MAX_ID_LENGTH = 128;
/** Longest `auth` token accepted (characters). */
export const MAX_TOKEN_LENGTH = 16_384;
/** A channel name longer than this is not echoed back in an `err` frame (no reflection of big input). */
const MAX_ECHOED_CHANNEL_LENGTH = 1_024;

/** A validated client frame. Fields the protocol marks optional are `undefined` (or `null`) when absent. */
export type ClientFrame =
  | { readonly t: 'sub'; readonly ch: string; readonly since?: number | null }
  | { readonly t: 'unsub'; readonly ch: string }
  | { readonly t: 'pub'; readonly ch: string; readonly d: unknown; readonly id?: string | null }
  | { readonly t: 'ping'; readonly ts?: number | null }
  | { readonly t: 'auth'; readonly token: string }
  | { readonly t: 'hello'; readonly sid?: string | null };

/**
 * A frame that could not be read. `ch` is set when the frame named a channel (so the client can
 * attribute the error), `id` when it was a publish with a usable id (so it can be nacked, and the
 * client's promise settles instead of timing out).
 */
export interface InvalidFrame {
  readonly t: 'invalid';
  readonly code: 'bad-frame' | 'bad-channel';
  readonly reason: string;
  readonly ch?: string;
  readonly id?: string;
}

type Fields = Record<string, unknown>;

// Failures without frame-specific detail are shared, so garbage costs no allocation beyond its parse.
const NOT_JSON = invalid('bad-frame', 'not JSON');
const NOT_OBJECT = invalid('bad-frame', 'not a JSON object');
const MISSING_TYPE = invalid('bad-frame', 'missing frame type (key "t")');
export const BINARY_FRAME = invalid('bad-frame', 'binary frame, but socketboard.v1 is text-only');

/** Reads one text frame from a client. Never throws. Unknown keys are ignored (forward compatibility). */
export function decodeClientFrame(text: string): ClientFrame | InvalidFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_OBJECT;
  const f = value as Fields;
  // The parsed object itself is returned once validated: no copy per frame.
  switch (f.t) {
    case 'pub':
      return decodePub(f);
    case 'sub':
      return decodeSub(f);
    case 'unsub':
      return checkChannel(f, 'unsub') ?? (f as ClientFrame);
    case 'ping': {
      const ts = f.ts;
      if (ts != null && (typeof ts !== 'number' || !Number.isFinite(ts))) {
        return invalid('bad-frame', 'ping.ts must be a finite number');
      }
      return f as ClientFrame;
    }
    case 'auth': {
      const token = f.token;
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
        return invalid('bad-frame', `auth.token must be a string of 1–${MAX_TOKEN_LENGTH} characters`);
      }
      return f as ClientFrame;
    }
    case 'hello': {
      const sid = f.sid;
      if (sid != null && !isId(sid)) {
        return invalid('bad-frame', `hello.sid must be a string of 1–${MAX_ID_LENGTH} characters`);
      }
      return f as ClientFrame;
    }
    case undefined:
      return MISSING_TYPE;
    default:
      return invalid('bad-frame', `unknown frame type ${describe(f.t)}`);
  }
}

function decodePub(f: Fields): ClientFrame | InvalidFrame {
  const id = f.id;
  const usableId = isId(id) ? id : undefined;
  const channelProblem = checkChannel(f, 'pub', usableId);
  if (channelProblem !== undefined) return channelProblem;
  if (id != null && usableId === undefined) {
    return invalid('bad-frame', `pub.id must be a string of 1–${MAX_ID_LENGTH} characters`, f.ch as string);
  }
  // JSON has no undefined: a missing `d` is a missing key, while `"d": null` is a valid payload.
  if (f.d === undefined) return invalid('bad-frame', 'pub.d is missing', f.ch as string, usableId);
  return f as ClientFrame;
}

function decodeSub(f: Fields): ClientFrame | InvalidFrame {
  const channelProblem = checkChannel(f, 'sub');
  if (channelProblem !== undefined) return channelProblem;
  const since = f.since;
  if (since != null && !(Number.isSafeInteger(since) && (since as number) >= 0)) {
    return invalid('bad-frame', 'sub.since must be a non-negative integer', f.ch as string);
  }
  return f as ClientFrame;
}

function checkChannel(f: Fields, type: string, id?: string): InvalidFrame | undefined {
  const ch = f.ch;
  if (isValidChannelName(ch)) return undefined;
  if (typeof ch !== 'string') return invalid('bad-frame', `${type}.ch must be a string`, undefined, id);
  const echo = ch.length > 0 && ch.length <= MAX_ECHOED_CHANNEL_LENGTH ? ch : undefined;
  return invalid(
    'bad-channel',
    `channel names are 1–${MAX_CHANNEL_LENGTH} characters of A-Z a-z 0-9 _ . : / -`,
    echo,
    id,
  );
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function invalid(code: InvalidFrame['code'], reason: string, ch?: string, id?: string): InvalidFrame {
  const frame: { t: 'invalid'; code: InvalidFrame['code']; reason: string; ch?: string; id?: string } = {
    t: 'invalid',
    code,
    reason,
  };
  if (ch !== undefined) frame.ch = ch;
  if (id !== undefined) frame.id = id;
  return frame;
}

function describe(t: unknown): string {
  if (typeof t !== 'string') {
    let shown: string;
    try {
      shown = JSON.stringify(t) ?? typeof t;
    } catch {
      shown = typeof t;
    }
    return `${shown.slice(0, 40)} (not a string)`;
  }
  return JSON.stringify(t.length > 40 ? t.slice(0, 40) + '…' : t);
}

// -------------------------------------------------------------------------------------------------
// Server → client. Built by concatenation: one string, no throwaway object per frame.

/** `msg {ch, seq, d}`; `payload` is `d` already serialized as JSON text. */
export function encodeMsg(channel: string, seq: number, payload: string): string {
  return '{"t":"msg","ch":' + JSON.stringify(channel) + ',"seq":' + seq + ',"d":' + payload + '}';
}

export function encodeSubd(channel: string, seq: number, resumed: boolean): string {
  return '{"t":"subd","ch":' + JSON.stringify(channel) + ',"seq":' + seq + ',"resumed":' + resumed + '}';
}

export function encodeAck(id: string): string {
  return '{"t":"ack","id":' + JSON.stringify(id) + '}';
}

export function encodeNack(id: string, code: string, reason: string): string {
  return (
    '{"t":"nack","id":' +
    JSON.stringify(id) +
    ',"code":' +
    JSON.stringify(code) +
    ',"reason":' +
    JSON.stringify(reason) +
    '}'
  );
}

export function encodePong(ts: number | null | undefined): string {
  return ts == null ? '{"t":"pong"}' : '{"t":"pong","ts":' + JSON.stringify(ts) + '}';
}

export function encodeWelcome(sid: string, resumed: boolean): string {
  return '{"t":"welcome","sid":' + JSON.stringify(sid) + ',"resumed":' + resumed + '}';
}

export function encodeErr(code: string, reason: string, channel?: string): string {
  return (
    '{"t":"err","code":' +
    JSON.stringify(code) +
    ',"reason":' +
    JSON.stringify(reason) +
    (channel === undefined ? '}' : ',"ch":' + JSON.stringify(channel) + '}')
  );
}

import type { DecodeResult, InboundEvent, InboundFrame, Protocol } from './types';
import { stringifyOrDrop } from './serialize';

/** The name and WebSocket subprotocol of Socketboard's wire protocol v1. */
export const SOCKETBOARD_V1 = 'socketboard.v1';

// Failures that carry no frame-specific detail are shared, so garbage input costs no allocation.
const BINARY: DecodeResult = Object.freeze({ ok: false, reason: `binary frame, but ${SOCKETBOARD_V1} is text-only` });
const NOT_JSON: DecodeResult = Object.freeze({ ok: false, reason: 'not JSON' });
const NOT_OBJECT: DecodeResult = Object.freeze({ ok: false, reason: 'not an object' });
const MISSING_TYPE: DecodeResult = Object.freeze({ ok: false, reason: 'missing frame type (key "t")' });

type Frame = Record<string, unknown>;

/**
 * Socketboard's wire protocol v1: JSON text frames, one object each, the frame type in `t`.
 *
 * Client → server: `sub {ch, since?}`, `unsub {ch}`, `pub {ch, d, id?}`, `ping {ts}`, `auth {token}`,
 * `hello {sid?}`. Server → client: `msg {ch, seq, d}`, `subd {ch, seq?, resumed?}`, `ack {id}`,
 * `nack {id, code?, reason?}`, `pong {ts?}`, `welcome {sid, resumed?}`, `err {code?, reason?, ch?}`.
 * Optional fields may also be `null` (servers in many languages write absent values that way).
 *
 * A server may also send a batch: one text message holding a JSON array of frames. `decode` handles
 * one frame and refuses an array as "not an object"; the connection unpacks batches itself before
 * decoding (inbound.ts), so that each frame is counted, checked and reported on its own.
 */
export function socketboardProtocol(): Protocol {
  return {
    name: SOCKETBOARD_V1,
    subprotocol: SOCKETBOARD_V1,
    acks: true,
    replay: true,
    decode,
    // Built by concatenation rather than JSON.stringify({...}): one string, no throwaway object.
    encodePublish(channel, data, id) {
      const d = stringifyOrDrop(data, channel);
      return (
        '{"t":"pub","ch":' +
        JSON.stringify(channel) +
        ',"d":' +
        d +
        (id === undefined ? '}' : ',"id":' + JSON.stringify(id) + '}')
      );
    },
    encodeSubscribe(channel, since) {
      return (
        '{"t":"sub","ch":' +
        JSON.stringify(channel) +
        (since === undefined ? '}' : ',"since":' + JSON.stringify(since) + '}')
      );
    },
    encodeUnsubscribe(channel) {
      return '{"t":"unsub","ch":' + JSON.stringify(channel) + '}';
    },
    encodePing(ts) {
      return '{"t":"ping","ts":' + JSON.stringify(ts) + '}';
    },
    encodeAuth(token) {
      return '{"t":"auth","token":' + JSON.stringify(token) + '}';
    },
    // Always sent, even without a session id: it is how the server knows to issue one.
    encodeHello(sessionId) {
      return sessionId === undefined ? '{"t":"hello"}' : '{"t":"hello","sid":' + JSON.stringify(sessionId) + '}';
    },
  };
}

/** `JSON.parse` that returns {@link UNPARSABLE} instead of throwing. */
export function parseFrame(frame: string): unknown {
  try {
    return JSON.parse(frame);
  } catch {
    return UNPARSABLE;
  }
}

export const UNPARSABLE: unique symbol = Symbol('unparsable');

/** A parsed frame that is a valid `msg`: what the engine's hot path reads directly. */
export interface MsgFrame {
  readonly t: 'msg';
  readonly ch: string;
  readonly seq: number;
  readonly d: unknown;
}

/**
 * Whether a parsed frame is a valid `msg`. The engine routes such frames straight from the parsed
 * object, without building a `DecodeResult`; {@link decodeParsed} gives the same verdict (and the
 * reason when it is not valid).
 */
export function isMsg(value: unknown): value is MsgFrame {
  const f = value as Frame | null;
  // JSON arrays have no `t`, so the `t` check also rules them out.
  return (
    typeof f === 'object' &&
    f !== null &&
    f.t === 'msg' &&
    typeof f.ch === 'string' &&
    f.ch.length > 0 &&
    isSeq(f.seq) &&
    // JSON has no undefined, so undefined here means the key is absent; `"d": null` is a valid payload.
    f.d !== undefined
  );
}

export function decode(frame: InboundFrame): DecodeResult {
  if (typeof frame !== 'string') return BINARY;
  // No cheap "starts with {" shortcut: a valid frame must be parsed anyway, and an invalid one
  // must be parsed to tell "not JSON" from "not an object".
  return decodeParsed(parseFrame(frame));
}

/** Decodes what {@link parseFrame} returned. */
export function decodeParsed(value: unknown): DecodeResult {
  if (value === UNPARSABLE) return NOT_JSON;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_OBJECT;
  const f = value as Frame;
  switch (f.t) {
    case 'msg':
      return decodeMsg(f);
    case 'subd':
      return decodeSubd(f);
    case 'ack':
      return isId(f.id) ? ok({ type: 'ack', id: f.id }) : fail(f, 'ack.id must be a non-empty string');
    case 'nack':
      return decodeNack(f);
    case 'pong':
      return decodePong(f);
    case 'welcome':
      return decodeWelcome(f);
    case 'err':
      return decodeErr(f);
    case undefined:
      return MISSING_TYPE;
    default:
      return fail(f, `unknown frame type ${describeType(f.t)}`);
  }
}

function decodeMsg(f: Frame): DecodeResult {
  if (isMsg(f)) return { ok: true, event: { type: 'message', channel: f.ch, data: f.d, seq: f.seq } };
  const ch = f.ch;
  if (typeof ch !== 'string' || ch.length === 0) return fail(f, 'msg.ch must be a non-empty string');
  if (!isSeq(f.seq)) return fail(f, 'msg.seq must be a non-negative integer');
  return fail(f, 'msg.d is missing');
}

function decodeSubd(f: Frame): DecodeResult {
  const ch = f.ch;
  if (typeof ch !== 'string' || ch.length === 0) return fail(f, 'subd.ch must be a non-empty string');
  const resumed = f.resumed;
  if (resumed != null && typeof resumed !== 'boolean') return fail(f, 'subd.resumed must be a boolean');
  // A server that does not report `resumed` is trusted to have replayed everything.
  const res = resumed ?? true;
  const seq = f.seq;
  if (seq == null) return ok({ type: 'subscribed', channel: ch, resumed: res });
  if (!isSeq(seq)) return fail(f, 'subd.seq must be a non-negative integer');
  return ok({ type: 'subscribed', channel: ch, seq, resumed: res });
}

function decodeNack(f: Frame): DecodeResult {
  if (!isId(f.id)) return fail(f, 'nack.id must be a non-empty string');
  const code = f.code;
  if (code != null && typeof code !== 'string') return fail(f, 'nack.code must be a string');
  const reason = f.reason;
  if (reason != null && typeof reason !== 'string') return fail(f, 'nack.reason must be a string');
  return ok({ type: 'nack', id: f.id, code: code ?? 'nack', reason: reason ?? '' });
}

function decodePong(f: Frame): DecodeResult {
  const ts = f.ts;
  if (ts == null) return ok({ type: 'pong' });
  // JSON.parse turns 1e400 into Infinity, which would poison RTT statistics.
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return fail(f, 'pong.ts must be a finite number');
  return ok({ type: 'pong', ts });
}

function decodeWelcome(f: Frame): DecodeResult {
  const sid = f.sid;
  if (typeof sid !== 'string' || sid.length === 0) return fail(f, 'welcome.sid must be a non-empty string');
  const resumed = f.resumed;
  if (resumed != null && typeof resumed !== 'boolean') return fail(f, 'welcome.resumed must be a boolean');
  return ok({ type: 'welcome', sessionId: sid, resumed: resumed ?? false });
}

// Lenient about absent fields: dropping an `err` frame for a missing code would hide the server's problem.
function decodeErr(f: Frame): DecodeResult {
  const code = f.code;
  if (code != null && typeof code !== 'string') return fail(f, 'err.code must be a string');
  const reason = f.reason;
  if (reason != null && typeof reason !== 'string') return fail(f, 'err.reason must be a string');
  const ch = f.ch;
  if (ch != null && (typeof ch !== 'string' || ch.length === 0)) return fail(f, 'err.ch must be a non-empty string');
  const event: InboundEvent =
    ch == null
      ? { type: 'error', code: code ?? 'error', reason: reason ?? '' }
      : { type: 'error', code: code ?? 'error', reason: reason ?? '', channel: ch };
  return ok(event);
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function ok(event: InboundEvent): DecodeResult {
  return { ok: true, event };
}

/** A failure, attributed to the frame's channel when it names one so the engine can report it there. */
function fail(f: Frame, reason: string): DecodeResult {
  const ch = f.ch;
  return typeof ch === 'string' && ch.length > 0 ? { ok: false, reason, channel: ch } : { ok: false, reason };
}

function describeType(t: unknown): string {
  if (typeof t !== 'string') return `${JSON.stringify(t).slice(0, 40)} (not a string)`;
  return JSON.stringify(t.length > 40 ? t.slice(0, 40) + '…' : t);
}

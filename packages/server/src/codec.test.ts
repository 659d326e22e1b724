import fc from 'fast-check';
import { socketboardProtocol } from '@socketboard/core/protocol';
import { describe, expect, it } from 'vitest';
import {
  decodeClientFrame,
  encodeAck,
  encodeErr,
  encodeMsg,
  encodeNack,
  encodePong,
  encodeSubd,
  encodeWelcome,
  MAX_ID_LENGTH,
} from './codec';

// The client's own codec: whatever it encodes we must read, whatever we encode it must read.
const client = socketboardProtocol();

const channelChar = fc.constantFrom(...'abcXYZ019_.:/-'.split(''));
const channel = fc.string({ unit: channelChar, minLength: 1, maxLength: 128 });
const seq = fc.maxSafeNat();
const id = fc.string({ minLength: 1, maxLength: MAX_ID_LENGTH });
const anyText = fc.string({ unit: 'binary', maxLength: 60 });

function clientDecode(frame: string) {
  const result = client.decode(frame);
  if (!result.ok) throw new Error(`the client could not decode ${frame}: ${result.reason}`);
  return result.event;
}

describe('decodeClientFrame reads what the core client encodes', () => {
  it('reads pub with and without id, data intact', () => {
    fc.assert(
      fc.property(channel, fc.jsonValue(), fc.option(id, { nil: undefined }), (ch, d, i) => {
        const frame = decodeClientFrame(client.encodePublish(ch, d, i) as string);
        expect(frame).toEqual(
          i === undefined
            ? { t: 'pub', ch, d: JSON.parse(JSON.stringify(d)) as unknown }
            : { t: 'pub', ch, d: JSON.parse(JSON.stringify(d)) as unknown, id: i },
        );
      }),
    );
  });

  it('reads sub with and without since, unsub, ping, auth and hello', () => {
    fc.assert(
      fc.property(
        channel,
        fc.option(seq, { nil: undefined }),
        id,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (ch, since, token, ts) => {
          expect(decodeClientFrame(client.encodeSubscribe(ch, since) as string)).toEqual(
            since === undefined ? { t: 'sub', ch } : { t: 'sub', ch, since },
          );
          expect(decodeClientFrame(client.encodeUnsubscribe(ch) as string)).toEqual({ t: 'unsub', ch });
          expect(decodeClientFrame(client.encodePing(ts) as string)).toEqual({
            t: 'ping',
            ts: JSON.parse(JSON.stringify(ts)) as number,
          });
          expect(decodeClientFrame(client.encodeAuth(token) as string)).toEqual({ t: 'auth', token });
          expect(decodeClientFrame(client.encodeHello(token) as string)).toEqual({ t: 'hello', sid: token });
          expect(decodeClientFrame(client.encodeHello(undefined) as string)).toEqual({ t: 'hello' });
        },
      ),
    );
  });
});

describe('the core client reads what the server encodes', () => {
  it('reads msg with the payload JSON text as d', () => {
    fc.assert(
      fc.property(channel, seq, fc.jsonValue(), (ch, s, d) => {
        expect(clientDecode(encodeMsg(ch, s, JSON.stringify(d)))).toEqual({
          type: 'message',
          channel: ch,
          seq: s,
          data: JSON.parse(JSON.stringify(d)) as unknown,
        });
      }),
    );
  });

  it('reads subd, ack, nack, pong, welcome and err', () => {
    fc.assert(
      fc.property(channel, seq, fc.boolean(), id, anyText, anyText, (ch, s, resumed, i, code, reason) => {
        expect(clientDecode(encodeSubd(ch, s, resumed))).toEqual({ type: 'subscribed', channel: ch, seq: s, resumed });
        expect(clientDecode(encodeAck(i))).toEqual({ type: 'ack', id: i });
        expect(clientDecode(encodeNack(i, code, reason))).toEqual({ type: 'nack', id: i, code, reason });
        expect(clientDecode(encodeWelcome(i, resumed))).toEqual({ type: 'welcome', sessionId: i, resumed });
        expect(clientDecode(encodeErr(code, reason))).toEqual({ type: 'error', code, reason });
        expect(clientDecode(encodeErr(code, reason, ch))).toEqual({ type: 'error', code, reason, channel: ch });
      }),
    );
  });

  it('echoes a ping timestamp in pong, and answers a ping without one with a bare pong', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (ts) => {
        expect(clientDecode(encodePong(ts))).toEqual({ type: 'pong', ts: JSON.parse(JSON.stringify(ts)) as number });
      }),
    );
    expect(clientDecode(encodePong(undefined))).toEqual({ type: 'pong' });
  });
});

describe('decodeClientFrame refuses what is not protocol v1', () => {
  it.each([
    ['not JSON', '{', 'bad-frame'],
    ['an array', '[1]', 'bad-frame'],
    ['a string', '"x"', 'bad-frame'],
    ['null', 'null', 'bad-frame'],
    ['no type', '{"ch":"a"}', 'bad-frame'],
    ['an unknown type', '{"t":"boom"}', 'bad-frame'],
    ['a non-string type', '{"t":{"x":1}}', 'bad-frame'],
    ['a sub without ch', '{"t":"sub"}', 'bad-frame'],
    ['a sub with a negative since', '{"t":"sub","ch":"a","since":-1}', 'bad-frame'],
    ['a sub with a fractional since', '{"t":"sub","ch":"a","since":1.5}', 'bad-frame'],
    ['a sub on a channel with a space', '{"t":"sub","ch":"a b"}', 'bad-channel'],
    ['a sub on an empty channel', '{"t":"sub","ch":""}', 'bad-channel'],
    ['a pub without d', '{"t":"pub","ch":"a"}', 'bad-frame'],
    ['a pub with a numeric id', '{"t":"pub","ch":"a","d":1,"id":5}', 'bad-frame'],
    ['a ping with a string ts', '{"t":"ping","ts":"now"}', 'bad-frame'],
    ['an auth without token', '{"t":"auth"}', 'bad-frame'],
    ['an auth with an empty token', '{"t":"auth","token":""}', 'bad-frame'],
    ['a hello with a numeric sid', '{"t":"hello","sid":1}', 'bad-frame'],
  ])('refuses %s', (_what, text, code) => {
    expect(decodeClientFrame(text)).toMatchObject({ t: 'invalid', code });
  });

  it('refuses channel names over 128 characters, and accepts exactly 128', () => {
    expect(decodeClientFrame(JSON.stringify({ t: 'sub', ch: 'a'.repeat(129) }))).toMatchObject({ code: 'bad-channel' });
    expect(decodeClientFrame(JSON.stringify({ t: 'sub', ch: 'a'.repeat(128) }))).toEqual({
      t: 'sub',
      ch: 'a'.repeat(128),
    });
  });

  it('keeps the id of an unreadable publish so it can be nacked, and the channel of a bad sub', () => {
    expect(decodeClientFrame('{"t":"pub","ch":"a b","d":1,"id":"x"}')).toMatchObject({ code: 'bad-channel', id: 'x' });
    expect(decodeClientFrame('{"t":"pub","ch":"a","id":"x"}')).toMatchObject({ code: 'bad-frame', id: 'x', ch: 'a' });
    expect(decodeClientFrame('{"t":"sub","ch":"a","since":"1"}')).toMatchObject({ code: 'bad-frame', ch: 'a' });
  });

  it('treats null optional fields as absent, as the client codec does', () => {
    expect(decodeClientFrame('{"t":"sub","ch":"a","since":null}')).toMatchObject({ t: 'sub', ch: 'a', since: null });
    expect(decodeClientFrame('{"t":"hello","sid":null}')).toMatchObject({ t: 'hello' });
    expect(decodeClientFrame('{"t":"pub","ch":"a","d":null,"id":null}')).toMatchObject({ t: 'pub', d: null });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.json(),
          fc.anything().map((v) => safeStringify(v)),
        ),
        (text) => {
          const frame = decodeClientFrame(text);
          expect(typeof frame.t).toBe('string');
        },
      ),
    );
  });
});

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '{}';
  }
}

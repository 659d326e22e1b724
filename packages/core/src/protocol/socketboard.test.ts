import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageDroppedError } from '../errors';
import { socketboardProtocol } from './socketboard';
import type { DecodeResult, InboundEvent } from './types';

const protocol = socketboardProtocol();

/** What a value looks like after a trip through JSON (-0 becomes 0, and so on). */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const channel = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const seq = fc.maxSafeNat();
const id = fc.string({ minLength: 1, maxLength: 20 });

function decodeOk(frame: string): InboundEvent {
  const result = protocol.decode(frame);
  if (!result.ok) throw new Error(`expected ${frame} to decode, got: ${result.reason}`);
  return result.event;
}

function decodeFail(frame: string | ArrayBuffer): Extract<DecodeResult, { ok: false }> {
  const result = protocol.decode(frame);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.event)}`);
  return result;
}

describe('socketboardProtocol', () => {
  it('describes itself as socketboard.v1 with acks and replay', () => {
    expect(protocol).toMatchObject({ name: 'socketboard.v1', subprotocol: 'socketboard.v1', acks: true, replay: true });
  });

  describe('encoding', () => {
    it('encodes a publish as {"t":"pub","ch","d","id"}, omitting id when there is none', () => {
      fc.assert(
        fc.property(channel, fc.jsonValue(), fc.option(id, { nil: undefined }), (ch, d, i) => {
          expect(protocol.encodePublish(ch, d, i)).toBe(JSON.stringify({ t: 'pub', ch, d, id: i }));
          expect(JSON.parse(protocol.encodePublish(ch, d, i) as string)).toEqual(
            i === undefined ? { t: 'pub', ch, d: viaJson(d) } : { t: 'pub', ch, d: viaJson(d), id: i },
          );
        }),
      );
    });

    it('encodes null data as "d":null rather than dropping the key', () => {
      expect(protocol.encodePublish('a', null)).toBe('{"t":"pub","ch":"a","d":null}');
    });

    it('encodes a subscribe as {"t":"sub","ch","since"}, omitting since when there is none', () => {
      fc.assert(
        fc.property(channel, fc.option(seq, { nil: undefined }), (ch, since) => {
          expect(protocol.encodeSubscribe(ch, since)).toBe(JSON.stringify({ t: 'sub', ch, since }));
        }),
      );
      expect(protocol.encodeSubscribe('a')).toBe('{"t":"sub","ch":"a"}');
      expect(protocol.encodeSubscribe('a', 0)).toBe('{"t":"sub","ch":"a","since":0}');
    });

    it('encodes unsubscribe, ping, auth and hello frames', () => {
      fc.assert(
        fc.property(
          channel,
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.string({ unit: 'binary' }),
          (ch, ts, s) => {
            expect(JSON.parse(protocol.encodeUnsubscribe(ch) as string)).toEqual({ t: 'unsub', ch });
            expect(JSON.parse(protocol.encodePing(ts) as string)).toEqual({ t: 'ping', ts: viaJson(ts) });
            expect(JSON.parse(protocol.encodeAuth(s) as string)).toEqual({ t: 'auth', token: s });
            expect(JSON.parse(protocol.encodeHello(s) as string)).toEqual({ t: 'hello', sid: s });
          },
        ),
      );
    });

    it('always sends a hello, without sid when there is no session yet', () => {
      expect(protocol.encodeHello(undefined)).toBe('{"t":"hello"}');
    });

    it.each([
      ['a BigInt', { n: 1n }],
      [
        'a cycle',
        (() => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        })(),
      ],
    ])('refuses to publish %s with MessageDroppedError("unserializable")', (_name, data) => {
      const error = (() => {
        try {
          protocol.encodePublish('room', data);
        } catch (err) {
          return err;
        }
        throw new Error('encodePublish did not throw');
      })();
      expect(error).toBeInstanceOf(MessageDroppedError);
      expect(error).toMatchObject({ code: 'dropped', reason: 'unserializable', channel: 'room' });
      expect((error as Error).message).toMatch(/cannot be serialized to JSON/);
    });

    it.each([
      ['undefined', undefined],
      ['a function', () => 1],
      ['a symbol', Symbol('x')],
      ['an object whose toJSON returns undefined', { toJSON: () => undefined }],
    ])('refuses to publish %s, which has no JSON form, instead of sending "undefined"', (_name, data) => {
      expect(() => protocol.encodePublish('room', data)).toThrow(MessageDroppedError);
      expect(() => protocol.encodePublish('room', data)).toThrow(/has no JSON form/);
    });
  });

  describe('decoding', () => {
    it('decodes any msg frame the server builds back to the same channel, seq and data', () => {
      fc.assert(
        fc.property(channel, seq, fc.jsonValue(), (ch, s, d) => {
          const event = decodeOk(JSON.stringify({ t: 'msg', ch, seq: s, d }));
          expect(event).toEqual({ type: 'message', channel: ch, seq: s, data: viaJson(d) });
        }),
      );
    });

    it('decodes frames with surrounding whitespace and keys in any order', () => {
      expect(decodeOk(' \n{"d":1,"seq":2,"ch":"a","t":"msg"}\t')).toEqual({
        type: 'message',
        channel: 'a',
        seq: 2,
        data: 1,
      });
    });

    it('accepts null as message data', () => {
      expect(decodeOk('{"t":"msg","ch":"a","seq":0,"d":null}')).toEqual({
        type: 'message',
        channel: 'a',
        seq: 0,
        data: null,
      });
    });

    it('decodes subd, defaulting resumed to true and leaving seq out when absent', () => {
      expect(decodeOk('{"t":"subd","ch":"a","seq":7}')).toStrictEqual({
        type: 'subscribed',
        channel: 'a',
        seq: 7,
        resumed: true,
      });
      expect(decodeOk('{"t":"subd","ch":"a","seq":7,"resumed":false}')).toStrictEqual({
        type: 'subscribed',
        channel: 'a',
        seq: 7,
        resumed: false,
      });
      expect(decodeOk('{"t":"subd","ch":"a"}')).toStrictEqual({ type: 'subscribed', channel: 'a', resumed: true });
      expect(decodeOk('{"t":"subd","ch":"a","seq":null,"resumed":null}')).toStrictEqual({
        type: 'subscribed',
        channel: 'a',
        resumed: true,
      });
    });

    it('decodes ack and nack, defaulting the nack code to "nack" and reason to ""', () => {
      expect(decodeOk('{"t":"ack","id":"m1"}')).toStrictEqual({ type: 'ack', id: 'm1' });
      expect(decodeOk('{"t":"nack","id":"m1","code":"forbidden","reason":"read-only"}')).toStrictEqual({
        type: 'nack',
        id: 'm1',
        code: 'forbidden',
        reason: 'read-only',
      });
      expect(decodeOk('{"t":"nack","id":"m1"}')).toStrictEqual({ type: 'nack', id: 'm1', code: 'nack', reason: '' });
    });

    it('decodes pong with and without a timestamp', () => {
      expect(decodeOk('{"t":"pong","ts":12.5}')).toStrictEqual({ type: 'pong', ts: 12.5 });
      expect(decodeOk('{"t":"pong"}')).toStrictEqual({ type: 'pong' });
    });

    it('decodes welcome, defaulting resumed to false', () => {
      expect(decodeOk('{"t":"welcome","sid":"s1"}')).toStrictEqual({
        type: 'welcome',
        sessionId: 's1',
        resumed: false,
      });
      expect(decodeOk('{"t":"welcome","sid":"s1","resumed":true}')).toStrictEqual({
        type: 'welcome',
        sessionId: 's1',
        resumed: true,
      });
    });

    it('decodes err with its channel, and with defaults when the server left out code or reason', () => {
      expect(decodeOk('{"t":"err","code":"forbidden","reason":"no access","ch":"admin"}')).toStrictEqual({
        type: 'error',
        code: 'forbidden',
        reason: 'no access',
        channel: 'admin',
      });
      expect(decodeOk('{"t":"err","code":"overload","reason":"slow down"}')).toStrictEqual({
        type: 'error',
        code: 'overload',
        reason: 'slow down',
      });
      expect(decodeOk('{"t":"err"}')).toStrictEqual({ type: 'error', code: 'error', reason: '' });
    });

    it.each([
      ['a binary frame', new ArrayBuffer(4), 'binary frame, but socketboard.v1 is text-only'],
      ['an empty frame', '', 'not JSON'],
      ['truncated JSON', '{"t":"msg","ch":"a"', 'not JSON'],
      ['an array', '[{"t":"msg"}]', 'not an object'],
      ['null', 'null', 'not an object'],
      ['a number', '42', 'not an object'],
      ['a string', '"msg"', 'not an object'],
      ['an object without t', '{"ch":"a"}', 'missing frame type (key "t")'],
      ['an unknown t', '{"t":"x"}', 'unknown frame type "x"'],
      ['a client frame type', '{"t":"pub","d":1}', 'unknown frame type "pub"'],
      ['a non-string t', '{"t":5}', 'unknown frame type 5 (not a string)'],
      ['msg without ch', '{"t":"msg","seq":1,"d":1}', 'msg.ch must be a non-empty string'],
      ['msg with an empty ch', '{"t":"msg","ch":"","seq":1,"d":1}', 'msg.ch must be a non-empty string'],
      ['msg with a numeric ch', '{"t":"msg","ch":3,"seq":1,"d":1}', 'msg.ch must be a non-empty string'],
      ['subd without ch', '{"t":"subd"}', 'subd.ch must be a non-empty string'],
      ['ack without id', '{"t":"ack"}', 'ack.id must be a non-empty string'],
      ['ack with a numeric id', '{"t":"ack","id":1}', 'ack.id must be a non-empty string'],
      ['nack without id', '{"t":"nack","code":"x"}', 'nack.id must be a non-empty string'],
      ['nack with a numeric code', '{"t":"nack","id":"a","code":1}', 'nack.code must be a string'],
      ['nack with an object reason', '{"t":"nack","id":"a","reason":{}}', 'nack.reason must be a string'],
      ['pong with a string ts', '{"t":"pong","ts":"1"}', 'pong.ts must be a finite number'],
      ['pong with an overflowing ts', '{"t":"pong","ts":1e400}', 'pong.ts must be a finite number'],
      ['welcome without sid', '{"t":"welcome"}', 'welcome.sid must be a non-empty string'],
      [
        'welcome with a string resumed',
        '{"t":"welcome","sid":"s","resumed":"yes"}',
        'welcome.resumed must be a boolean',
      ],
      ['err with a numeric code', '{"t":"err","code":500}', 'err.code must be a string'],
      ['err with a boolean reason', '{"t":"err","reason":true}', 'err.reason must be a string'],
      ['err with a numeric ch', '{"t":"err","ch":1}', 'err.ch must be a non-empty string'],
    ])('rejects %s without naming a channel', (_name, frame, reason) => {
      expect(decodeFail(frame)).toStrictEqual({ ok: false, reason });
    });

    it.each([
      ['msg with a negative seq', '{"t":"msg","ch":"a","seq":-1,"d":1}', 'msg.seq must be a non-negative integer'],
      ['msg with a fractional seq', '{"t":"msg","ch":"a","seq":1.5,"d":1}', 'msg.seq must be a non-negative integer'],
      ['msg with a string seq', '{"t":"msg","ch":"a","seq":"1","d":1}', 'msg.seq must be a non-negative integer'],
      [
        'msg with an unsafe seq',
        '{"t":"msg","ch":"a","seq":9007199254740993,"d":1}',
        'msg.seq must be a non-negative integer',
      ],
      ['msg without seq', '{"t":"msg","ch":"a","d":1}', 'msg.seq must be a non-negative integer'],
      ['msg without d', '{"t":"msg","ch":"a","seq":1}', 'msg.d is missing'],
      ['subd with a negative seq', '{"t":"subd","ch":"a","seq":-2}', 'subd.seq must be a non-negative integer'],
      ['subd with a numeric resumed', '{"t":"subd","ch":"a","resumed":1}', 'subd.resumed must be a boolean'],
      ['an unknown t', '{"t":"nope","ch":"a"}', 'unknown frame type "nope"'],
      ['ack without id', '{"t":"ack","ch":"a"}', 'ack.id must be a non-empty string'],
      ['err with a numeric code', '{"t":"err","ch":"a","code":1}', 'err.code must be a string'],
    ])('rejects %s and attributes it to the channel it names', (_name, frame, reason) => {
      expect(decodeFail(frame)).toStrictEqual({ ok: false, reason, channel: 'a' });
    });

    it('shortens a long unknown frame type in the reason', () => {
      expect(decodeFail(JSON.stringify({ t: 'y'.repeat(1000) })).reason).toBe(
        `unknown frame type "${'y'.repeat(40)}…"`,
      );
    });
  });

  describe('decode never throws', () => {
    const isFailure = (result: DecodeResult): boolean =>
      !result.ok &&
      typeof result.reason === 'string' &&
      result.reason.length > 0 &&
      (result.channel === undefined || typeof result.channel === 'string');

    /** The documented guarantees of a successful decode, whatever the input was. */
    function expectValid(result: DecodeResult): void {
      if (!result.ok) {
        expect(isFailure(result)).toBe(true);
        return;
      }
      const e = result.event;
      switch (e.type) {
        case 'message':
          expect(typeof e.channel === 'string' && e.channel.length > 0).toBe(true);
          expect(Number.isSafeInteger(e.seq) && e.seq! >= 0).toBe(true);
          expect(e.data).not.toBeUndefined();
          break;
        case 'subscribed':
          expect(e.channel.length).toBeGreaterThan(0);
          expect(e.seq === undefined || (Number.isSafeInteger(e.seq) && e.seq >= 0)).toBe(true);
          expect(typeof e.resumed).toBe('boolean');
          break;
        case 'ack':
        case 'nack':
          expect(typeof e.id === 'string' && e.id.length > 0).toBe(true);
          if (e.type === 'nack') expect([typeof e.code, typeof e.reason]).toEqual(['string', 'string']);
          break;
        case 'pong':
          expect(e.ts === undefined || Number.isFinite(e.ts)).toBe(true);
          break;
        case 'welcome':
          expect(typeof e.sessionId === 'string' && e.sessionId.length > 0).toBe(true);
          expect(typeof e.resumed).toBe('boolean');
          break;
        case 'error':
          expect([typeof e.code, typeof e.reason]).toEqual(['string', 'string']);
          expect(e.channel === undefined || typeof e.channel === 'string').toBe(true);
          break;
      }
    }

    it('on arbitrary strings', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (s) => {
          expectValid(protocol.decode(s));
        }),
      );
    });

    it('on JSON texts with bytes cut out or spliced in', () => {
      fc.assert(
        fc.property(fc.json(), fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 3 }), (text, at, cut, insert) => {
          const i = at % (text.length + 1);
          expectValid(protocol.decode(text.slice(0, i) + insert + text.slice(i + cut)));
        }),
      );
    });

    it('on objects with any frame type and any field values, and every accepted frame honours its contract', () => {
      const anyValue = fc.jsonValue({ maxDepth: 2 });
      const frame = fc.record(
        {
          t: fc.oneof(fc.constantFrom('msg', 'subd', 'ack', 'nack', 'pong', 'welcome', 'err', 'pub', 'x'), anyValue),
          ch: fc.oneof(channel, anyValue),
          seq: fc.oneof(seq, fc.integer(), fc.double(), anyValue),
          d: anyValue,
          id: fc.oneof(id, anyValue),
          code: fc.oneof(fc.string(), anyValue),
          reason: fc.oneof(fc.string(), anyValue),
          ts: fc.oneof(fc.double(), anyValue),
          sid: fc.oneof(id, anyValue),
          resumed: fc.oneof(fc.boolean(), anyValue),
        },
        { requiredKeys: [] },
      );
      const stats = { ok: 0, failed: 0 };
      fc.assert(
        fc.property(frame, (f) => {
          const result = protocol.decode(JSON.stringify(f));
          expectValid(result);
          stats[result.ok ? 'ok' : 'failed']++;
        }),
        { numRuns: 2000 },
      );
      // Guards the generator itself: both outcomes must actually be exercised.
      expect(stats.ok).toBeGreaterThan(0);
      expect(stats.failed).toBeGreaterThan(0);
    });

    it('on arbitrary binary frames', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
          expect(protocol.decode(new Uint8Array(bytes).buffer)).toStrictEqual({
            ok: false,
            reason: 'binary frame, but socketboard.v1 is text-only',
          });
        }),
      );
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageDroppedError, SocketboardConfigError } from '../errors';
import { rawJsonProtocol, type RawJsonProtocolOptions } from './raw-json';
import type { DecodeResult } from './types';

interface Tick {
  type: string;
  price?: number;
}

const byType = { channelOf: (m: unknown) => (m as Tick).type };

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('rawJsonProtocol', () => {
  it('describes itself as raw-json without subprotocol, acks, replay or sessions', () => {
    const protocol = rawJsonProtocol(byType);
    expect(protocol).toMatchObject({ name: 'raw-json', acks: false, replay: false });
    expect(protocol.subprotocol).toBeUndefined();
    expect(protocol.encodeHello('s1')).toBeUndefined();
  });

  it('accepts a channelOf typed for the app’s own message shape', () => {
    const channelOf = (m: Tick): string => m.type;
    expect(rawJsonProtocol({ channelOf }).decode('{"type":"btc"}')).toMatchObject({
      ok: true,
      event: { channel: 'btc' },
    });
  });

  describe('decoding', () => {
    it('routes every JSON message to the channel channelOf names, with the message as data', () => {
      const protocol = rawJsonProtocol(byType);
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), fc.jsonValue(), (type, payload) => {
          const message = { type, payload };
          expect(protocol.decode(JSON.stringify(message))).toStrictEqual({
            ok: true,
            event: { type: 'message', channel: type, data: viaJson(message) },
          });
        }),
      );
    });

    it('delivers a message channelOf cannot route with channel undefined', () => {
      expect(rawJsonProtocol(byType).decode('{"price":3}')).toStrictEqual({
        ok: true,
        event: { type: 'message', channel: undefined, data: { price: 3 } },
      });
    });

    it('delivers non-object JSON too, leaving routing to channelOf', () => {
      const protocol = rawJsonProtocol({ channelOf: (m) => (typeof m === 'number' ? 'numbers' : undefined) });
      expect(protocol.decode('42')).toMatchObject({ ok: true, event: { channel: 'numbers', data: 42 } });
    });

    it('rejects text that is not JSON', () => {
      expect(rawJsonProtocol(byType).decode('hello')).toStrictEqual({ ok: false, reason: 'not JSON' });
    });

    it('rejects a channelOf result that is neither a string nor undefined', () => {
      expect(rawJsonProtocol(byType).decode('{"type":7}')).toStrictEqual({
        ok: false,
        reason: 'channelOf returned the number 7, expected a string or undefined',
      });
      expect(rawJsonProtocol(byType).decode('{"type":null}')).toStrictEqual({
        ok: false,
        reason: 'channelOf returned null, expected a string or undefined',
      });
    });

    it('decodes messages isPong recognises as a pong event without ts, not as a channel message', () => {
      const protocol = rawJsonProtocol({ ...byType, isPong: (m) => (m as Tick).type === 'pong' });
      expect(protocol.decode('{"type":"pong","ts":5}')).toStrictEqual({ ok: true, event: { type: 'pong' } });
      expect(protocol.decode('{"type":"tick"}')).toMatchObject({
        ok: true,
        event: { type: 'message', channel: 'tick' },
      });
    });

    it('rejects binary frames with a clear reason when there is no decodeBinary', () => {
      expect(rawJsonProtocol(byType).decode(new ArrayBuffer(3))).toStrictEqual({
        ok: false,
        reason: 'binary frame, but raw-json reads text frames only (set the decodeBinary option to read binary)',
      });
    });

    it('routes what decodeBinary returns through isPong and channelOf', () => {
      const seen: ArrayBuffer[] = [];
      const protocol = rawJsonProtocol({
        ...byType,
        isPong: (m) => (m as Tick).type === 'pong',
        decodeBinary: (data) => {
          seen.push(data);
          return JSON.parse(new TextDecoder().decode(data)) as unknown;
        },
      });
      const frame = new TextEncoder().encode('{"type":"btc","price":1}').buffer;
      expect(protocol.decode(frame)).toStrictEqual({
        ok: true,
        event: { type: 'message', channel: 'btc', data: { type: 'btc', price: 1 } },
      });
      expect(seen).toEqual([frame]);
      expect(protocol.decode(new TextEncoder().encode('{"type":"pong"}').buffer)).toStrictEqual({
        ok: true,
        event: { type: 'pong' },
      });
    });

    it.each([
      [
        'channelOf',
        {
          channelOf: () => {
            throw new Error('no type');
          },
        },
        '{}',
        'channelOf threw: no type',
      ],
      [
        'isPong',
        {
          ...byType,
          isPong: () => {
            throw new TypeError('bad');
          },
        },
        '{}',
        'isPong threw: bad',
      ],
      [
        'decodeBinary',
        {
          ...byType,
          decodeBinary: () => {
            throw new Error('not msgpack');
          },
        },
        new ArrayBuffer(1),
        'decodeBinary threw: not msgpack',
      ],
      [
        'channelOf (throwing a non-Error)',
        {
          channelOf: () => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- user code may throw anything
            throw 'plain string';
          },
        },
        '{}',
        'channelOf threw: plain string',
      ],
      [
        'channelOf (throwing an unprintable value)',
        {
          channelOf: () => {
            throw Object.create(null);
          },
        },
        '{}',
        'channelOf threw: a value that cannot be printed',
      ],
    ] as [string, RawJsonProtocolOptions, string | ArrayBuffer, string][])(
      'turns a throwing %s into a failure instead of throwing out of decode',
      (_name, options, frame, reason) => {
        expect(rawJsonProtocol(options).decode(frame)).toStrictEqual({ ok: false, reason });
      },
    );

    it('never throws, whatever the frame and whatever channelOf does with it', () => {
      // channelOf reads a property, which throws on null and returns non-strings for many inputs.
      const protocol = rawJsonProtocol({ channelOf: (m) => (m as { type: string }).type });
      const frame = fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.json(),
        fc.uint8Array({ maxLength: 32 }).map((bytes) => new Uint8Array(bytes).buffer),
      );
      fc.assert(
        fc.property(frame, (f) => {
          const result: DecodeResult = protocol.decode(f);
          if (result.ok) expect(['message', 'pong']).toContain(result.event.type);
          else expect(result.reason.length).toBeGreaterThan(0);
        }),
      );
    });
  });

  describe('encoding', () => {
    it('publishes the data as JSON by default', () => {
      const protocol = rawJsonProtocol(byType);
      fc.assert(
        fc.property(fc.string(), fc.jsonValue(), (channel, data) => {
          expect(JSON.parse(protocol.encodePublish(channel, data) as string)).toEqual(viaJson(data));
        }),
      );
    });

    it('shapes a publish with encode', () => {
      const protocol = rawJsonProtocol({
        ...byType,
        encode: (channel, data) => ({ type: channel, ...(data as object) }),
      });
      expect(protocol.encodePublish('order', { qty: 2 })).toBe('{"type":"order","qty":2}');
    });

    it('sends what encode returns as bytes as a binary frame, untouched', () => {
      const bytes = new Uint8Array([1, 2, 3]);
      const protocol = rawJsonProtocol({ ...byType, encode: () => bytes });
      expect(protocol.encodePublish('a', {})).toBe(bytes);
    });

    it('refuses unserializable data with MessageDroppedError("unserializable") naming the channel', () => {
      const protocol = rawJsonProtocol(byType);
      for (const data of [1n, undefined, () => 1]) {
        const error = caught(() => protocol.encodePublish('orders', data));
        expect(error).toBeInstanceOf(MessageDroppedError);
        expect(error).toMatchObject({ reason: 'unserializable', channel: 'orders' });
      }
    });

    it('reports a throwing encode as MessageDroppedError("unserializable")', () => {
      const protocol = rawJsonProtocol({
        ...byType,
        encode: () => {
          throw new Error('boom');
        },
      });
      const error = caught(() => protocol.encodePublish('orders', 1));
      expect(error).toBeInstanceOf(MessageDroppedError);
      expect((error as Error).message).toMatch(/the encode option threw: boom/);
    });

    it('has no subscribe, unsubscribe, auth or ping frames unless configured', () => {
      const protocol = rawJsonProtocol(byType);
      expect(protocol.encodeSubscribe('a', 3)).toBeUndefined();
      expect(protocol.encodeUnsubscribe('a')).toBeUndefined();
      expect(protocol.encodeAuth('token')).toBeUndefined();
      expect(protocol.encodePing(1)).toBeUndefined();
      expect(rawJsonProtocol({ ...byType, ping: false }).encodePing(1)).toBeUndefined();
    });

    it('encodes the configured subscribe, unsubscribe, auth and ping messages as JSON', () => {
      const protocol = rawJsonProtocol({
        ...byType,
        subscribe: (channel) => ({ op: 'subscribe', channel }),
        unsubscribe: (channel) => ({ op: 'unsubscribe', channel }),
        auth: (token) => ({ op: 'auth', token }),
        ping: () => ({ op: 'ping' }),
      });
      expect(protocol.encodeSubscribe('btc')).toBe('{"op":"subscribe","channel":"btc"}');
      expect(protocol.encodeUnsubscribe('btc')).toBe('{"op":"unsubscribe","channel":"btc"}');
      expect(protocol.encodeAuth('t0k')).toBe('{"op":"auth","token":"t0k"}');
      expect(protocol.encodePing(123)).toBe('{"op":"ping"}');
    });

    it('sends no subscribe frame for a channel where subscribe returns undefined', () => {
      const protocol = rawJsonProtocol({
        ...byType,
        subscribe: (channel) => (channel === 'local' ? undefined : { channel }),
      });
      expect(protocol.encodeSubscribe('local')).toBeUndefined();
      expect(protocol.encodeSubscribe('btc')).toBe('{"channel":"btc"}');
    });

    it('reports a throwing subscribe as MessageDroppedError naming the option and channel', () => {
      const protocol = rawJsonProtocol({
        ...byType,
        subscribe: () => {
          throw new Error('nope');
        },
      });
      const error = caught(() => protocol.encodeSubscribe('btc'));
      expect(error).toBeInstanceOf(MessageDroppedError);
      expect(error).toMatchObject({ reason: 'unserializable', channel: 'btc' });
      expect((error as Error).message).toMatch(/the subscribe option threw: nope/);
    });

    it('calls callbacks written as methods with the options object as this', () => {
      class Adapter {
        prefix = 'feed:';
        channelOf(m: unknown): string {
          return this.prefix + (m as Tick).type;
        }
      }
      expect(rawJsonProtocol(new Adapter()).decode('{"type":"x"}')).toMatchObject({
        ok: true,
        event: { channel: 'feed:x' },
      });
    });
  });

  describe('configuration', () => {
    it.each([
      ['no options', undefined, 'channelOf'],
      ['no channelOf', {}, 'channelOf'],
      ['a string channelOf', { channelOf: 'type' }, 'channelOf'],
      ['ping: true', { ...byType, ping: true }, 'ping'],
      ['a ping object', { ...byType, ping: { type: 'ping' } }, 'ping'],
      ['a boolean isPong', { ...byType, isPong: true }, 'isPong'],
      ['an object encode', { ...byType, encode: {} }, 'encode'],
      ['a string subscribe', { ...byType, subscribe: 'sub' }, 'subscribe'],
      ['a null unsubscribe', { ...byType, unsubscribe: null }, 'unsubscribe'],
      ['a numeric auth', { ...byType, auth: 1 }, 'auth'],
      ['an array decodeBinary', { ...byType, decodeBinary: [] }, 'decodeBinary'],
    ])('throws SocketboardConfigError naming the option for %s', (_name, options, option) => {
      const error = caught(() => rawJsonProtocol(options as unknown as RawJsonProtocolOptions));
      expect(error).toBeInstanceOf(SocketboardConfigError);
      expect(error).toMatchObject({ code: 'config', option });
      expect((error as Error).message).toContain(`\`${option}\``);
    });

    it('says what it got and what it expects', () => {
      const error = caught(() => rawJsonProtocol({ channelOf: 'type' } as unknown as RawJsonProtocolOptions));
      expect((error as Error).message).toBe(
        'Invalid option `channelOf`: must be a function returning a message\'s channel, e.g. `m => m.type`; got the string "type".',
      );
    });

    it('uses the callbacks validated at creation even if the options object changes later', () => {
      const options: RawJsonProtocolOptions = { ...byType };
      const protocol = rawJsonProtocol(options);
      (options as unknown as Record<string, unknown>).channelOf = 'broken';
      expect(protocol.decode('{"type":"a"}')).toMatchObject({ ok: true, event: { channel: 'a' } });
    });
  });
});

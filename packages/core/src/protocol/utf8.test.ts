import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameByteLength, utf8ByteLength } from './utf8';

const encoder = new TextEncoder();
const encodedLength = (s: string): number => encoder.encode(s).length;

describe('utf8ByteLength', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'hello'],
    ['two-byte (é, ß)', 'éß'],
    ['three-byte (€, 日本)', '€日本'],
    ['surrogate pair (😀)', '😀'],
    ['lone high surrogate at the end', 'a\ud800'],
    ['lone high surrogate before a normal char', '\ud800a'],
    ['lone low surrogate', '\udc00'],
    ['reversed pair (low then high)', '\udc00\ud800'],
    ['high, high, low', '\ud800\ud800\udc00'],
    ['boundaries 0x7f/0x80/0x7ff/0x800/0xffff', '\u007f\u0080\u07ff\u0800\uffff'],
  ])('matches TextEncoder for %s', (_name, s) => {
    expect(utf8ByteLength(s)).toBe(encodedLength(s));
  });

  it.each(['binary', 'binary-ascii', 'grapheme', 'grapheme-composite', 'grapheme-ascii'] as const)(
    'matches TextEncoder for arbitrary %s strings',
    (unit) => {
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 200 }), (s) => {
          expect(utf8ByteLength(s)).toBe(encodedLength(s));
        }),
        { numRuns: 300 },
      );
    },
  );

  it('matches TextEncoder for strings of arbitrary UTF-16 code units, surrogates included', () => {
    const surrogateHeavy = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff })), { maxLength: 50 })
      .map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(surrogateHeavy, (s) => {
        expect(utf8ByteLength(s)).toBe(encodedLength(s));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('frameByteLength', () => {
  it('counts UTF-8 bytes of a text frame, not UTF-16 code units', () => {
    expect(frameByteLength('€😀')).toBe(7);
  });

  it('counts the bytes of an ArrayBuffer', () => {
    expect(frameByteLength(new ArrayBuffer(5))).toBe(5);
  });

  it('counts only the viewed bytes of a typed array or DataView over a larger buffer', () => {
    const buffer = new ArrayBuffer(16);
    expect(frameByteLength(new Uint8Array(buffer, 4, 3))).toBe(3);
    expect(frameByteLength(new Uint16Array(buffer, 2, 3))).toBe(6);
    expect(frameByteLength(new DataView(buffer, 10))).toBe(6);
  });
});

import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt';

describe('excerpt', () => {
  it('returns a short text frame whole', () => {
    expect(excerpt('{"t":"msg"}')).toBe('{"t":"msg"}');
  });

  it('cuts a long text frame to 80 code units by default', () => {
    expect(excerpt('x'.repeat(200))).toBe('x'.repeat(80));
  });

  it('cuts to the given maximum', () => {
    expect(excerpt('abcdef', 3)).toBe('abc');
  });

  it('never splits a surrogate pair at the cut', () => {
    expect(excerpt('ab😀cd', 3)).toBe('ab');
    expect(excerpt('ab😀cd', 4)).toBe('ab😀');
  });

  it('describes a binary frame by its size', () => {
    expect(excerpt(new ArrayBuffer(12))).toBe('<binary 12 bytes>');
    expect(excerpt(new Uint8Array(new ArrayBuffer(12), 2, 5))).toBe('<binary 5 bytes>');
  });
});

const NON_ASCII = /[^\0-\x7f]/;

/**
 * Exact UTF-8 byte length of a string, as `new TextEncoder().encode(s).length` would report, without
 * allocating: metrics count bytes for every frame, so encoding just to measure would double the work.
 * A lone surrogate counts 3 bytes because encoders replace it with U+FFFD.
 */
export function utf8ByteLength(s: string): number {
  // Most frames are ASCII, where the length is the byte count; the regex scans in native code,
  // faster than the loop below, which only runs for frames that need it.
  if (!NON_ASCII.test(s)) return s.length;
  const n = s.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else {
      bytes += 2;
      // A surrogate pair is two code units and four bytes in all; skip its second half.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
  }
  return bytes;
}

/** Bytes a frame occupies on the wire (payload only): UTF-8 length for text, `byteLength` for binary. */
export function frameByteLength(frame: string | ArrayBuffer | ArrayBufferView): number {
  return typeof frame === 'string' ? utf8ByteLength(frame) : frame.byteLength;
}

/**
 * The start of a frame for logs and error messages: at most `max` UTF-16 code units of a text frame
 * (never splitting a surrogate pair), or `<binary N bytes>` for binary.
 */
export function excerpt(frame: string | ArrayBuffer | ArrayBufferView, max = 80): string {
  if (typeof frame !== 'string') return `<binary ${frame.byteLength} bytes>`;
  const limit = Math.max(0, Math.floor(max));
  if (frame.length <= limit) return frame;
  let end = limit;
  const last = frame.charCodeAt(end - 1);
  // Cutting between the halves of a pair would leave a lone surrogate, which prints as garbage.
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return frame.slice(0, end);
}

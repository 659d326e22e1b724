/** The longest channel name the server accepts, in characters. */
export const MAX_CHANNEL_LENGTH = 128;

/**
 * What a channel name may contain: 1–128 characters of `A–Z a–z 0–9 _ . : / -`. Narrow on purpose:
 * names end up in logs, metrics labels, Redis keys and URLs, where anything else needs escaping.
 */
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_.:/-]{1,128}$/;

export function isValidChannelName(name: unknown): name is string {
  return typeof name === 'string' && CHANNEL_NAME_PATTERN.test(name);
}

/** `never`: nothing arrived yet. `fresh`: the last update is younger than `staleAfterMs`. `stale`: it is not. */
export type Freshness = 'never' | 'fresh' | 'stale';

/** Default age after which data counts as stale: a few missed one-second updates. */
export const DEFAULT_STALE_AFTER_MS = 5_000;

/** How fresh data last updated at `lastAt` is at `now`. An update exactly `staleAfterMs` old is stale. */
export function freshness(lastAt: number | undefined, now: number, staleAfterMs: number): Freshness {
  if (lastAt === undefined || Number.isNaN(lastAt)) return 'never';
  return now - lastAt >= staleAfterMs ? 'stale' : 'fresh';
}

/** Ms until data last updated at `lastAt` turns stale (0 when it already is), or undefined when it never will. */
export function msUntilStale(lastAt: number | undefined, now: number, staleAfterMs: number): number | undefined {
  if (lastAt === undefined || Number.isNaN(lastAt) || !Number.isFinite(staleAfterMs)) return undefined;
  return Math.max(0, lastAt + staleAfterMs - now);
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** `'just now'`, `'12 sec. ago'`, `'3 min. ago'`… in the runtime's (or `locale`'s) words. */
export function formatAgo(ms: number, locale?: string): string {
  if (ms < 1000) return 'just now';
  const key = locale ?? '';
  let format = relativeFormats.get(key);
  if (format === undefined) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' });
    relativeFormats.set(key, format);
  }
  if (ms < 60_000) return format.format(-Math.floor(ms / 1000), 'second');
  if (ms < 3_600_000) return format.format(-Math.floor(ms / 60_000), 'minute');
  if (ms < 86_400_000) return format.format(-Math.floor(ms / 3_600_000), 'hour');
  return format.format(-Math.floor(ms / 86_400_000), 'day');
}

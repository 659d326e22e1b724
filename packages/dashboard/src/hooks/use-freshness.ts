import type { Freshness } from '../freshness';
import { useDeadlinePassed } from './use-deadline';

/** `never` / `fresh` / `stale` for data last updated at `lastAt`; re-renders when it turns stale, not before. */
export function useFreshness(lastAt: number | undefined, staleAfterMs: number): Freshness {
  const stale = useDeadlinePassed(
    lastAt === undefined || !Number.isFinite(staleAfterMs) ? undefined : lastAt + staleAfterMs,
  );
  if (lastAt === undefined) return 'never';
  return stale ? 'stale' : 'fresh';
}

import { useEffect, useState } from 'react';
import { useLatest } from './use-latest';

/**
 * Text for a polite live region about items arriving: at most one announcement per `intervalMs`
 * ("12 new events. Latest: deploy finished"), however fast they come, and none while nothing arrives.
 * `total` is a running count; `describe` words the news.
 */
export function useArrivalAnnouncement(total: number, intervalMs: number, describe: (count: number) => string): string {
  const [state, setState] = useState({ announced: total, text: '' });
  const latest = useLatest({ total, describe });
  const pending = total !== state.announced;
  useEffect(() => {
    // Throttle, not debounce: a steady stream must still be announced now and then.
    if (!pending || !Number.isFinite(intervalMs)) return;
    const timer = setTimeout(() => {
      setState((previous) => {
        const { total: now, describe: words } = latest.current;
        return { announced: now, text: now > previous.announced ? words(now - previous.announced) : '' };
      });
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [pending, state.announced, intervalMs, latest]);
  return state.text;
}

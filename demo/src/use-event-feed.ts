import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventLogItem } from '@socketboard/dashboard';
import { useChannel } from '@socketboard/react';
import type { DemoEvent } from '../shared/channels';
import { fetchRecentEvents } from './api';

const MAX_EVENTS = 200;

/**
 * History over HTTP, then live over the socket: the server's replay (`since: 0`) reaches back only 5
 * minutes, and events are rare, so once the `events` channel is subscribed (nothing can slip between
 * the two) the last 100 events are fetched and merged by id. After a reconnect the channel's replay
 * brings what was missed.
 */
export function useEventFeed(): readonly EventLogItem[] {
  const [events, setEvents] = useState<readonly DemoEvent[]>([]);
  const add = useCallback((incoming: readonly DemoEvent[]) => {
    setEvents((current) => {
      const known = new Set(current.map((e) => e.id));
      const fresh = incoming.filter((e) => !known.has(e.id));
      if (fresh.length === 0) return current;
      return [...current, ...fresh].sort((a, b) => a.time - b.time).slice(-MAX_EVENTS);
    });
  }, []);
  const status = useChannel('events', {
    onMessage: (event) => add([event]),
    select: (state) => state.status,
  });
  const loaded = useRef(false);
  useEffect(() => {
    if (status !== 'subscribed' || loaded.current) return;
    loaded.current = true;
    const abort = new AbortController();
    fetchRecentEvents(abort.signal).then(add, () => {
      // No history API (a foreign server): live events only.
    });
    return () => abort.abort();
  }, [status, add]);
  return events;
}

import { useEffect, useRef, useState } from 'react';
import { useChannel } from '@socketboard/react';

export interface FirehoseStats {
  /** Messages received in the last second. */
  readonly receivedPerSec: number;
  readonly total: number;
  /** Messages skipped by seq: published while this page was away and no longer in the replay buffer. */
  readonly missed: number;
  /** Mean publish-to-receive delay in the last second (ms; same machine, same clock). */
  readonly delayMs: number | undefined;
  /** Received per second, last 60 s, oldest first. */
  readonly history: readonly (number | null)[];
}

const HISTORY = 60;

/**
 * Counts the `firehose` channel without rendering per message (`onMessage`, and a `select` that never
 * changes): the numbers are rolled up once a second, whatever the rate.
 */
export function useFirehoseStats(): FirehoseStats {
  const counters = useRef({ count: 0, total: 0, missed: 0, delaySum: 0, lastSeq: undefined as number | undefined });
  useChannel('firehose', {
    onMessage: (message, meta) => {
      const c = counters.current;
      c.count++;
      c.total++;
      c.delaySum += meta.receivedAt - message.t;
      if (meta.seq !== undefined) {
        if (c.lastSeq !== undefined && meta.seq > c.lastSeq + 1) c.missed += meta.seq - c.lastSeq - 1;
        c.lastSeq = meta.seq;
      }
    },
    select: () => null,
  });
  const [stats, setStats] = useState<FirehoseStats>({
    receivedPerSec: 0,
    total: 0,
    missed: 0,
    delayMs: undefined,
    history: [],
  });
  useEffect(() => {
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const c = counters.current;
      const perSec = Math.round((c.count * 1000) / Math.max(1, now - last));
      const delayMs = c.count > 0 ? Math.max(0, c.delaySum / c.count) : undefined;
      const { total, missed } = c;
      last = now;
      c.count = 0;
      c.delaySum = 0;
      setStats((previous) => ({
        receivedPerSec: perSec,
        total,
        missed,
        delayMs,
        history: [...previous.history, perSec].slice(-HISTORY),
      }));
    }, 1_000);
    return () => clearInterval(timer);
  }, []);
  return stats;
}

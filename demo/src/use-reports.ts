import { useEffect, useRef } from 'react';
import { useSocket } from '@socketboard/react';

/**
 * Publishes a report on `reports` once a second. While the socket is down `publish` queues it (see
 * Queue in the health panel); after the reconnect the queue is flushed in order and the server
 * tells in `events` how many reports arrived late.
 */
export function useReports(firehosePerSec: number): void {
  const { publish } = useSocket();
  const latest = useRef(firehosePerSec);
  useEffect(() => {
    latest.current = firehosePerSec;
  }, [firehosePerSec]);
  useEffect(() => {
    const timer = setInterval(() => publish('reports', { sentAt: Date.now(), firehosePerSec: latest.current }), 1_000);
    return () => clearInterval(timer);
  }, [publish]);
}

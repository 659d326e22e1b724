import type { ConnectionInfo } from '@socketboard/server';
import type { ClientReport } from '../shared/channels';

/** A report older than this was queued in the client while its socket was down. */
const LATE_MS = 1_500;
/** Late reports of one flush arrive together; they are summed up once this quiet period passed. */
const SETTLE_MS = 300;

interface Flush {
  count: number;
  oldestMs: number;
  timer: NodeJS.Timeout;
}

/**
 * Watches the `reports` the pages publish once a second. After a reconnect a page flushes what it
 * queued while down, all at once: one summary per flush ("4 reports queued while offline, the
 * oldest 4.2 s old") makes the client's outbound queue visible.
 */
export class LateReports {
  private readonly flushes = new Map<ConnectionInfo, Flush>();

  constructor(private readonly onFlushed: (connection: ConnectionInfo, count: number, oldestMs: number) => void) {}

  seen(connection: ConnectionInfo, report: ClientReport, now = Date.now()): void {
    const age = now - report.sentAt;
    if (!(age > LATE_MS)) return;
    let flush = this.flushes.get(connection);
    if (flush === undefined) {
      flush = { count: 0, oldestMs: 0, timer: setTimeout(() => this.settle(connection), SETTLE_MS) };
      flush.timer.unref();
      this.flushes.set(connection, flush);
    }
    flush.count++;
    flush.oldestMs = Math.max(flush.oldestMs, age);
  }

  stop(): void {
    for (const flush of this.flushes.values()) clearTimeout(flush.timer);
    this.flushes.clear();
  }

  private settle(connection: ConnectionInfo): void {
    const flush = this.flushes.get(connection);
    if (flush === undefined) return;
    this.flushes.delete(connection);
    this.onFlushed(connection, flush.count, flush.oldestMs);
  }
}

/** A report as a page sends it; anything else on `reports` is refused. */
export function isClientReport(data: unknown): data is ClientReport {
  if (data === null || typeof data !== 'object') return false;
  const report = data as Record<string, unknown>;
  return typeof report.sentAt === 'number' && typeof report.firehosePerSec === 'number';
}

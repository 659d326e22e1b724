import { FIREHOSE_MAX_RATE } from '../shared/channels';
import type { FirehoseMessage } from '../shared/channels';

const TICK_MS = 50;
// After a stall of the event loop the backlog is dropped, not caught up: at most this much time is sent at once.
const MAX_CATCH_UP_MS = 250;

/**
 * Publishes `rate` messages per second in batches every 50 ms. Bounded: a batch waits for the
 * previous one to be taken by the broker, and time lost to a busy event loop is not made up, so a
 * slow server sends less instead of piling up promises.
 */
export class Firehose {
  private rate = 0;
  private due = 0;
  private last = performance.now();
  private inFlight = false;
  private counter = 0;
  private sent = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly publish: (message: FirehoseMessage) => Promise<unknown>) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Clamped to 0…FIREHOSE_MAX_RATE; returns the rate now in force. */
  setRate(rate: number): number {
    this.rate = Math.round(Math.min(FIREHOSE_MAX_RATE, Math.max(0, Number.isFinite(rate) ? rate : 0)));
    this.due = 0;
    return this.rate;
  }

  /** Messages published since the previous call. */
  takeSent(): number {
    const sent = this.sent;
    this.sent = 0;
    return sent;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    const elapsed = Math.min(now - this.last, MAX_CATCH_UP_MS);
    this.last = now;
    if (this.rate === 0 || this.inFlight) return;
    this.due += (this.rate * elapsed) / 1000;
    const count = Math.floor(this.due);
    if (count === 0) return;
    this.due -= count;
    this.inFlight = true;
    const t = Date.now();
    const batch: Promise<unknown>[] = [];
    for (let k = 0; k < count; k++) batch.push(this.publish({ i: ++this.counter, t }));
    this.sent += count;
    void Promise.allSettled(batch).then(() => {
      this.inFlight = false;
    });
  }
}

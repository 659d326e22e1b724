import type { Timers } from './environment';
import type { HeartbeatOptions } from './options';

export interface HeartbeatHooks {
  /** Sends a ping stamped `ts`; returns false when it could not be sent. */
  sendPing(ts: number): boolean;
  /** No inbound frame arrived within `timeoutMs` of a ping: the link is dead. */
  onDead(silentForMs: number): void;
  onRtt(ms: number): void;
}

/**
 * Liveness by the clock, not by timer counts. Browsers throttle timers in background tabs (to once a
 * minute in Chrome), so a timer firing late proves nothing; what matters is how long ago the last
 * inbound frame arrived. Inbound traffic only writes a timestamp (no timer churn per message); the
 * single timer re-arms itself from that timestamp when it fires.
 */
export class Heartbeat {
  private timer: unknown;
  private lastInboundAt = 0;
  private pingSentAt: number | undefined;
  private running = false;

  constructor(
    private readonly options: HeartbeatOptions,
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly hooks: HeartbeatHooks,
  ) {}

  start(): void {
    this.stop();
    this.running = true;
    this.lastInboundAt = this.now();
    this.arm(this.options.intervalMs);
  }

  stop(): void {
    this.running = false;
    this.pingSentAt = undefined;
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  get active(): boolean {
    return this.running;
  }

  /** Any inbound frame counts as life. Hot path: a field write only. */
  inbound(at: number): void {
    this.lastInboundAt = at;
  }

  /** A pong arrived; `ts` (when the protocol echoes it) must match the outstanding ping. */
  pong(ts: number | undefined): void {
    const sent = this.pingSentAt;
    if (sent === undefined || (ts !== undefined && ts !== sent)) return;
    this.pingSentAt = undefined;
    this.hooks.onRtt(Math.max(0, this.now() - sent));
    this.arm(this.options.intervalMs);
  }

  /** Check the link now (page became visible, network came back): ping unless one is already out. */
  probe(): void {
    if (!this.running || this.pingSentAt !== undefined) return;
    this.ping();
  }

  private ping(): void {
    const ts = this.now();
    if (!this.hooks.sendPing(ts)) {
      // Could not send (socket closing): look again after a normal interval.
      this.arm(this.options.intervalMs);
      return;
    }
    this.pingSentAt = ts;
    this.arm(this.options.timeoutMs);
  }

  private arm(ms: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => this.check(), Math.max(0, ms));
  }

  private check(): void {
    this.timer = undefined;
    if (!this.running) return;
    const now = this.now();
    const sent = this.pingSentAt;
    if (sent === undefined) {
      const idle = now - this.lastInboundAt;
      if (idle >= this.options.intervalMs) this.ping();
      else this.arm(this.options.intervalMs - idle);
      return;
    }
    if (this.lastInboundAt >= sent) {
      // Something arrived after the ping (its pong may still be queued): alive.
      this.pingSentAt = undefined;
      this.arm(this.options.intervalMs - (now - this.lastInboundAt));
      return;
    }
    const waited = now - sent;
    if (waited < this.options.timeoutMs) {
      this.arm(this.options.timeoutMs - waited);
      return;
    }
    if (waited > this.options.timeoutMs * 2) {
      // This timer fired far too late: the page was frozen or throttled, and the pong may be
      // waiting behind us in the task queue. Judge on a fresh round trip instead of killing a live link.
      this.pingSentAt = undefined;
      this.ping();
      return;
    }
    this.stop();
    this.hooks.onDead(now - this.lastInboundAt);
  }
}

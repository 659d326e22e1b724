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
 * single timer re-arms itself from that timestamp when it fires. A busy link is still pinged every
 * `rttSampleMs`, for the round trip, not for liveness.
 */
export class Heartbeat {
  private timer: unknown;
  private lastInboundAt = 0;
  private lastPingAt = 0;
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
    this.lastPingAt = this.lastInboundAt;
    this.arm(this.nextCheckIn(this.lastInboundAt));
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
    const now = this.now();
    this.hooks.onRtt(Math.max(0, now - sent));
    // The round trip is done: the next sample is due `rttSampleMs` from now, and only if traffic
    // (other than this pong) arrives meanwhile; an idle link waits `intervalMs` again.
    this.lastPingAt = now;
    this.arm(this.nextCheckIn(now));
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
    this.lastPingAt = ts;
    this.arm(this.options.timeoutMs);
  }

  /**
   * Time until the next ping is due: after `intervalMs` of silence (liveness), or, once traffic has
   * arrived since the last ping, `rttSampleMs` after that ping (a busy link still gets a measured round
   * trip). An idle link is pinged every `intervalMs` only, however long that is.
   */
  private nextCheckIn(now: number): number {
    const silence = this.options.intervalMs - (now - this.lastInboundAt);
    if (this.lastInboundAt <= this.lastPingAt) return silence;
    return Math.min(silence, this.options.rttSampleMs - (now - this.lastPingAt));
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
      const wait = this.nextCheckIn(now);
      if (wait <= 0) this.ping();
      else this.arm(wait);
      return;
    }
    if (this.lastInboundAt >= sent) {
      // Something arrived after the ping (its pong may still be queued): alive.
      this.pingSentAt = undefined;
      this.arm(this.nextCheckIn(now));
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

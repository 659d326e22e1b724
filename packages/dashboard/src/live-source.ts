import { FrameScheduler } from './frame-scheduler';
import type { FrameTimers } from './frame-scheduler';

/** Every published view carries a version and the local time of the newest push it shows. */
export interface LiveViewBase {
  /** Bumped on every publish. */
  readonly version: number;
  /** Local clock time of the newest push shown, for staleness; undefined before the first. */
  readonly updatedAt: number | undefined;
}

export interface LiveSourceOptions {
  readonly frames?: FrameTimers;
  /** Local clock for `updatedAt`. Default `Date.now`. */
  readonly now?: () => number;
}

type Listener = () => void;

/**
 * The pause / visibility / once-per-frame machinery shared by {@link LiveSeries} and {@link LiveLog}.
 *
 * Items are accepted into the subclass's buffer at once; a new immutable view is published at most once
 * per animation frame, only while active (on screen, tab visible) and not paused. While paused, items
 * keep arriving and are counted in `pending`; the frozen view hides exactly the items that came after
 * the pause. Resuming or becoming active publishes at once from the buffer.
 */
export abstract class LiveSource<V extends LiveViewBase> {
  private view: V;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;
  private readonly viewListeners = new Set<Listener>();
  private readonly pendingListeners = new Set<Listener>();
  private isPaused = false;
  private isActive = true;
  /** Data changed since the last publish. */
  private dirty = false;
  private pendingChanged = false;
  private pendingCount = 0;
  /** `acceptedTotal()` when pausing: items after it stay hidden until resume. */
  private pausedTotal = 0;
  private lastPushAt: number | undefined;
  private pausedPushAt: number | undefined;

  protected constructor(initialView: V, options: LiveSourceOptions = {}) {
    this.view = initialView;
    this.now = options.now ?? Date.now;
    this.scheduler = new FrameScheduler(this.onFrame, options.frames);
  }

  /** Items accepted since creation or the last reset, evicted ones included; never decreases between resets. */
  protected abstract acceptedTotal(): number;

  /** Builds the view from the buffer, leaving out the newest `hidden` items (those that arrived while paused). */
  protected abstract computeView(hidden: number, version: number, updatedAt: number | undefined): V;

  get paused(): boolean {
    return this.isPaused;
  }

  get active(): boolean {
    return this.isActive;
  }

  readonly getView = (): V => this.view;

  /** Items that arrived since pausing (0 when not paused). */
  readonly getPending = (): number => this.pendingCount;

  /** Called after each new view is published. */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  };

  /** Called (at most once per frame) when `pending` changed. */
  readonly subscribePending = (listener: Listener): (() => void) => {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  };

  /** Freezes the view (true) or jumps back to live at once (false). */
  setPaused(paused: boolean): void {
    if (paused === this.isPaused) return;
    this.isPaused = paused;
    this.pendingCount = 0;
    this.pendingChanged = false;
    if (paused) {
      this.pausedTotal = this.acceptedTotal();
      this.pausedPushAt = this.view.updatedAt;
    } else if (this.isActive) {
      this.publish();
    } else {
      this.dirty = true;
    }
    this.emitPending();
  }

  /** Off screen or in a hidden tab: keep buffering, stop publishing. Becoming active publishes what it missed at once. */
  setActive(active: boolean): void {
    if (active === this.isActive) return;
    this.isActive = active;
    if (!active) {
      this.scheduler.cancel();
      return;
    }
    if (this.dirty && !this.isPaused) this.publish();
    if (this.pendingChanged) {
      this.pendingChanged = false;
      this.emitPending();
    }
  }

  /** Drops a frame that is waiting; the next push or setting change schedules again. */
  dispose(): void {
    this.scheduler.cancel();
  }

  /** The subclass accepted `count` items on the message path: publish on the next frame. */
  protected accepted(count = 1): void {
    if (count <= 0) return;
    this.lastPushAt = this.now();
    if (this.isPaused) {
      this.pendingCount += count;
      this.pendingChanged = true;
    } else {
      this.dirty = true;
    }
    if (this.isActive) this.scheduler.schedule();
  }

  /** The subclass accepted `count` items from a render (a data prop): publish now, the caller is rendering already. */
  protected acceptedNow(count: number): void {
    if (count <= 0) return;
    this.accepted(count);
    this.scheduler.cancel();
    this.onFrame();
  }

  /** The subclass emptied its buffer (its total restarts at 0). */
  protected resetted(): void {
    this.pausedTotal = 0;
    this.pendingCount = 0;
    this.lastPushAt = undefined;
    this.pausedPushAt = undefined;
    this.refresh();
    this.emitPending();
  }

  /** A setting changed: republish what is shown (frozen or live) with it, without waiting for data. */
  protected refresh(): void {
    if (this.isActive) this.publish();
    else this.dirty = true;
  }

  private readonly onFrame = (): void => {
    if (!this.isActive) return;
    if (this.dirty && !this.isPaused) this.publish();
    if (this.pendingChanged) {
      this.pendingChanged = false;
      this.emitPending();
    }
  };

  private publish(): void {
    this.dirty = false;
    const hidden = this.isPaused ? Math.max(0, this.acceptedTotal() - this.pausedTotal) : 0;
    const updatedAt = this.isPaused ? this.pausedPushAt : this.lastPushAt;
    this.view = this.computeView(hidden, this.view.version + 1, updatedAt);
    for (const listener of [...this.viewListeners]) listener();
  }

  private emitPending(): void {
    for (const listener of [...this.pendingListeners]) listener();
  }
}

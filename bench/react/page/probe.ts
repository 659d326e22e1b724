import type { ProfilerOnRenderCallback } from 'react';

/**
 * In-page measurements for one window, read by the harness through `window.__bench`. Everything is
 * preallocated or a counter: the probe must not cost the variants more than the work it observes.
 */
export interface WindowResult {
  readonly elapsedMs: number;
  readonly frames: number;
  /** Frames whose start came more than `LONG_FRAME_MS` after the previous one. */
  readonly longFrames: number;
  readonly maxFrameGapMs: number;
  /** React commits of the whole tree (Profiler `onRender` calls). */
  readonly commits: number;
  /** Time React spent rendering the tree (sum of Profiler `actualDuration`), ms. */
  readonly renderMs: number;
  /** Channel messages the page received during the window. */
  readonly received: number;
  /** From the server's send to the layout effect of the commit that shows the value. */
  readonly latency: LatencySummary;
  /** From the server's send to the frame that shows that commit (see `waitingForFrame`). */
  readonly latencyToFrame: LatencySummary;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface FinalCheck {
  readonly cells: number;
  /** Cells whose displayed value is not the last one sent on their channel. */
  readonly stale: number;
  /** The chart's last point, or null when it has none. */
  readonly chartLast: number | null;
}

export interface BenchApi {
  start(): void;
  stop(): WindowResult;
  check(finalValues: Readonly<Record<string, number>>): FinalCheck;
}

declare global {
  interface Window {
    __bench?: BenchApi;
  }
}

export const LONG_FRAME_MS = 50;

/** Latencies in 1 ms buckets; everything at or above the last bucket lands in it (that high is a miss anyway). */
class Histogram {
  private readonly buckets = new Uint32Array(10_001);
  count = 0;
  max = 0;

  add(ms: number): void {
    const bucket = Math.min(Math.max(0, ms), this.buckets.length - 1);
    this.buckets[bucket]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = this.max = 0;
  }

  percentile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms]!;
      if (seen >= rank) return ms;
    }
    return this.buckets.length - 1;
  }

  summary(): LatencySummary {
    return { count: this.count, p50: this.percentile(0.5), p95: this.percentile(0.95), max: this.max };
  }
}

const toCommit = new Histogram();
const toFrame = new Histogram();

let measuring = false;
let startedAt = 0;
let frames = 0;
let longFrames = 0;
let maxFrameGapMs = 0;
let lastFrameAt = -1;
let commits = 0;
let renderMs = 0;
let receivedAtStart = 0;
let chartLast: number | null = null;
let receivedCounter: () => number = () => 0;

/*
 * Latency to the frame that shows a commit: a commit made during a frame's rendering phase (its rAF
 * callbacks and the microtasks after them, where frame-coalesced renders happen) is shown by that
 * frame, at commit time; any other commit waits for the next frame, whose start is then its time.
 * The phase ends with the task posted from the frame's rAF callback, which runs once the frame's
 * rendering task is done.
 */
let inRenderingPhase = false;
const waitingForFrame: number[] = [];
const afterFrame = new MessageChannel();
afterFrame.port1.onmessage = () => {
  inRenderingPhase = false;
};

function frame(now: number): void {
  if (measuring && lastFrameAt >= 0) {
    frames++;
    const gap = now - lastFrameAt;
    if (gap > LONG_FRAME_MS) longFrames++;
    if (gap > maxFrameGapMs) maxFrameGapMs = gap;
  }
  lastFrameAt = now;
  if (measuring && waitingForFrame.length > 0) {
    const shownAt = Date.now();
    for (const sentAt of waitingForFrame) toFrame.add(shownAt - sentAt);
  }
  waitingForFrame.length = 0;
  inRenderingPhase = true;
  afterFrame.port2.postMessage(0);
  requestAnimationFrame(frame);
}

/** Counts every commit; passed to the `<Profiler>` around the whole tree. */
export const onCommit: ProfilerOnRenderCallback = (_id, _phase, actualDuration) => {
  if (!measuring) return;
  commits++;
  renderMs += actualDuration;
};

/** Called in the layout effect of the commit that shows a value sent at `sentAt` (the server's Date.now()). */
export function recordLatency(sentAt: number): void {
  if (!measuring) return;
  const ms = Date.now() - sentAt;
  toCommit.add(ms);
  if (inRenderingPhase) toFrame.add(ms);
  else waitingForFrame.push(sentAt);
}

export function setChartLast(value: number | null): void {
  chartLast = value;
}

/** How the variant counts the channel messages it received (a running total). */
export function setReceivedCounter(counter: () => number): void {
  receivedCounter = counter;
}

export function installProbe(): void {
  window.__bench = {
    start() {
      toCommit.reset();
      toFrame.reset();
      waitingForFrame.length = 0;
      frames = longFrames = maxFrameGapMs = commits = renderMs = 0;
      receivedAtStart = receivedCounter();
      startedAt = performance.now();
      measuring = true;
    },
    stop() {
      measuring = false;
      return {
        elapsedMs: performance.now() - startedAt,
        frames,
        longFrames,
        maxFrameGapMs,
        commits,
        renderMs,
        received: receivedCounter() - receivedAtStart,
        latency: toCommit.summary(),
        latencyToFrame: toFrame.summary(),
      };
    },
    check(finalValues) {
      const cells = document.querySelectorAll<HTMLElement>('[data-cell]');
      let stale = 0;
      for (const cell of cells) {
        const expected = finalValues[cell.dataset.ch ?? ''];
        if (expected === undefined || cell.dataset.v !== String(expected)) stale++;
      }
      return { cells: cells.length, stale, chartLast };
    },
  };
  requestAnimationFrame(frame);
}

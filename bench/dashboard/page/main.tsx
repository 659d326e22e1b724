import { Profiler, useEffect, useState } from 'react';
import type { ProfilerOnRenderCallback } from 'react';
import { createRoot } from 'react-dom/client';
import { LiveTimeSeries } from '@socketboard/dashboard';
import type { DataRow, DownsampleMethod } from '@socketboard/dashboard';
import '../../../packages/dashboard/src/styles.css';

/*
 * One LiveTimeSeries in data-props mode, as an app feeding it from its own state would: the window
 * holds `points` points, `rate` new points a second arrive, and every animation frame the app hands
 * the chart a new array of the last `points` rows. The harness reads `window.__bench`.
 */

export interface FrameCostResult {
  /** rAF-to-rAF intervals during the window, ms. */
  readonly frameMs: number[];
  /** Per interval of `frameMs`: the Profiler actualDuration of the chart's commits in it, summed, ms. */
  readonly reactMs: number[];
  /** Commits of the chart during the window. */
  readonly commits: number;
  readonly elapsedMs: number;
  /** Points the app handed the chart (the last array's length). */
  readonly pointsInWindow: number;
  /** Vertices of the drawn line (from its SVG path): what downsampling left. */
  readonly drawnPoints: number;
}

declare global {
  interface Window {
    __bench?: { ready(): boolean; start(): void; stop(): FrameCostResult };
  }
}

const params = new URLSearchParams(location.search);
const POINTS = Number(params.get('points'));
const RATE = Number(params.get('rate') ?? '1000');
const DOWNSAMPLE = (params.get('downsample') ?? 'minmax') as DownsampleMethod;
if (!(POINTS > 0) || !(RATE > 0) || !['minmax', 'lttb', 'none'].includes(DOWNSAMPLE)) {
  throw new Error(`Open this page with ?points=N&rate=R&downsample=minmax|lttb|none, got ${location.search}`);
}
const WIDTH = 800;
const HEIGHT = 300;
/** The window is exactly as long as `POINTS` points take to arrive, so it always holds about that many. */
const WINDOW_MS = (POINTS / RATE) * 1000;
document.title = `LiveTimeSeries ${POINTS} points, downsample ${DOWNSAMPLE}`;

let measuring = false;
let startedAt = 0;
let lastFrameAt = -1;
let frameMs: number[] = [];
let reactMs: number[] = [];
let commits = 0;
let reactMsSinceFrame = 0;
let lastLength = 0;

// One data update commits the chart several times (its own effects update it again), so the cost of a
// frame is the sum of the commits made between two animation frames.
const onRender: ProfilerOnRenderCallback = (_id, _phase, actualDuration) => {
  reactMsSinceFrame += actualDuration;
  if (measuring) commits++;
};

function frame(now: number): void {
  if (measuring && lastFrameAt >= 0) {
    frameMs.push(now - lastFrameAt);
    reactMs.push(reactMsSinceFrame);
  }
  reactMsSinceFrame = 0;
  lastFrameAt = now;
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

/** A smooth signal with noise and the odd spike, so min/max downsampling has something to keep. */
function valueAt(i: number): number {
  const spike = i % 997 === 0 ? 40 : 0;
  return 50 + 20 * Math.sin(i / 150) + 8 * Math.sin(i / 13) + ((i * 7919) % 101) / 25 + spike;
}

// The backlog is pre-filled so the window is full from the first frame.
const origin = Date.now() - WINDOW_MS;
const all: DataRow[] = [];
for (let i = 0; i < POINTS; i++) all.push({ time: origin + (i * 1000) / RATE, value: valueAt(i) });
let produced = POINTS;

function App() {
  const [rows, setRows] = useState<readonly DataRow[]>(() => all.slice());
  useEffect(() => {
    const feedStart = performance.now();
    const feedStartMs = Date.now();
    let handle = 0;
    const tick = () => {
      const due = POINTS + Math.floor(((performance.now() - feedStart) * RATE) / 1000) - produced;
      if (due > 0) {
        for (let k = 0; k < due; k++, produced++) {
          all.push({ time: feedStartMs + ((produced - POINTS) * 1000) / RATE, value: valueAt(produced) });
        }
        // Drop the backlog in chunks, not per frame: the app keeps what its window needs.
        if (all.length > 4 * POINTS) all.splice(0, all.length - POINTS);
        const next = all.slice(all.length - POINTS);
        lastLength = next.length;
        setRows(next);
      }
      handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, []);
  return (
    <Profiler id="chart" onRender={onRender}>
      <LiveTimeSeries
        title="bench"
        data={rows}
        width={WIDTH}
        height={HEIGHT}
        downsample={DOWNSAMPLE}
        windowMs={WINDOW_MS}
        retentionMs={WINDOW_MS}
        capacity={POINTS + RATE}
        showControls={false}
        staleAfterMs={Infinity}
        min={0}
        max={120}
      />
    </Profiler>
  );
}

function drawnPoints(): number {
  const d = document.querySelector('.recharts-line-curve')?.getAttribute('d') ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

window.__bench = {
  ready: () => drawnPoints() > 0,
  start() {
    frameMs = [];
    reactMs = [];
    commits = 0;
    lastFrameAt = -1;
    startedAt = performance.now();
    measuring = true;
  },
  stop() {
    measuring = false;
    return {
      frameMs,
      reactMs,
      commits,
      elapsedMs: performance.now() - startedAt,
      pointsInWindow: lastLength,
      drawnPoints: drawnPoints(),
    };
  },
};

createRoot(document.getElementById('root')!).render(<App />);

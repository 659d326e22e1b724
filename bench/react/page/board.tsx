import { useLayoutEffect } from 'react';
import type { ComponentType } from 'react';
import { Line, LineChart, XAxis, YAxis } from 'recharts';
import { recordLatency, setChartLast } from './probe';

/** What the stream server sends on every channel: a value and the server's Date.now() at send. */
export interface Payload {
  readonly v: number;
  readonly ts: number;
}

export const CHANNELS = Array.from({ length: 10 }, (_, i) => `c${i}`);
export const CELLS_PER_CHANNEL = 5;
export const CHART_CHANNEL = 'c0';
export const CHART_POINTS = 300;

const CELLS = CHANNELS.flatMap((ch) =>
  Array.from({ length: CELLS_PER_CHANNEL }, (_, i) => ({ ch, key: `${ch}-${i}` })),
);

/**
 * One displayed value. Both variants render this same component, so they differ only in how the
 * value reaches it. The layout effect runs in the commit that puts the value in the DOM.
 */
export function ValueCell({ ch, payload }: { ch: string; payload: Payload | undefined }) {
  useLayoutEffect(() => {
    if (payload !== undefined) recordLatency(payload.ts);
  }, [payload]);
  return (
    <div className="cell" data-cell="" data-ch={ch} data-v={payload?.v}>
      <span className="label">{ch}</span>
      <span className="value">{payload === undefined ? '–' : payload.v.toFixed(2)}</span>
    </div>
  );
}

/** The line chart both variants feed: a streaming series, so no animation and no dots. */
export function SeriesChart({ data }: { data: readonly Payload[] }) {
  useLayoutEffect(() => setChartLast(data.at(-1)?.v ?? null), [data]);
  return (
    <LineChart width={600} height={200} data={data}>
      <XAxis hide />
      <YAxis width={40} domain={[0, 100]} />
      <Line type="linear" dataKey="v" stroke="#2563eb" isAnimationActive={false} dot={false} />
    </LineChart>
  );
}

/** Which parts of the board a page shows: `?parts=cells` or `?parts=chart` isolate one for diagnosis. */
const parts = new URLSearchParams(location.search).get('parts') ?? 'all';
const showCells = parts !== 'chart';
const showChart = parts !== 'cells';

/** The page's layout: 5 cells per channel, then the chart. */
export function Board({ Cell, Chart }: { Cell: ComponentType<{ ch: string }>; Chart: ComponentType }) {
  return (
    <main>
      <div className="grid">{showCells && CELLS.map(({ ch, key }) => <Cell key={key} ch={ch} />)}</div>
      {showChart && <Chart />}
    </main>
  );
}

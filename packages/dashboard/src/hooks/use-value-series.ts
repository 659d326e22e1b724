import { useRef, useSyncExternalStore } from 'react';
import type { RefObject } from 'react';
import type { LiveSeries, LiveSeriesView } from '../live-series';
import { useActivity } from './use-activity';
import { useChannelSeries } from './use-channel-feed';
import type { ChannelFeedState, PointSelector } from './use-channel-feed';
import { useLiveSeries } from './use-live-series';

export const VALUE_CATEGORIES: readonly string[] = Object.freeze(['value']);

export interface ValueSeriesOptions {
  readonly windowMs: number;
  readonly capacity?: number | undefined;
  readonly maxPoints: number;
  readonly index?: string | undefined;
  /** Backfill from this seq when the channel starts (see `useChannel`'s `since`). */
  readonly since?: number | undefined;
}

export interface ValueSeries {
  readonly series: LiveSeries;
  readonly view: LiveSeriesView;
  readonly feed: ChannelFeedState;
  /** Put on the root: off screen, the series stops publishing. */
  readonly ref: RefObject<HTMLElement | null>;
}

/** One number over time from a channel (for cards, sparklines, gauges): buffered, published once per frame. */
export function useChannelValueSeries<T>(
  channel: string,
  select: PointSelector<T> | undefined,
  options: ValueSeriesOptions,
): ValueSeries {
  const ref = useRef<HTMLElement | null>(null);
  const series = useLiveSeries({
    categories: VALUE_CATEGORIES,
    index: options.index ?? 'time',
    capacity: options.capacity,
    windowMs: options.windowMs,
    maxPoints: options.maxPoints,
    downsample: 'minmax',
    paused: false,
  });
  useActivity(ref, series);
  const feed = useChannelSeries(channel, series, select, options.since);
  const view = useSyncExternalStore(series.subscribe, series.getView, series.getView);
  return { series, view, feed, ref };
}

/** Splits view rows into x and y arrays for drawing. */
export function viewColumns(view: LiveSeriesView, index: string, category: string): { xs: number[]; ys: number[] } {
  const xs = new Array<number>(view.rows.length);
  const ys = new Array<number>(view.rows.length);
  view.rows.forEach((row, i) => {
    xs[i] = row[index] ?? NaN;
    ys[i] = row[category] ?? NaN;
  });
  return { xs, ys };
}

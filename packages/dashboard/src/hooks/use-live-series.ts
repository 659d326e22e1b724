import { useEffect, useMemo } from 'react';
import type { DownsampleMethod } from '../downsample';
import { LiveSeries } from '../live-series';
import { toTime } from '../time';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';

export type DataRow = Readonly<Record<string, unknown>>;

export interface UseLiveSeriesOptions {
  readonly categories: readonly string[];
  readonly index: string;
  readonly capacity?: number | undefined;
  readonly retentionMs?: number | undefined;
  readonly windowMs: number;
  /** Points drawn at most (the plot's width); undefined keeps the current. */
  readonly maxPoints: number | undefined;
  readonly downsample: DownsampleMethod;
  readonly paused: boolean;
  /** Rows to show (data mode); undefined when another feed pushes. */
  readonly data?: readonly DataRow[] | undefined;
}

// Category names are joined into one memo key; a unit separator cannot appear in a sane series name.
const SEP = '\u241f';

/**
 * One {@link LiveSeries} per component (new only when the series' shape changes: categories, index,
 * capacity, retention), kept in step with the props. Settings apply in layout effects, so the first
 * paint already shows the data.
 */
export function useLiveSeries(options: UseLiveSeriesOptions): LiveSeries {
  const { index, capacity, retentionMs, windowMs, maxPoints, downsample, paused, data } = options;
  const categoriesKey = options.categories.join(SEP);
  const series = useMemo(
    () =>
      new LiveSeries({
        categories: categoriesKey.split(SEP),
        index,
        ...(capacity !== undefined ? { capacity } : {}),
        ...(retentionMs !== undefined ? { retentionMs } : {}),
      }),
    [categoriesKey, index, capacity, retentionMs],
  );
  useIsomorphicLayoutEffect(() => series.setWindow(windowMs), [series, windowMs]);
  useIsomorphicLayoutEffect(() => {
    if (maxPoints !== undefined) series.setMaxPoints(maxPoints);
  }, [series, maxPoints]);
  useIsomorphicLayoutEffect(() => series.setDownsample(downsample), [series, downsample]);
  // Data before pause: a chart mounted paused still shows the data it was given.
  useIsomorphicLayoutEffect(() => {
    if (data !== undefined) series.syncRows(data, (row) => toTime(row[index]));
  }, [series, data, index]);
  useIsomorphicLayoutEffect(() => series.setPaused(paused), [series, paused]);
  useEffect(() => () => series.dispose(), [series]);
  return series;
}
